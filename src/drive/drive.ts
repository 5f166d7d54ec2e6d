/**
 * Driving a photo with a video: every driver frame becomes a frame of the photo with the driver's expression (and,
 * if asked, head motion), relative to the driver's neutral frame.
 *
 *   tracking   driver frame → 68 landmarks (tracker.ts) → pose + expression (motion.ts) → One Euro (smoothing.ts)
 *   neutral    the frame given, or the most neutral-looking one (neutral.ts)
 *   rendering  photo's own landmarks + (expression − neutral expression) → generator in batches → paste into photo
 *
 * A FrameSource (openFrameSource) is read twice: once to track (only 140 numbers per frame are kept) and once more
 * for the side-by-side view, so memory does not grow with the video's length. Any other async iterable of frames
 * is read once; its neutral frame must then be given as a number, and the frames up to it are held until it comes.
 */
import { composeAffine, type Affine } from '../geometry/affine.js';
import { denormalizeLandmarks, unflattenLandmarks, type Landmarks } from '../face/landmarks.js';
import { resizeImage } from '../image/io.js';
import { createRgbImage, type RgbImage } from '../image/rgbImage.js';
import { GENERATE_BATCH } from '../model/inference.js';
import type { Mimic, PreparedFace } from '../transfer/mimic.js';
import { DEFAULT_PASTE, pasteInMode, type PasteMode } from '../transfer/pasteModes.js';
import { ClipMouth } from '../face/mouthInterior.js';
import type { PhotoInput } from '../transfer/targets.js';
import { MimicError } from '../util/errors.js';
import type { FrameSource } from '../video/frameSource.js';
import { drivenTarget, MotionMeter, type FrameMotion, type HeadMode } from './motion.js';
import { chooseNeutralFrame } from './neutral.js';
import { MotionSmoother } from './smoothing.js';
import { DriverTracker } from './tracker.js';
import { nodeFaceDetection } from '../face/detect.js';

export const DEFAULT_DRIVE_MAX_SIDE = 512;
/** Longest driver accepted by default (seconds): rendering runs at roughly real time / 3 here. */
export const DEFAULT_MAX_DRIVER_SECONDS = 300;

export interface DriveOptions {
  /** Driver frame taken as its neutral face, or 'auto' (the most neutral-looking; needs a FrameSource). */
  neutralFrame?: number | 'auto';
  /** 'still' (default): the photo's head stays put, only the expression moves; 'follow': it also turns, moves and scales like the driver's. */
  head?: HeadMode;
  /** Which face of the driver to follow when it has several, 0 = the largest (default). */
  driverFace?: number;
  /** Which face of the photo to drive, 0 = the largest. */
  face?: number;
  /** Driver frame and result side by side. */
  sideBySide?: boolean;
  /** Longer side of the output photo frames, pixels; default 512. */
  maxSide?: number;
  paste?: PasteMode;
  /** Frames per second of an iterable driver (a FrameSource has its own); default 25. */
  fps?: number;
  /** Refuse drivers longer than this many seconds; default 300. */
  maxSeconds?: number;
  onProgress?: (progress: DriveProgress) => void;
}

export interface DriveProgress {
  phase: 'tracking' | 'rendering';
  done: number;
  total?: number;
}

export interface DriveReport {
  frames: number;
  fps: number;
  neutralFrame: number;
  neutralAuto: boolean;
  /** Driver frames without a face: the last pose was held (before the first face: the photo's own face). */
  missingFrames: number;
  /** The most faces seen in one driver frame, and the first frame with several. */
  driverFaces: number;
  firstSeveralFacesFrame?: number;
  photoNotice?: string;
}

export interface DrivenFrame {
  index: number;
  image: RgbImage;
  /** Target landmarks of this frame, normalized to [-1, 1] (136 values). */
  target: Float32Array;
  /** Whether the driver had a face in this frame (false: the last pose was held). */
  driverFace: boolean;
}

function isFrameSource(value: FrameSource | AsyncIterable<RgbImage>): value is FrameSource {
  return typeof (value as FrameSource).frames === 'function';
}

