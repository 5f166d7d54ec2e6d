/**
 * The library: one loaded model, and the transfers and animations made with it.
 *
 *   const m = await Mimic.load();                       // models/default (or a model folder)
 *   const out = await m.transfer('me.jpg', { expression: 'smile', intensity: 0.8 });
 *   const anim = await m.animate('me.jpg', [{ own: true }, { expression: 'smile' }, { own: true }]);
 */
import { composeAffine, type Affine } from '../geometry/affine.js';
import { DEFAULT_ALIGNMENT, type AlignmentConfig } from '../face/align.js';
import { warpAffine } from '../image/warpAffine.js';
import { loadExpressionModel, type LoadOptions } from './load.js';
import { alignChosenFace, alignFaceInPhoto, faceCountNotice, type FaceInPhoto } from '../face/pipeline.js';
import type { DetectedFace } from '../face/detect.js';
import {
  denormalizeLandmarks,
  flattenLandmarks,
  normalizeLandmarks,
  unflattenLandmarks,
  type Landmarks,
  LANDMARK_VALUES,
} from '../face/landmarks.js';
import { decodeImage, resizeImage } from '../image/io.js';
import { imageToUnitRange, unitRangeToImage, type RgbImage } from '../image/rgbImage.js';
import { interpolateKeys } from '../face/interpolate.js';
import { copiesWhereRepeated, distinctFrames } from '../face/repeatedFrames.js';
import { generateInBatches, type ExpressionModel } from '../model/inference.js';
import type { MaskOptions } from './paste.js';
import type { PresetsFile } from './presets.js';
import { checkExpressionName } from './expressionCatalogue.js';
import { PhotoMemo } from './photoMemo.js';
import { readMouthBank } from '../face/mouthBankFile.js';
import type { RatioImage } from '../face/ratioImage.js';
import { readRatioImages } from '../face/ratioImageFile.js';
import { driverMouth, type MouthBank, type MouthOptions } from '../face/mouthInterior.js';
import { resolveTarget, type PhotoInput, type Target, type TargetContext } from './targets.js';

/** The input face, found, aligned and ready for the generator. */
export interface PreparedFace {
  /** Name used in messages (the path, or "photo"). */
  name: string;
  photo: RgbImage;
  /** The aligned input crop the generator sees. */
  crop: RgbImage;
  /** Its landmarks, normalized to [-1, 1] (136 values). */
  landmarks: Float32Array;
  /** Photo pixels → crop pixels. */
  toCrop: Affine;
  /** Set when the photo has several faces: which one was used and how to choose another. */
  notice?: string;
}

/**
 * How the generated face goes back into the photo:
 * - "warp" (default): the photo's face warped to the target landmarks at full resolution, plus the generator's
 *   appearance change (see warpPaste.ts): sharp, and the expression's geometry is visible even where the generator
 *   is still weak;
 * - "residual": the photo plus the change the generator makes between the input's own landmarks and the target,
 *   so the photo's sharp detail stays where the expression moves nothing (a weak generator changes little);
 * - "face": the generated face itself, colour-matched to the input (the paper's output, upscaled from 64 px: blurry
 *   next to the photo).
 * Chosen by looking at the sample photos with the FRL model (report of issue 5).
 */
import { DEFAULT_PASTE, pasteInMode, type PasteMode } from './pasteModes.js';
import { PasteHelper, type SharedPasteInput } from './pasteWorker.js';
export { DEFAULT_PASTE, PASTE_MODES, type PasteMode } from './pasteModes.js';

/** Where a transfer's mouth interior comes from (mouthInterior.ts): auto = the --like photo's own when its lips
 * are parted, else the bank; bank; none. */
export const MOUTH_SOURCES = ['auto', 'bank', 'none'] as const;
export type MouthSourceChoice = (typeof MOUTH_SOURCES)[number];

export interface RenderOptions {
  /** Which face, 0 = the largest. */
  face?: number;
  /** Default "auto". */
  mouth?: MouthSourceChoice;
  /** Leave out the expression ratio images (ratioImage.ts), the fine shading of an expression. */
  noRatio?: boolean;
  paste?: PasteMode;
  mask?: MaskOptions;
}

export interface TransferResult {
  /** The generated aligned face (model resolution, e.g. 64×64). */
  crop: RgbImage;
  /** The whole photo with the generated face pasted back. */
  photo: RgbImage;
  /** The target landmarks the face was generated for (normalized). */
  target: Float32Array;
  input: PreparedFace;
}

