/**
 * warpAffine with a memory of its last result per source image: the frames of an animation all warp the same photo
 * through the same transform into the same face view (only the landmark warp on top of it changes per frame), so
 * the second and later frames reuse the first one's view instead of resampling the photo again.
 *
 * Keyed by the image object itself (a WeakMap: an image no longer used frees its entry) plus the transform and size.
 * The returned image is shared: callers must treat it as read-only, as every warp in Mimic does with its inputs.
 */
import type { Affine } from '../geometry/affine.js';
import type { RgbImage } from './rgbImage.js';
import { warpAffine } from './warpAffine.js';

interface Entry {
  key: string;
  data: Uint8Array;
  result: RgbImage;
}

const last = new WeakMap<RgbImage, Entry>();

export function warpAffineCached(image: RgbImage, toTarget: Affine, width: number, height: number): RgbImage {
  const key = `${toTarget.join(',')}|${width}|${height}`;
  const entry = last.get(image);
  // `data` is compared too: an image object whose pixels were replaced is a different image.
  if (entry !== undefined && entry.key === key && entry.data === image.data) return entry.result;
  const result = warpAffine(image, toTarget, width, height);
  last.set(image, { key, data: image.data, result });
  return result;
}