/** A driven clip: iterate it for the frames; `report` is complete once tracking is done (before the first frame). */
export class DrivenClip implements AsyncIterable<DrivenFrame> {
  readonly report: DriveReport;
  private readonly options: DriveOptions;
  private meter!: MotionMeter;

  constructor(
    private readonly mimic: Mimic,
    private readonly photo: PhotoInput,
    private readonly driver: FrameSource | AsyncIterable<RgbImage>,
    options: DriveOptions = {},
  ) {
    this.options = options;
    const fps = isFrameSource(driver) ? driver.fps : (options.fps ?? 25);
    this.report = { frames: 0, fps, neutralFrame: 0, neutralAuto: false, missingFrames: 0, driverFaces: 0 };
  }

  get fps(): number {
    return this.report.fps;
  }

  private get maxFrames(): number {
    return Math.floor((this.options.maxSeconds ?? DEFAULT_MAX_DRIVER_SECONDS) * this.fps);
  }

  private tooLong(frames: number): MimicError {
    const seconds = this.options.maxSeconds ?? DEFAULT_MAX_DRIVER_SECONDS;
    return new MimicError(
      `the driver is longer than the ${seconds} s limit (${frames}+ frames at ${this.fps} fps); cut it, or raise the limit with --max-seconds`,
    );
  }

  /** Tracks every frame of the driver: the smoothed motion per frame (null: no face in that frame). */
  private async *track(
    frames: AsyncIterable<RgbImage>,
  ): AsyncGenerator<{ motion: FrameMotion | null; image: RgbImage }> {
    this.options.onProgress?.({ phase: 'tracking', done: 0, ...this.expected() });
    const tracker = new DriverTracker(nodeFaceDetection, { face: this.options.driverFace ?? 0 });
    const smoother = new MotionSmoother(1 / this.fps);
    let index = 0;
    for await (const image of frames) {
      if (index >= this.maxFrames) throw this.tooLong(index + 1);
      const points = await tracker.track(image);
      const motion = points ? smoother.next(this.meter.measure(points)) : null;
      this.report.missingFrames = tracker.stats.missing;
      this.report.driverFaces = tracker.stats.maxFaces;
      if (tracker.stats.firstSeveralFacesFrame !== undefined)
        this.report.firstSeveralFacesFrame = tracker.stats.firstSeveralFacesFrame;
      yield { motion, image };
      // Counted here, not inside onProgress's arguments: without a callback those are never evaluated, and the
      // count (the report's frames, the length limit) stayed 0.
      index++;
      this.options.onProgress?.({ phase: 'tracking', done: index, ...this.expected() });
    }
    this.report.frames = index;
  }

  private expected(): { total?: number } {
    const d = this.driver;
    return isFrameSource(d) && d.expectedFrames ? { total: d.expectedFrames } : {};
  }