export interface AnimateOptions extends RenderOptions {
  /** Frames per segment between two keys (N of eq. 6); default 8. */
  framesPerSegment?: number;
  /**
   * "photo" (default): whole photos with the face pasted back; "crop": the generated crops only; "face": the aligned
   * face region of the pasted photos at `faceSize` px (sharper than the crops: the photo's detail is kept).
   */
  output?: 'photo' | 'crop' | 'face';
  /** Side of the "face" output, pixels; default 192. */
  faceSize?: number;
  /** Photos larger than this (longer side, pixels) are scaled down for the frames; default 512. */
  maxSide?: number;
  /**
   * Paste frames in a worker thread as well as this one (pasteWorker.ts; the "warp" paste): the same frames, sooner
   * where a second core is free (the worker's start-up costs CPU). Default false.
   */
  pasteWorker?: boolean;
}

export interface AnimationResult {
  frames: RgbImage[];
  /** The generated crop of every frame. */
  crops: RgbImage[];
  /** Target landmarks of every frame (normalized). */
  landmarks: Float32Array[];
  input: PreparedFace;
}

export const DEFAULT_FRAMES_PER_SEGMENT = 8;
export const DEFAULT_MAX_SIDE = 512;
export const DEFAULT_FACE_SIZE = 192;

function isRgbImage(value: PhotoInput): value is RgbImage {
  return typeof value === 'object' && !(value instanceof Uint8Array);
}

export class Mimic {
  /** The landmarks of --like photos, found once per file: a batch or an animation reuses them. */
  private readonly likeLandmarks = new PhotoMemo<Float32Array>();

  constructor(
    readonly model: ExpressionModel,
    readonly presets?: PresetsFile,
    /** Mouth interiors for targets that part the lips (mouthInterior.ts); none: the warp's lips alone. */
    readonly mouthBank?: MouthBank,
    /** Expression ratio images by preset name (ratioImage.ts): the preset's fine shading. */
    readonly ratioImages: Map<string, RatioImage> = new Map(),
  ) {}

  /** Loads a model folder (default: the bundled models/default), the presets and the mouth bank beside it. */
  static async load(dir?: string, options: LoadOptions = {}): Promise<Mimic> {
    const { model, presets, dir: folder } = await loadExpressionModel(dir, options);
    return new Mimic(model, presets, await readMouthBank(folder), await readRatioImages(folder));
  }

  /**
   * Frees the model's tensors. A program that loads models repeatedly (another model folder, a reload) calls this
   * on the Mimic it no longer needs; the Mimic cannot generate afterwards.
   */
  dispose(): void {
    this.model.dispose?.();
  }

  get alignment(): AlignmentConfig {
    return this.model.alignment ?? DEFAULT_ALIGNMENT;
  }

  /** Finds and aligns the chosen face of a photo the way the model was trained. */
  async prepare(photo: PhotoInput, face = 0, name?: string): Promise<PreparedFace> {
    const label = name ?? (typeof photo === 'string' ? photo : 'photo');
    let transparent = false;
    const image = isRgbImage(photo)
      ? photo
      : await decodeImage(photo, { onTransparency: () => (transparent = true) }, label);
    const prepared = this.prepared(
      await alignFaceInPhoto(image, { face, alignment: this.alignment }, label),
      label,
    );
    if (!transparent) return prepared;
    const note = `${label}: its transparent parts are not kept: the output shows the colours stored under them`;
    return { ...prepared, notice: prepared.notice ? `${prepared.notice}\n${note}` : note };
  }

  /**
   * prepare() for a photo whose faces were found elsewhere (a batch's detection worker, detectionWorker.ts): the
   * same choice of face and alignment.
   */
  async prepareDetected(
    photo: RgbImage,
    faces: DetectedFace[],
    face = 0,
    name = 'photo',
  ): Promise<PreparedFace> {
    return this.prepared(
      await alignChosenFace(photo, faces, { face, alignment: this.alignment }, name),
      name,
    );
  }

  private prepared(found: FaceInPhoto, label: string): PreparedFace {
    const image = found.photo;
    const size = this.alignment.size;
    return {
      name: label,
      photo: image,
      crop: found.aligned.crop,
      landmarks: flattenLandmarks(normalizeLandmarks(found.aligned.landmarks, size)),
      toCrop: found.aligned.alignment.toCrop,
      notice: faceCountNotice(label, found),
    };
  }

  private context(input: PreparedFace): TargetContext {
    return {
      alignment: this.alignment,
      input: input.landmarks,
      presets: this.presets,
      landmarksOfPhoto: (photo, face, role) =>
        typeof photo === 'string'
          ? this.likeLandmarks.get(
              photo,
              face,
              async () => (await this.prepare(photo, face, photo)).landmarks,
            )
          : this.prepare(photo, face, role).then((p) => p.landmarks),
    };
  }

