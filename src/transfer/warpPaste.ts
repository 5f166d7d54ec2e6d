/**
 * The "warp" paste: geometry from the landmarks at photo resolution, appearance from the generator.
 *
 * The generator's 64-px output is blurry next to a photo; its landmark-driven geometry can be reproduced sharply
 * by warping the photo's own face region (piecewise-affine, own landmarks → target landmarks). What the warp cannot
 * make (teeth, creases, shading) is the generator's output minus its own rendering of the input moved by the same
 * warp; that difference is enlarged and added. With a well-trained generator the difference carries the new
 * appearance; with a weak one the result degrades towards the warp alone, never towards a blurry face.
 */
import { composeAffine, type Affine } from '../geometry/affine.js';
import { warpAffineCached } from '../image/warpAffineCache.js';
import type { Landmarks } from '../face/landmarks.js';
import { piecewiseAffineWarp } from '../image/piecewiseAffineWarp.js';
import { createRgbImage, type RgbImage } from '../image/rgbImage.js';
import { limitChroma } from '../image/palette.js';
import { removeColourDrift } from './paste.js';

/**
 * The face region of `photo` at `viewSize` px (aligned like the crops), warped from `own` to `target` (crop
 * pixels), plus the generator's appearance change enlarged from crop size. Returns the view and its transform.
 */
export function warpedFaceView(
  photo: RgbImage,
  toCrop: Affine,
  cropSize: number,
  viewSize: number,
  own: Landmarks,
  target: Landmarks,
  /** The generator's faces for the target and for the input's own landmarks; null: the warp alone. */
  generated: RgbImage | null,
  generatedOwn: RgbImage | null,
  /** crop-size mask of the face (cropMask): where the generator's overall colour drift is measured */
  faceMask: Float32Array,
  /** 0..1: share of the change's chroma the photo takes (palette.ts chromaAllowance; 0 for a grayscale photo) */
  chromaAllowance = 1,
): { view: RgbImage; toView: Affine } {
  const zoom = viewSize / cropSize;
  const toView = composeAffine([zoom, 0, 0, 0, zoom, 0], toCrop);
  const scale = (points: Landmarks): Landmarks => points.map(([x, y]) => [x * zoom, y * zoom]);
  const view = piecewiseAffineWarp(
    warpAffineCached(photo, toView, viewSize, viewSize),
    scale(own),
    scale(target),
  );
  if (!generated || !generatedOwn) return { view, toView }; // no generator: the warp alone
  // Appearance change at crop size: generated − (its rendering of the input, moved by the same warp).
  const moved = piecewiseAffineWarp(generatedOwn, own, target);
  const centred = removeColourDrift(generated, moved, faceMask);
  const diff = new Float32Array(generated.data.length);
  for (let i = 0; i < diff.length; i += 3)
    limitChroma(
      centred.data[i]! - moved.data[i]!,
      centred.data[i + 1]! - moved.data[i + 1]!,
      centred.data[i + 2]! - moved.data[i + 2]!,
      chromaAllowance,
      diff,
      i,
    );
  const out = createRgbImage(viewSize, viewSize);
  for (let y = 0; y < viewSize; y++) {
    // bilinear enlargement of the (smooth) difference, pixel centres aligned
    const sy = Math.min(cropSize - 1, Math.max(0, (y + 0.5) / zoom - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, cropSize - 1);
    const fy = sy - y0;
    for (let x = 0; x < viewSize; x++) {
      const sx = Math.min(cropSize - 1, Math.max(0, (x + 0.5) / zoom - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, cropSize - 1);
      const fx = sx - x0;
      const o = (y * viewSize + x) * 3;
      for (let c = 0; c < 3; c++) {
        const d =
          (diff[(y0 * cropSize + x0) * 3 + c]! * (1 - fx) + diff[(y0 * cropSize + x1) * 3 + c]! * fx) *
            (1 - fy) +
          (diff[(y1 * cropSize + x0) * 3 + c]! * (1 - fx) + diff[(y1 * cropSize + x1) * 3 + c]! * fx) * fy;
        const v = Math.round(view.data[o + c]! + d);
        out.data[o + c] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return { view: out, toView };
}
