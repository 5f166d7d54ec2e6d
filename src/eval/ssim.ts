/**
 * Structural similarity (Wang, Bovik, Sheikh & Simoncelli 2004) on 8-bit images, the convention of
 * scikit-image's `structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
 * data_range=255)`, which our reference fixtures are computed with (test/fixtures/eval/ssim_reference.py):
 *
 * - local statistics with a separable Gaussian window, σ = 1.5, 11 taps (radius 5 = int(3.5·σ + 0.5)),
 *   weights normalised to sum 1; population (not sample) variances and covariance;
 * - C1 = (0.01·255)², C2 = (0.03·255)²;
 * - borders: the SSIM map is averaged only where the 11×11 window lies fully inside the image (a 5-pixel margin
 *   is dropped on every side, 54×54 of 64×64), so no padding rule enters the result;
 * - RGB: SSIM per channel, then the mean of the three; gray: luma Y = 0.299·R + 0.587·G + 0.114·B (ITU-R BT.601,
 *   MATLAB's rgb2gray, as in Wang's reference code) kept as floats, not rounded.
 */
import { LUMA_WEIGHTS, type RgbImage } from '../image/rgbImage.js';

export const SSIM_SIGMA = 1.5;
export const SSIM_RADIUS = 5;
export const SSIM_K1 = 0.01;
export const SSIM_K2 = 0.03;
export const SSIM_DATA_RANGE = 255;

/** A single-channel float image, row-major. */
export interface Plane {
  width: number;
  height: number;
  data: Float64Array;
}

function gaussianKernel(sigma: number, radius: number): Float64Array {
  const k = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    k[i + radius] = Math.exp((-0.5 * i * i) / (sigma * sigma));
    sum += k[i + radius]!;
  }
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  return k;
}

const KERNEL = gaussianKernel(SSIM_SIGMA, SSIM_RADIUS);

/**
 * Gaussian-filtered values on the "valid" region only: output (h − 2r) × (w − 2r), which is all the SSIM mean
 * needs (see the border note above).
 */
function filterValid(data: Float64Array, width: number, height: number): Float64Array {
  const r = SSIM_RADIUS;
  const ow = width - 2 * r;
  const oh = height - 2 * r;
  // rows first (all rows, valid columns), then columns (valid rows)
  const tmp = new Float64Array(height * ow);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      const base = y * width + x;
      for (let k = 0; k < KERNEL.length; k++) s += KERNEL[k]! * data[base + k]!;
      tmp[y * ow + x] = s;
    }
  }
  const out = new Float64Array(oh * ow);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k < KERNEL.length; k++) s += KERNEL[k]! * tmp[(y + k) * ow + x]!;
      out[y * ow + x] = s;
    }
  }
  return out;
}

/** Mean SSIM of two single-channel planes of the same size (values on a 0..255 scale). */
export function ssimPlane(a: Plane, b: Plane): number {
  if (a.width !== b.width || a.height !== b.height)
    throw new Error(`ssim: sizes differ (${a.width}×${a.height} vs ${b.width}×${b.height})`);
  const { width, height } = a;
  if (width < 2 * SSIM_RADIUS + 1 || height < 2 * SSIM_RADIUS + 1)
    throw new Error(`ssim: images must be at least ${2 * SSIM_RADIUS + 1} pixels on each side`);
  const n = width * height;
  const aa = new Float64Array(n);
  const bb = new Float64Array(n);
  const ab = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = a.data[i]!;
    const y = b.data[i]!;
    aa[i] = x * x;
    bb[i] = y * y;
    ab[i] = x * y;
  }
  const mx = filterValid(a.data, width, height);
  const my = filterValid(b.data, width, height);
  const mxx = filterValid(aa, width, height);
  const myy = filterValid(bb, width, height);
  const mxy = filterValid(ab, width, height);
  const c1 = (SSIM_K1 * SSIM_DATA_RANGE) ** 2;
  const c2 = (SSIM_K2 * SSIM_DATA_RANGE) ** 2;
  let sum = 0;
  for (let i = 0; i < mx.length; i++) {
    const ux = mx[i]!;
    const uy = my[i]!;
    const vx = mxx[i]! - ux * ux;
    const vy = myy[i]! - uy * uy;
    const vxy = mxy[i]! - ux * uy;
    sum += ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
  }
  return sum / mx.length;
}

/** One colour channel (0 = R, 1 = G, 2 = B) as a plane. */
export function channelPlane(image: RgbImage, channel: 0 | 1 | 2): Plane {
  const n = image.width * image.height;
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = image.data[3 * i + channel]!;
  return { width: image.width, height: image.height, data };
}

/** BT.601 luma as floats on 0..255 (not rounded). */
export function grayPlane(image: RgbImage): Plane {
  const n = image.width * image.height;
  const data = new Float64Array(n);
  const [wr, wg, wb] = LUMA_WEIGHTS;
  for (let i = 0; i < n; i++)
    data[i] = wr * image.data[3 * i]! + wg * image.data[3 * i + 1]! + wb * image.data[3 * i + 2]!;
  return { width: image.width, height: image.height, data };
}

/** SSIM of the BT.601 luma of two images. */
export function ssimGray(a: RgbImage, b: RgbImage): number {
  return ssimPlane(grayPlane(a), grayPlane(b));
}

/** SSIM per RGB channel, averaged over the three channels. */
export function ssimRgb(a: RgbImage, b: RgbImage): number {
  let sum = 0;
  for (const c of [0, 1, 2] as const) sum += ssimPlane(channelPlane(a, c), channelPlane(b, c));
  return sum / 3;
}
