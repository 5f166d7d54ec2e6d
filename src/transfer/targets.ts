/**
 * What a transfer aims for, and how each kind of target becomes the 136 normalized target landmarks the generator
 * takes.
 *
 * Another person's landmarks (from a photo or a landmark file) can be used two ways:
 * - "absolute" (the paper): their aligned landmarks as they are. The output takes their face shape too (jaw
 *   width, nose length, eye spacing), not only their expression.
 * - "relative": their expression's displacement from a neutral face, added to the input's own landmarks, which
 *   keeps the input's face shape. A single photo of someone does not show their neutral face, so the displacement
 *   is measured from the neutral preset (the mean neutral face of the training data), or from their own neutral
 *   photo when one is given (`likeNeutral`).
 */
import { computeAlignment, transformLandmarks, type AlignmentConfig } from '../face/align.js';
import { validateLandmarkFile, type LandmarkFile } from '../face/landmarkFile.js';
import { flattenLandmarks, normalizeLandmarks, type Landmarks } from '../face/landmarks.js';
import type { RgbImage } from '../image/rgbImage.js';
import { MimicError } from '../util/errors.js';
import { validateActionUnits, type ActionUnits } from './actionUnits.js';
import { applyEdits, type LandmarkEdits } from './edits.js';
import { addActionUnits, applyExpression, isActionUnitPreset } from './expressionCatalogue.js';
import type { PresetsFile } from './presets.js';

export type LikeMode = 'absolute' | 'relative';
export const LIKE_MODES: readonly LikeMode[] = ['absolute', 'relative'];

/**
 * Default for `like` targets, measured on the 11 FRL people held out of fold 0 (bench/transferModes.ts, 110 pairs:
 * input = i's neutral photo, like = j's smile, scored against i's real smile). What `mimic transfer` outputs
 * (warp paste + generator, 800-step model): relative 0.779 SSIM vs absolute 0.765, better in 65% of pairs; the
 * landmark warp alone agrees on all ten folds (relative better in 57–79% of pairs). The generator's raw crop alone
 * barely depends on the mode (absolute 0.767 vs relative 0.763): it follows the target landmarks only weakly.
 */
export const DEFAULT_LIKE_MODE: LikeMode = 'relative';

/** A photo: a path, the encoded bytes, or an image already decoded. */
export type PhotoInput = string | Uint8Array | RgbImage;

export type TargetSource =
  /** The input's own landmarks: the generator should give the input face back. */
  | { own: true }
  /**
   * A named preset: a data preset of the model (presets.ts: neutral, smile) or an action-unit preset
   * (expressionCatalogue.ts: surprise, sad, blink, …); intensity 0..1.5 (above 1 exaggerates), default 1.
   */
  | { expression: string; intensity?: number }
  /** The expression of the (largest, or `face`-th) face in another photo. */
  | { like: PhotoInput; likeNeutral?: PhotoInput; mode?: LikeMode; face?: number }
  /** Landmarks from a landmark file; "absolute" unless `mode` says otherwise (the file says where points go). */
  | { landmarks: LandmarkFile; mode?: LikeMode };

/**
 * A target, optionally adjusted by facial action units (FACS codes → intensity 0..1.5, e.g. { 12: 0.8, 6: 0.5 };
 * see actionUnits.ts), measured on the input's own face, and then by hand edits (crop pixels, see edits.ts).
 */
export type Target = TargetSource & { au?: ActionUnits; edits?: LandmarkEdits };

/** What resolving a target needs to know about the model and the input face. */
export interface TargetContext {
  alignment: AlignmentConfig;
  /** The input face's aligned landmarks, normalized. */
  input: Float32Array;
  presets?: PresetsFile;
  /** Aligns the chosen face of another photo with the model's alignment; returns its normalized landmarks. */
  landmarksOfPhoto(photo: PhotoInput, face: number, name: string): Promise<Float32Array>;
}

function requirePresets(context: TargetContext, why: string): PresetsFile {
  if (!context.presets)
    throw new MimicError(
      `${why} needs expression presets, and the model has none (make them with: mimic presets --data <cache> --out <model dir>/presets.json)`,
      3,
    );
  return context.presets;
}

/** Landmarks of a landmark file in the model's normalized crop space. */
export function landmarkFileToNormalized(given: LandmarkFile, alignment: AlignmentConfig): Float32Array {
  // A library caller may build the object by hand: the same checks as a file read from disk.
  const file = validateLandmarkFile(given, 'landmarks');
  let crop: Landmarks;
  if (file.space === 'normalized') return flattenLandmarks(file.points);
  if (file.space === 'aligned') {
    const { width, height } = file.imageSize;
    crop = file.points.map(([x, y]) => [(x / width) * alignment.size, (y / height) * alignment.size]);
  } else {
    // Photo pixels: align them the way the model aligns a face, with the points' own alignment transform.
    crop = transformLandmarks(file.points, computeAlignment(file.points, alignment).toCrop);
  }
  return flattenLandmarks(normalizeLandmarks(crop, alignment.size));
}

function relative(input: Float32Array, theirs: Float32Array, theirNeutral: ArrayLike<number>): Float32Array {
  return Float32Array.from(input, (v, i) => v + theirs[i]! - theirNeutral[i]!);
}

async function otherPersonLandmarks(
  theirs: Float32Array,
  mode: LikeMode,
  context: TargetContext,
  neutralPhoto: PhotoInput | undefined,
  face: number,
): Promise<Float32Array> {
  if (mode === 'absolute') return theirs;
  if (neutralPhoto !== undefined)
    return relative(
      context.input,
      theirs,
      await context.landmarksOfPhoto(neutralPhoto, face, 'like-neutral'),
    );
  const presets = requirePresets(context, 'relative mode without a neutral photo');
  const neutral = presets.presets[presets.neutral]!.mean;
  return relative(context.input, theirs, neutral);
}

/** The 136 normalized target landmarks for `target`. */
export async function resolveTarget(target: Target, context: TargetContext): Promise<Float32Array> {
  let landmarks: Float32Array;
  let units = target.au !== undefined ? validateActionUnits(target.au) : undefined;
  if ('own' in target) {
    landmarks = Float32Array.from(context.input);
  } else if ('expression' in target) {
    // Action-unit presets need no presets.json; the data presets (neutral, smile) do, and say so if it is missing.
    if (!isActionUnitPreset(target.expression)) requirePresets(context, `expression "${target.expression}"`);
    landmarks = applyExpression(
      context.presets,
      context.input,
      target.expression,
      target.intensity ?? 1,
      units,
    );
    units = undefined;
  } else if ('like' in target) {
    const face = target.face ?? 0;
    const theirs = await context.landmarksOfPhoto(target.like, face, 'like');
    landmarks = await otherPersonLandmarks(
      theirs,
      target.mode ?? DEFAULT_LIKE_MODE,
      context,
      target.likeNeutral,
      face,
    );
  } else {
    const theirs = landmarkFileToNormalized(target.landmarks, context.alignment);
    landmarks = await otherPersonLandmarks(theirs, target.mode ?? 'absolute', context, undefined, 0);
  }
  if (units) landmarks = addActionUnits(landmarks, context.input, units);
  return target.edits ? applyEdits(landmarks, target.edits, context.alignment.size) : landmarks;
}