  /** The normalized target landmarks a target means for this input face. */
  targetLandmarks(input: PreparedFace, target: Target): Promise<Float32Array> {
    return resolveTarget(target, this.context(input));
  }

  /** Generated crops for one input face and several target landmark sets, in batches. */
  async generate(input: PreparedFace, targets: Float32Array[]): Promise<RgbImage[]> {
    const size = this.alignment.size;
    const unit = imageToUnitRange(input.crop);
    const crops = new Float32Array(targets.length * unit.length);
    const marks = new Float32Array(targets.length * LANDMARK_VALUES);
    const sources = new Float32Array(targets.length * LANDMARK_VALUES);
    targets.forEach((t, k) => {
      crops.set(unit, k * unit.length);
      marks.set(t, k * LANDMARK_VALUES);
      sources.set(input.landmarks, k * LANDMARK_VALUES);
    });
    const out = await generateInBatches(
      (c, o, t, n) => this.model.generate(c, o, t, n),
      crops,
      sources,
      marks,
      targets.length,
    );
    return targets.map((_, k) =>
      unitRangeToImage(out.subarray(k * unit.length, (k + 1) * unit.length), size, size),
    );
  }

  /** Unknown preset names fail before any face is detected (targets are resolved only after). */
  checkPresetNames(targets: Target[]): void {
    for (const target of targets)
      // Without presets.json, resolveTarget explains that data presets need one (and AU presets still work).
      if ('expression' in target && this.presets !== undefined)
        checkExpressionName(this.presets, target.expression);
  }

  async transfer(photo: PhotoInput, target: Target, options: RenderOptions = {}): Promise<TransferResult> {
    this.checkPresetNames([target]);
    return this.transferPrepared(await this.prepare(photo, options.face ?? 0), target, options);
  }

  /** transfer() for a face already prepared (prepare, prepareDetected). */
  async transferPrepared(
    input: PreparedFace,
    target: Target,
    options: RenderOptions = {},
  ): Promise<TransferResult> {
    this.checkPresetNames([target]);
    const landmarks = await this.targetLandmarks(input, target);
    const [crop, reference] = await this.generate(input, [landmarks, input.landmarks]);
    const mouth = await this.mouthFor(target, options.mouth ?? 'auto');
    const pasted = await this.paste(
      input,
      input.photo,
      input.toCrop,
      crop!,
      reference!,
      landmarks,
      options,
      mouth,
    );
    return { crop: crop!, photo: pasted, target: landmarks, input };
  }

  async animate(photo: PhotoInput, keys: Target[], options: AnimateOptions = {}): Promise<AnimationResult> {
    this.checkPresetNames(keys);
    // Started first, so that the worker's start-up overlaps the detection and the generation (pasteWorker.ts).
    const helper =
      (options.pasteWorker ?? false) &&
      (options.paste ?? DEFAULT_PASTE) === 'warp' &&
      options.output !== 'crop'
        ? PasteHelper.start()
        : undefined;
    try {
      return await this.animateWith(photo, keys, options, helper);
    } finally {
      helper?.stop();
    }
  }

  private async animateWith(
    photo: PhotoInput,
    keys: Target[],
    options: AnimateOptions,
    helper: PasteHelper | undefined,
  ): Promise<AnimationResult> {
    const input = await this.prepare(photo, options.face ?? 0);
    const keyLandmarks: Float32Array[] = [];
    for (const key of keys) keyLandmarks.push(await this.targetLandmarks(input, key));
    const landmarks = interpolateKeys(keyLandmarks, options.framesPerSegment ?? DEFAULT_FRAMES_PER_SEGMENT);
    // The input's own landmarks go in the same batches: the residual paste needs the model's rendering of them.
    // Each distinct pose is generated and pasted once (a way back repeats the way there; the input's own landmarks
    // are often the first frame's): repeatedFrames.ts.
    const { distinct, indexOf } = distinctFrames([...landmarks, input.landmarks]);
    const generated = await this.generate(input, distinct);
    const reference = generated[indexOf.pop()!]!;
    const framesOf = (pictures: RgbImage[]): RgbImage[] => copiesWhereRepeated(indexOf, pictures);
    const crops = framesOf(generated);
    if (options.output === 'crop') return { frames: crops, crops, landmarks, input };
    // Scale the photo down once (and the alignment with it) rather than every frame after pasting.
    // For the "face" view, keep enough photo resolution for the requested face size.
    const maxSide =
      options.output === 'face'
        ? Math.max(input.photo.width, input.photo.height)
        : (options.maxSide ?? DEFAULT_MAX_SIDE);
    const factor = Math.min(1, maxSide / Math.max(input.photo.width, input.photo.height));
    let base = input.photo;
    let toCrop = input.toCrop;
    if (factor < 1) {
      const width = Math.max(1, Math.round(base.width * factor));
      const height = Math.max(1, Math.round(base.height * factor));
      base = await resizeImage(base, width, height);
      toCrop = composeAffine(toCrop, [input.photo.width / width, 0, 0, 0, input.photo.height / height, 0]);
    }
    // Only the poses that are frames (the input's own landmarks may be the reference alone).
    const poses = [...new Set(indexOf)];
    const pasteHere = (k: number): Promise<RgbImage> =>
      this.paste(input, base, toCrop, generated[poses[k]!]!, reference, distinct[poses[k]!]!, options);
    let pasted: RgbImage[];
    if (helper && poses.length >= 2) {
      pasted = await helper.paste(
        this.sharedPasteInput(input, base, toCrop, reference, options),
        poses.map((p) => ({ target: this.toCropPixels(distinct[p]!), generated: generated[p]! })),
        pasteHere,
      );
    } else {
      pasted = [];
      for (let k = 0; k < poses.length; k++) pasted.push(await pasteHere(k));
    }
    const views =
      options.output === 'face' ? pasted.map((p) => this.faceView(p, toCrop, options.faceSize)) : pasted;
    const byPose: RgbImage[] = [];
    poses.forEach((p, k) => (byPose[p] = views[k]!));
    return { frames: framesOf(byPose), crops, landmarks, input };
  }

