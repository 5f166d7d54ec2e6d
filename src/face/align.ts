/**
 * Face alignment: the transform from a photo to the canonical crop, and the crop itself.
 *
 * Two modes:
 * - "affine3" (Qiao et al. 2018): a full 2-D affine that maps the inner eye corners (iBUG 39, 42) and the bottom
 *   of the lower lip (57) onto fixed canonical positions.
 * - "similarity" (default): rotation + uniform scale + translation from the two inner eye corners only.
 *   Default because the 3-point affine pins point 57 in place: an opening mouth or dropping jaw is stretched
 *   back to the canonical lip position, so the aligned landmarks cannot express it (and neither can a hand edit
 *   that opens the mouth), and it shears faces whose lip is off-centre. The eye corners barely move with
 *   expression, so the similarity keeps all expression geometry in the landmarks.
 *
 * Canonical positions are fractions of the crop size, chosen from FRL London faces so that brows, jaw and chin
 * fit in the crop with a margin (in units of the inner-eye distance d, a face spans x ∈ [−2, 2] d and y ∈
 * [−0.8, 2.9] d around the inner-eye midpoint; here d = 0.19 · size).
 */
import { ALIGNMENT_POINTS, type Landmarks } from './landmarks.js';
import {
  type Affine,
  affineFromThreePoints,
  applyAffine,
  invertAffine,
  similarityFromTwoPoints,
  type Point,
} from '../geometry/affine.js';

export type AlignmentMode = 'affine3' | 'similarity';

export interface AlignmentConfig {
  mode: AlignmentMode;
  /** Crop side in pixels. */
  size: number;
  /** Canonical positions as fractions of the crop side: [x, y]. */
  canonical: { rightInnerEye: Point; leftInnerEye: Point; lowerLipBottom: Point };
}

export const DEFAULT_ALIGNMENT: AlignmentConfig = {
  mode: 'similarity',
  size: 64,
  canonical: { rightInnerEye: [0.405, 0.36], leftInnerEye: [0.595, 0.36], lowerLipBottom: [0.5, 0.73] },
};

export interface Alignment {
  config: AlignmentConfig;
  /** Photo pixels → crop pixels. */
  toCrop: Affine;
  /** Crop pixels → photo pixels (to paste a generated crop back). */
  toPhoto: Affine;
}

/** Canonical positions in crop pixels. */
export function canonicalPoints(config: AlignmentConfig): {
  rightInnerEye: Point;
  leftInnerEye: Point;
  lowerLipBottom: Point;
} {
  const s = config.size;
  const scale = ([x, y]: Point): Point => [x * s, y * s];
  return {
    rightInnerEye: scale(config.canonical.rightInnerEye),
    leftInnerEye: scale(config.canonical.leftInnerEye),
    lowerLipBottom: scale(config.canonical.lowerLipBottom),
  };
}

/** The transform that aligns a face with the given 68 landmarks (photo pixels). */
export function computeAlignment(
  landmarks: Landmarks,
  config: AlignmentConfig = DEFAULT_ALIGNMENT,
): Alignment {
  const c = canonicalPoints(config);
  const rEye = landmarks[ALIGNMENT_POINTS.rightInnerEye]!;
  const lEye = landmarks[ALIGNMENT_POINTS.leftInnerEye]!;
  const lip = landmarks[ALIGNMENT_POINTS.lowerLipBottom]!;
  const toCrop =
    config.mode === 'affine3'
      ? affineFromThreePoints([rEye, lEye, lip], [c.rightInnerEye, c.leftInnerEye, c.lowerLipBottom])
      : similarityFromTwoPoints([rEye, lEye], [c.rightInnerEye, c.leftInnerEye]);
  return { config, toCrop, toPhoto: invertAffine(toCrop) };
}

export function transformLandmarks(points: Landmarks, m: Affine): Landmarks {
  return points.map((p) => applyAffine(m, p));
}
