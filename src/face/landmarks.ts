/**
 * The iBUG 68-point landmark scheme (as used by dlib and face-api): types, named groups, the left/right mirror
 * map and conversions between crop pixels and the [-1, 1] range the networks use.
 *
 * "Left" and "right" are the subject's own, as in the iBUG annotation: the subject's right eye (points 36–41)
 * appears on the left of a photo.
 */

import type { Point } from '../geometry/affine.js';

export const LANDMARK_COUNT = 68;
/** Values of one flat landmark set [x0, y0, x1, y1, …]: what the networks take and give. */
export const LANDMARK_VALUES = LANDMARK_COUNT * 2;

/** 68 points in iBUG order. */
export type Landmarks = Point[];

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Named groups of point indices. Eyelid and mouth-corner groups are the points a hand edit moves. */
export const LANDMARK_GROUPS = {
  jaw: range(0, 16),
  rightBrow: range(17, 21),
  leftBrow: range(22, 26),
  brows: range(17, 26),
  noseBridge: range(27, 30),
  noseBottom: range(31, 35),
  nose: range(27, 35),
  rightEye: range(36, 41),
  leftEye: range(42, 47),
  eyes: range(36, 47),
  rightUpperEyelid: [37, 38],
  rightLowerEyelid: [40, 41],
  leftUpperEyelid: [43, 44],
  leftLowerEyelid: [46, 47],
  upperEyelids: [37, 38, 43, 44],
  lowerEyelids: [40, 41, 46, 47],
  outerLips: range(48, 59),
  innerLips: range(60, 67),
  lips: range(48, 67),
  upperLip: [48, 49, 50, 51, 52, 53, 54, 60, 61, 62, 63, 64],
  lowerLip: [55, 56, 57, 58, 59, 65, 66, 67],
  rightMouthCorner: [48, 60],
  leftMouthCorner: [54, 64],
  mouthCorners: [48, 54, 60, 64],
} as const satisfies Record<string, readonly number[]>;

export type LandmarkGroupName = keyof typeof LANDMARK_GROUPS;

/** Points the alignment uses: inner corners of both eyes and the bottom of the lower lip (Qiao et al. 2018). */
export const ALIGNMENT_POINTS = { rightInnerEye: 39, leftInnerEye: 42, lowerLipBottom: 57 } as const;

/** Pairs that swap under a horizontal flip; points not listed (nose bridge, 33, 51, 57, 62, 66) map to themselves. */
const MIRROR_PAIRS: ReadonlyArray<readonly [number, number]> = [
  // jaw
  ...range(0, 7).map((i) => [i, 16 - i] as const),
  // brows
  [17, 26],
  [18, 25],
  [19, 24],
  [20, 23],
  [21, 22],
  // nose bottom
  [31, 35],
  [32, 34],
  // eyes
  [36, 45],
  [37, 44],
  [38, 43],
  [39, 42],
  [40, 47],
  [41, 46],
  // outer lips
  [48, 54],
  [49, 53],
  [50, 52],
  [55, 59],
  [56, 58],
  // inner lips
  [60, 64],
  [61, 63],
  [65, 67],
];

/** MIRROR_MAP[i] is the index that point i becomes after a horizontal flip. An involution. */
export const MIRROR_MAP: readonly number[] = (() => {
  const map = range(0, LANDMARK_COUNT - 1);
  for (const [a, b] of MIRROR_PAIRS) {
    map[a] = b;
    map[b] = a;
  }
  return map;
})();

/** Landmarks of the horizontally flipped image of width `width` (pixel coordinates, x → width − x). */
export function mirrorLandmarks(points: Landmarks, width: number): Landmarks {
  return MIRROR_MAP.map((source) => {
    const p = points[source]!;
    return [width - p[0], p[1]];
  });
}

/** Same as mirrorLandmarks for a flat [x0, y0, x1, y1, …] array in [-1, 1] (x → −x). */
export function mirrorNormalizedFlat(flat: ArrayLike<number>): Float32Array {
  const out = new Float32Array(LANDMARK_VALUES);
  for (let i = 0; i < LANDMARK_COUNT; i++) {
    const source = MIRROR_MAP[i]!;
    out[2 * i] = -flat[2 * source]!;
    out[2 * i + 1] = flat[2 * source + 1]!;
  }
  return out;
}

/** Crop pixels [0, size] → [-1, 1]. */
export function normalizeLandmarks(points: Landmarks, size: number): Landmarks {
  return points.map(([x, y]) => [(x / size) * 2 - 1, (y / size) * 2 - 1]);
}

/** [-1, 1] → crop pixels [0, size]. */
export function denormalizeLandmarks(points: Landmarks, size: number): Landmarks {
  return points.map(([x, y]) => [((x + 1) / 2) * size, ((y + 1) / 2) * size]);
}

export function flattenLandmarks(points: Landmarks): Float32Array {
  const out = new Float32Array(points.length * 2);
  points.forEach(([x, y], i) => {
    out[2 * i] = x;
    out[2 * i + 1] = y;
  });
  return out;
}

export function unflattenLandmarks(flat: ArrayLike<number>): Landmarks {
  const out: Landmarks = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

/** Mean distance between corresponding points. */
export function meanPointDistance(a: Landmarks, b: Landmarks): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.hypot(a[i]![0] - b[i]![0], a[i]![1] - b[i]![1]);
  return sum / a.length;
}

/** The extremes of a set of points: the least and greatest x (left, right) and y (top, bottom). */
export function landmarkBounds(points: Landmarks): {
  left: number;
  top: number;
  right: number;
  bottom: number;
} {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const [x, y] of points) {
    left = Math.min(left, x);
    right = Math.max(right, x);
    top = Math.min(top, y);
    bottom = Math.max(bottom, y);
  }
  return { left, top, right, bottom };
}

/** Distance between the eye centres (mean of each eye's six points): the usual normaliser of landmark error. */
export function interocularDistance(points: Landmarks): number {
  const centre = (indices: readonly number[]): Point => {
    let x = 0;
    let y = 0;
    for (const i of indices) {
      x += points[i]![0];
      y += points[i]![1];
    }
    return [x / indices.length, y / indices.length];
  };
  const r = centre(LANDMARK_GROUPS.rightEye);
  const l = centre(LANDMARK_GROUPS.leftEye);
  return Math.hypot(l[0] - r[0], l[1] - r[1]);
}
