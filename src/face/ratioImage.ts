/**
 * Expression ratio images (Liu, Shan & Zhang, "Expressive expression mapping with ratio images", SIGGRAPH 2001):
 * the fine shading of an expression (nasolabial folds, raised cheeks, eye-corner creases) as the ratio of an
 * expression photo's luma to the same person's neutral photo warped to the expression's landmarks. A ratio image
 * is stored as its logarithm on a mean-shape crop; applied, it is warped from that shape to the target landmarks,
 * and multiplies the photo's luma in the warp paste (all three channels by the same factor, so a gray
 * photo stays gray). The lips and what lies outside the face are left alone: the mouth interior and the warp
 * handle the lips, and averaged ratios are noise in hair and background.
 *
 * How much of it a target gets follows its geometry, not its name: the ratio image stores the mean landmark motion
 * of the pairs it was averaged from, and a target's motion away from the photo's own landmarks is projected onto
 * it (`ratioStrength`). So a smile preset, a hand-dragged smile, a --like smile and a driving frame all get the
 * shading their shape asks for, and a neutral or frowning target gets none.
 */
import type { Point } from '../geometry/affine.js';
import { piecewiseAffineWarp } from '../image/piecewiseAffineWarp.js';
import type { RgbImage } from '../image/rgbImage.js';
import { polygonDistance } from '../geometry/polygon.js';
import { interocularDistance, LANDMARK_VALUES, type Landmarks } from './landmarks.js';

export interface RatioImage {
  /** Side of the crop it is stored on (the model's crop size). */
  size: number;
  /** The shape it is stored on (crop pixels). */
  shape: Landmarks;
  /** log(expression / neutral luma), size × size. */
  log: Float32Array;
  /**
   * The mean landmark motion from the neutral to the expression photos it was averaged from, divided by each
   * neutral face's inter-ocular distance: 68 × (x, y).
   */
  motion: Float32Array;
  /** The people it was averaged from (so that an evaluation can refuse one made from its held-out people). */
  subjects: readonly string[];
}

/**
 * The strength a target's move saturates at. A ratio image is an average, so its shading grows with the motion
 * only so far: the `smile` preset moves about twice as far as the mean FRL smile, and twice the mean shading
 * turned cheeks blotchy and mouth corners dirty in the gallery, while 1.5× looked right.
 */
export const MAX_RATIO_STRENGTH = 2;

/**
 * How much of `ratio` the move from `own` to `target` (both in the same pixels) asks for: the move, divided by
 * the face's inter-ocular distance, projected onto the ratio image's mean motion (p: 0 for the face's own landmarks,
 * 1 for the averaged expression), then saturated: M·tanh(p/M) with M = MAX_RATIO_STRENGTH, which is p for small
 * moves and approaches M for large ones (so an exaggerated preset still shades a little more than the plain one);
 * 0 for a move against the expression.
 */
export function ratioStrength(ratio: RatioImage, own: Landmarks, target: Landmarks): number {
  const iod = interocularDistance(own);
  if (!(iod > 0)) return 0;
  let dot = 0;
  let norm = 0;
  for (let k = 0; k < LANDMARK_VALUES; k++) {
    const m = ratio.motion[k]!;
    const d = (target[k >> 1]![k & 1]! - own[k >> 1]![k & 1]!) / iod;
    dot += d * m;
    norm += m * m;
  }
  if (!(norm > 0)) return 0;
  const p = Math.max(0, dot / norm);
  return MAX_RATIO_STRENGTH * Math.tanh(p / MAX_RATIO_STRENGTH);
}

/** Stored log ratios are carried through the RGB warper as bytes over this range. */
const LOG_RANGE = 0.5;

/** The ratio warped to `target` (crop pixels), still at crop size, as log values. */
function warpedLog(ratio: RatioImage, target: Landmarks): Float32Array {
  const { size } = ratio;
  const enc: RgbImage = { width: size, height: size, data: new Uint8Array(size * size * 3) };
  for (let i = 0; i < size * size; i++) {
    const v = Math.round(((ratio.log[i]! + LOG_RANGE) / (2 * LOG_RANGE)) * 255);
    enc.data[3 * i] = enc.data[3 * i + 1] = enc.data[3 * i + 2] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  const moved = piecewiseAffineWarp(enc, ratio.shape, target);
  const out = new Float32Array(size * size);
  for (let i = 0; i < out.length; i++) out[i] = (moved.data[3 * i]! / 255) * 2 * LOG_RANGE - LOG_RANGE;
  return out;
}

/**
 * The log luma gain `ratio` asks for at `strength` on the crop's grid: warped to `target`, inside the face
 * (`faceMask`, crop-size weights 0..1), faded out towards the lips of `target`.
 */
export function ratioLogGain(
  ratio: RatioImage,
  target: Landmarks,
  faceMask: Float32Array,
  strength: number,
): Float32Array {
  const size = ratio.size;
  if (strength === 0) return new Float32Array(size * size);
  const log = warpedLog(ratio, target);
  const outerLips: Point[] = target.slice(48, 60);
  // Farther than 1.5 px from the lips' bounding box, a pixel is outside the lips and more than 1 px from them: its
  // fade is exactly 1, without the distance (a pixel away, for every frame of an animation, most of the crop).
  const xs = outerLips.map((p) => p[0]);
  const ys = outerLips.map((p) => p[1]);
  const [nearX0, nearX1] = [Math.min(...xs) - 1.5, Math.max(...xs) + 1.5];
  const [nearY0, nearY1] = [Math.min(...ys) - 1.5, Math.max(...ys) + 1.5];
  for (let i = 0; i < log.length; i++) {
    // Outside the face the product is a zero whatever the lips' fade (a non-negative factor): the distance to the
    // lips, the costly part, is left out there.
    if (faceMask[i] === 0) {
      log[i] = log[i]! * faceMask[i]! * strength;
      continue;
    }
    const x = (i % size) + 0.5;
    const y = Math.floor(i / size) + 0.5;
    const nearLips = x >= nearX0 && x <= nearX1 && y >= nearY0 && y <= nearY1;
    // fade out over 1 crop pixel towards the lips
    const d = nearLips ? -polygonDistance(outerLips, x, y) : 1;
    const lipsFade = d <= 0 ? 0 : d >= 1 ? 1 : d;
    log[i] = log[i]! * faceMask[i]! * lipsFade * strength;
  }
  return log;
}