  /** The aligned face region of a (pasted) photo at `faceSize` px: the crop's framing at photo detail. */
  faceView(photo: RgbImage, toCrop: Affine, faceSize = DEFAULT_FACE_SIZE): RgbImage {
    const zoom = faceSize / this.alignment.size;
    // Beyond the photo's edge (a face near it), black rather than the edge pixels stretched into streaks.
    return warpAffine(photo, composeAffine([zoom, 0, 0, 0, zoom, 0], toCrop), faceSize, faceSize, [0, 0, 0]);
  }

  /**
   * Where the mouth interior comes from: for `like`, the driver's own mouth when its lips are parted
   * (Averbuch-Elor et al. 2017), else the bank.
   */
  private async mouthFor(target: Target, choice: MouthSourceChoice): Promise<MouthOptions | undefined> {
    if (choice === 'none') return undefined;
    const bank = this.mouthBank ? { bank: this.mouthBank } : {};
    if (!('like' in target) || choice === 'bank') return this.mouthBank ? bank : undefined;
    const driver = await this.prepare(
      target.like,
      target.face ?? 0,
      typeof target.like === 'string' ? target.like : 'like',
    );
    const size = this.alignment.size;
    const own = driverMouth(
      driver.photo,
      driver.toCrop,
      denormalizeLandmarks(unflattenLandmarks(driver.landmarks), size),
      size,
    );
    return own ? { ...bank, driver: own } : this.mouthBank ? bank : undefined;
  }

  private async paste(
    input: PreparedFace,
    photo: RgbImage,
    toCrop: Affine,
    crop: RgbImage,
    reference: RgbImage,
    target: Float32Array,
    options: RenderOptions,
    mouth: MouthOptions | undefined = this.mouthBank ? { bank: this.mouthBank } : undefined,
  ): Promise<RgbImage> {
    return pasteInMode(options.paste ?? DEFAULT_PASTE, {
      ...this.sharedPasteInput(input, photo, toCrop, reference, options, mouth),
      target: this.toCropPixels(target),
      generated: crop,
      resize: resizeImage,
    });
  }

  private toCropPixels(flat: Float32Array): Landmarks {
    return denormalizeLandmarks(unflattenLandmarks(flat), this.alignment.size);
  }

  /** What the paste input of every frame of one photo shares (pasteWorker.ts sends it to its thread once). */
  private sharedPasteInput(
    input: PreparedFace,
    photo: RgbImage,
    toCrop: Affine,
    reference: RgbImage,
    options: RenderOptions,
    mouth: MouthOptions | undefined = this.mouthBank ? { bank: this.mouthBank } : undefined,
  ): SharedPasteInput {
    return {
      photo,
      toCrop,
      inputCrop: input.crop,
      own: this.toCropPixels(input.landmarks),
      generatedOwn: reference,
      ...(options.mask ? { mask: options.mask } : {}),
      ...(mouth && options.mouth !== 'none' ? { mouth } : {}),
      // Every ratio image, each as strong as the target's shape asks: presets, landmark files, edits, --like and
      // animation frames alike.
      ...(options.noRatio ? {} : { ratios: [...this.ratioImages.values()] }),
    };
  }
}
