/**
 * Peak signal-to-noise ratio on 8-bit images: PSNR = 10·log10(255² / MSE), the MSE taken over every pixel and
 * every RGB channel at once (scikit-image's `peak_signal_noise_ratio(data_range=255)` on an H×W×3 array).
 * Identical images give +Infinity.
 */
import type { RgbImage } from '../image/rgbImage.js';

export function meanSquaredError(a: RgbImage, b: RgbImage): number {
  if (a.width !== b.width || a.height !== b.height)
    throw new Error(`psnr: sizes differ (${a.width}×${a.height} vs ${b.width}×${b.height})`);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = a.data[i]! - b.data[i]!;
    sum += d * d;
  }
  return sum / a.data.length;
}

export function psnr(a: RgbImage, b: RgbImage): number {
  const mse = meanSquaredError(a, b);
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}