  private checkDriver(motions: (FrameMotion | null)[]): void {
    const count = motions.length;
    const name = isFrameSource(this.driver) ? this.driver.name : 'driver';
    if (count === 0) throw new MimicError(`${name}: no frames`);
    if (count === 1)
      throw new MimicError(
        `${name} has only one frame: for a single image use mimic transfer PHOTO --like ${name}`,
      );
    if (motions.every((m) => m === null))
      throw new MimicError(`${name}: no face found in any of its ${count} frames`);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<DrivenFrame> {
    const input = await this.mimic.prepare(this.photo, this.options.face ?? 0);
    if (input.notice) this.report.photoNotice = input.notice;
    this.meter = new MotionMeter(this.mimic.alignment);
    const renderer = await FrameRenderer.create(this.mimic, input, this.options);
    const driver = this.driver;
    const wanted = this.options.neutralFrame ?? (isFrameSource(driver) ? 'auto' : 0);
    if (isFrameSource(driver)) {
      if (driver.expectedFrames && driver.expectedFrames > this.maxFrames * 1.01)
        throw this.tooLong(driver.expectedFrames);
      const motions: (FrameMotion | null)[] = [];
      for await (const { motion } of this.track(driver.frames())) motions.push(motion);
      this.checkDriver(motions);
      const neutral = wanted === 'auto' ? chooseNeutralFrame(motions).index : wanted;
      this.setNeutral(neutral, wanted === 'auto');
      if (neutral >= motions.length)
        throw new MimicError(
          `--neutral-frame ${neutral} is past the driver's last frame (${motions.length - 1})`,
        );
      if (motions[neutral] === null)
        throw new MimicError(
          `${driver.name}: no face in frame ${neutral}, so it cannot be the neutral frame (try --neutral-frame auto)`,
        );
      const images = this.options.sideBySide ? driver.frames()[Symbol.asyncIterator]() : undefined;
      try {
        yield* renderer.render(
          motions.length,
          motions[neutral]!,
          this.meter,
          async (k) => ({
            motion: motions[k]!,
            ...(images ? { image: (await images.next()).value as RgbImage } : {}),
          }),
          this.options.onProgress,
        );
      } finally {
        await images?.return?.(undefined);
      }
      return;
    }
    if (wanted === 'auto')
      throw new MimicError(
        '--neutral-frame auto needs a driver that can be read twice (openFrameSource); give a frame number',
      );
    // One pass: hold frames until the neutral one has been tracked, then render as frames come.
    const held: { motion: FrameMotion | null; image: RgbImage }[] = [];
    const stream = this.track(driver)[Symbol.asyncIterator]();
    while (held.length <= wanted) {
      const next = await stream.next();
      if (next.done) break;
      held.push(next.value);
    }
    this.setNeutral(wanted, false);
    if (held.length <= wanted)
      throw new MimicError(`--neutral-frame ${wanted} is past the driver's last frame (${held.length - 1})`);
    const neutral = held[wanted]!.motion;
    if (!neutral)
      throw new MimicError(`driver: no face in frame ${wanted}, so it cannot be the neutral frame`);
    const items = (async function* () {
      yield* held.splice(0);
      for (;;) {
        const next = await stream.next();
        if (next.done) return;
        yield next.value;
      }
    })();
    yield* renderer.renderStream(items, neutral, this.meter, this.options.sideBySide ?? false);
  }

  private setNeutral(index: number, auto: boolean): void {
    this.report.neutralFrame = index;
    this.report.neutralAuto = auto;
  }
}

interface RenderItem {
  motion: FrameMotion | null;
  image?: RgbImage;
}

/** The photo side: targets → generator (in batches) → pasted photo frames, optionally beside the driver frame. */
class FrameRenderer {
  /** The bank's mouth interior for this drive: one exemplar for the whole clip. */
  private mouth: ClipMouth | undefined;

  private constructor(
    private readonly mimic: Mimic,
    private readonly input: PreparedFace,
    private readonly base: RgbImage,
    private readonly toCrop: Affine,
    private readonly generatedOwn: RgbImage,
    private readonly options: DriveOptions,
  ) {}

  static async create(mimic: Mimic, input: PreparedFace, options: DriveOptions): Promise<FrameRenderer> {
    const maxSide = options.maxSide ?? DEFAULT_DRIVE_MAX_SIDE;
    const { photo } = input;
    const factor = Math.min(1, maxSide / Math.max(photo.width, photo.height));
    // Even sides (video encoders need them); the alignment is scaled with the photo.
    const width = Math.max(2, 2 * Math.round((photo.width * factor) / 2));
    const height = Math.max(2, 2 * Math.round((photo.height * factor) / 2));
    const base =
      width === photo.width && height === photo.height ? photo : await resizeImage(photo, width, height);
    const toCrop = composeAffine(input.toCrop, [photo.width / width, 0, 0, 0, photo.height / height, 0]);
    const [generatedOwn] = await mimic.generate(input, [input.landmarks]);
    return new FrameRenderer(mimic, input, base, toCrop, generatedOwn!, options);
  }

  private get size(): number {
    return this.mimic.alignment.size;
  }

  private ownPixels(): Float64Array {
    return Float64Array.from(this.input.landmarks, (v) => ((v + 1) / 2) * this.size);
  }

