/**
 * The editor's two coordinate systems: photo pixels (what the view draws and the pointer gives) and the normalized
 * crop coordinates, −1..1, that the model takes and the landmark history holds.
 */
import { applyAffine, type Affine, type Point } from '../../../src/geometry/affine.js';
import { denormalizeLandmarks, unflattenLandmarks, type Landmarks } from '../../../src/face/landmarks.js';
import type { RgbImage } from '../../../src/image/rgbImage.js';

/** Normalized crop coordinates (136 numbers) → photo pixels. */
export function toPhotoPoints(flat: Float32Array, toPhoto: Affine, cropSize: number): Landmarks {
  return denormalizeLandmarks(unflattenLandmarks(flat), cropSize).map((p) => applyAffine(toPhoto, p));
}

/** Photo pixels → normalized crop coordinates. */
export function photoToNormalized(p: Point, toCrop: Affine, cropSize: number): Point {
  const [x, y] = applyAffine(toCrop, p);
  return [(x / cropSize) * 2 - 1, (y / cropSize) * 2 - 1];
}

/** A pointer outside the photo drags to the photo's edge: a landmark never leaves the picture. */
export function keepInside([x, y]: Point, photo: RgbImage): Point {
  return [Math.max(0, Math.min(photo.width - 1, x)), Math.max(0, Math.min(photo.height - 1, y))];
}

/**
 * The moved points stay inside the model's crop (normalized −1..1, with a margin): the warp's triangles are
 * built over the 68 points and the crop's border, and a point beyond the border folds them (speckles at the edge).
 */
const CROP_LIMIT = 0.97;
export function keepInCrop(flat: Float32Array, indices: readonly number[]): Float32Array {
  for (const i of indices)
    for (const c of [2 * i, 2 * i + 1]) flat[c] = Math.max(-CROP_LIMIT, Math.min(CROP_LIMIT, flat[c]!));
  return flat;
}

export function sameLandmarks(a: Float32Array, b: Float32Array): boolean {
  return a.every((v, i) => v === b[i]);
}
