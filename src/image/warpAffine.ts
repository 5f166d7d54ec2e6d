/** Resampling an image through a 2-D affine transform (face crops, the warp paste-back, augmentation). */
import { invertAffine, type Affine } from '../geometry/affine.js';
import { createRgbImage, sampleBilinear, type RgbImage } from './rgbImage.js';

/**
 * Resamples `image` through the affine `toTarget` (source pixels → target pixels) into a width × height image.
 * Bilinear sampling at pixel centres; outside the source, edge pixels are repeated (no black borders in crops), or,
 * with `outside`, pixels whose centre falls beyond the source's edge take that colour (a view shown to a person,
 * where repeated edge pixels look like streaks).
 * When the crop shrinks the photo a lot, pass a pre-blurred/downscaled source to avoid aliasing
 * (see src/face/alignFace.ts, which does this).
 */
export function warpAffine(
  image: RgbImage,
  toTarget: Affine,
  width: number,
  height: number,
  outside?: readonly [number, number, number],
): RgbImage {
  const inv = invertAffine(toTarget);
  const out = createRgbImage(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // pixel centre (x + 0.5, y + 0.5) in the target → continuous source coordinates
      const tx = x + 0.5;
      const ty = y + 0.5;
      const sx = inv[0] * tx + inv[1] * ty + inv[2];
      const sy = inv[3] * tx + inv[4] * ty + inv[5];
      const o = (y * width + x) * 3;
      if (outside && (sx < 0 || sy < 0 || sx > image.width || sy > image.height)) out.data.set(outside, o);
      else sampleBilinear(image, sx, sy, out.data, o);
    }
  }
  return out;
}