  /** Frames 0…count−1, fetching each frame's item by index. */
  async *render(
    count: number,
    neutral: FrameMotion,
    meter: MotionMeter,
    item: (k: number) => Promise<RenderItem>,
    onProgress?: (p: DriveProgress) => void,
  ): AsyncGenerator<DrivenFrame> {
    const items = (async function* () {
      for (let k = 0; k < count; k++) yield await item(k);
    })();
    let done = 0;
    onProgress?.({ phase: 'rendering', done, total: count });
    for await (const frame of this.renderStream(items, neutral, meter, this.options.sideBySide ?? false)) {
      yield frame;
      done++;
      onProgress?.({ phase: 'rendering', done, total: count });
    }
  }

  async *renderStream(
    items: AsyncIterable<RenderItem>,
    neutral: FrameMotion,
    meter: MotionMeter,
    sideBySide: boolean,
  ): AsyncGenerator<DrivenFrame> {
    const own = this.ownPixels();
    let last = neutral;
    let index = 0;
    let batch: { target: Float32Array; image?: RgbImage; found: boolean }[] = [];
    const flush = async function* (this: FrameRenderer): AsyncGenerator<DrivenFrame> {
      const crops = await this.mimic.generate(
        this.input,
        batch.map((b) => b.target),
      );
      for (let k = 0; k < batch.length; k++) {
        const { target, image, found } = batch[k]!;
        let frame = await this.paste(crops[k]!, target);
        if (sideBySide && image) frame = await besideEachOther(image, frame);
        yield { index: index++, image: frame, target, driverFace: found };
      }
      batch = [];
    };
    for await (const it of items) {
      if (it.motion) last = it.motion;
      const pixels = drivenTarget({
        own,
        frame: last,
        neutral,
        head: this.options.head ?? 'still',
        referenceToCrop: meter.referenceToCrop,
        unit: meter.unit,
        cropSize: this.size,
      });
      const target = Float32Array.from(pixels, (v) => (v / this.size) * 2 - 1);
      batch.push({ target, found: it.motion !== null, ...(it.image ? { image: it.image } : {}) });
      if (batch.length === GENERATE_BATCH) yield* flush.call(this);
    }
    if (batch.length > 0) yield* flush.call(this);
  }

  private paste(crop: RgbImage, target: Float32Array): Promise<RgbImage> {
    const toPixels = (flat: ArrayLike<number>): Landmarks =>
      denormalizeLandmarks(unflattenLandmarks(flat), this.size);
    const own = toPixels(this.input.landmarks);
    const targetPixels = toPixels(target);
    this.mouth ??= new ClipMouth(this.mimic.mouthBank);
    const mouth = this.mouth.forFrame(own, targetPixels);
    return pasteInMode(this.options.paste ?? DEFAULT_PASTE, {
      photo: this.base,
      toCrop: this.toCrop,
      inputCrop: this.input.crop,
      own,
      target: targetPixels,
      generated: crop,
      generatedOwn: this.generatedOwn,
      ...(mouth ? { mouth: { driver: mouth } } : {}),
      resize: resizeImage,
      // The fine shading follows each frame's shape (ratioStrength), so it rises and falls smoothly with the smile.
      ratios: [...this.mimic.ratioImages.values()],
    });
  }
}

/** The driver frame (scaled to the result's height) left of the result. */
export async function besideEachOther(driver: RgbImage, result: RgbImage): Promise<RgbImage> {
  const height = result.height;
  const width = Math.max(2, 2 * Math.round((driver.width * height) / driver.height / 2));
  const left =
    driver.height === height && driver.width === width ? driver : await resizeImage(driver, width, height);
  const out = createRgbImage(width + result.width, height);
  for (let y = 0; y < height; y++) {
    out.data.set(left.data.subarray(y * width * 3, (y + 1) * width * 3), y * out.width * 3);
    out.data.set(
      result.data.subarray(y * result.width * 3, (y + 1) * result.width * 3),
      (y * out.width + width) * 3,
    );
  }
  return out;
}

/** Size of the frames a driven clip yields (the photo scaled to maxSide, plus the driver's width side by side). */
export function drivenFrameWidthBeside(driver: { width: number; height: number }, height: number): number {
  return Math.max(2, 2 * Math.round((driver.width * height) / driver.height / 2));
}
