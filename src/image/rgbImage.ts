import type { Point } from '../geometry/affine.js';
import { insidePolygon } from '../geometry/polygon.js';

/** An 8-bit RGB image in memory: row-major, 3 bytes per pixel, no padding. The one image type Mimic passes around. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A rectangle of pixels, bounds inclusive. */
export interface PixelBox {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export function createRgbImage(width: number, height: number): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3) };
}

/** [0, 255] bytes → floats in [-1, 1], the range the networks use. */
export function imageToUnitRange(image: RgbImage): Float32Array {
  const out = new Float32Array(image.data.length);
  for (let i = 0; i < out.length; i++) out[i] = image.data[i]! / 127.5 - 1;
  return out;
}

/** Floats in [-1, 1] → bytes, clamped and rounded. */
export function unitRangeToImage(values: ArrayLike<number>, width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) {
    const v = Math.round((values[i]! + 1) * 127.5);
    data[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return { width, height, data };
}

/**
 * Bilinear sample of `image` at continuous coordinates (sx, sy) (pixel i spans [i, i + 1]; its centre is i + 0.5),
 * written as 3 bytes at dst[o…o+2]. Outside the image, edge pixels repeat (no black borders in warps and crops).
 */
export function sampleBilinear(image: RgbImage, sx: number, sy: number, dst: Uint8Array, o: number): void {
  const { width: sw, height: sh, data: src } = image;
  let x = sx - 0.5;
  let y = sy - 0.5;
  x = x < 0 ? 0 : x > sw - 1 ? sw - 1 : x;
  y = y < 0 ? 0 : y > sh - 1 ? sh - 1 : y;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(x0 + 1, sw - 1);
  const y1 = Math.min(y0 + 1, sh - 1);
  const fx = x - x0;
  const fy = y - y0;
  const i00 = (y0 * sw + x0) * 3;
  const i01 = (y0 * sw + x1) * 3;
  const i10 = (y1 * sw + x0) * 3;
  const i11 = (y1 * sw + x1) * 3;
  for (let c = 0; c < 3; c++) {
    const top = src[i00 + c]! * (1 - fx) + src[i01 + c]! * fx;
    const bottom = src[i10 + c]! * (1 - fx) + src[i11 + c]! * fx;
    dst[o + c] = Math.round(top * (1 - fy) + bottom * fy);
  }
}

/**
 * Bilinear sample of the three channels at continuous (x, y) (pixel centres at i + 0.5, edge pixels repeated),
 * unrounded, into out[0..2]: for code that keeps working on the values before writing bytes.
 */
export function sampleBilinearFloat(
  image: RgbImage,
  x: number,
  y: number,
  out: number[] | Float64Array,
): void {
  const sx = Math.min(image.width - 1, Math.max(0, x - 0.5));
  const sy = Math.min(image.height - 1, Math.max(0, y - 0.5));
  const xa = Math.floor(sx);
  const ya = Math.floor(sy);
  const xb = Math.min(xa + 1, image.width - 1);
  const yb = Math.min(ya + 1, image.height - 1);
  const fx = sx - xa;
  const fy = sy - ya;
  const d = image.data;
  for (let c = 0; c < 3; c++) {
    const top = d[(ya * image.width + xa) * 3 + c]! * (1 - fx) + d[(ya * image.width + xb) * 3 + c]! * fx;
    const bottom = d[(yb * image.width + xa) * 3 + c]! * (1 - fx) + d[(yb * image.width + xb) * 3 + c]! * fx;
    out[c] = top * (1 - fy) + bottom * fy;
  }
}

/**
 * Bilinear sample of channel `c` of a size × size grid of `channels` values a cell, at (x, y) in its pixel units
 * (pixel centres at i + 0.5, edge values repeated outside).
 */
export function sampleGrid(
  grid: Float32Array,
  size: number,
  x: number,
  y: number,
  channels = 1,
  c = 0,
): number {
  const sx = Math.min(size - 1, Math.max(0, x - 0.5));
  const sy = Math.min(size - 1, Math.max(0, y - 0.5));
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const x1 = Math.min(x0 + 1, size - 1);
  const y1 = Math.min(y0 + 1, size - 1);
  const fx = sx - x0;
  const fy = sy - y0;
  return (
    (grid[(y0 * size + x0) * channels + c]! * (1 - fx) + grid[(y0 * size + x1) * channels + c]! * fx) *
      (1 - fy) +
    (grid[(y1 * size + x0) * channels + c]! * (1 - fx) + grid[(y1 * size + x1) * channels + c]! * fx) * fy
  );
}

/** Whether this machine stores the low byte of a 32-bit word first (every platform Node and browsers run on now). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** RGB → RGBA bytes with opaque alpha (GIF/MP4 encoders and canvases want four channels). */
export function rgbToRgba(image: RgbImage): Uint8Array {
  const n = image.width * image.height;
  const rgba = new Uint8Array(n * 4);
  const rgb = image.data;
  if (LITTLE_ENDIAN) {
    // One 32-bit store a pixel instead of four byte stores: the page converts every pasted preview (a third of a
    // megapixel and more), where the byte loop took about 16 ms a slider move.
    const words = new Uint32Array(rgba.buffer);
    for (let i = 0, s = 0; i < n; i++, s += 3)
      words[i] = rgb[s]! | (rgb[s + 1]! << 8) | (rgb[s + 2]! << 16) | 0xff000000;
    return rgba;
  }
  for (let i = 0; i < n; i++) {
    rgba[4 * i] = rgb[3 * i]!;
    rgba[4 * i + 1] = rgb[3 * i + 1]!;
    rgba[4 * i + 2] = rgb[3 * i + 2]!;
    rgba[4 * i + 3] = 255;
  }
  return rgba;
}

/**
 * ITU-R BT.601 luma weights of R, G and B, the usual RGB → gray conversion: what gray models see (training and
 * inference) and what the gray SSIM compares.
 */
export const LUMA_WEIGHTS = [0.299, 0.587, 0.114] as const;

/** The BT.601 luma of one pixel (any scale: 0..255 or [-1, 1]). */
export function luma(r: number, g: number, b: number): number {
  return LUMA_WEIGHTS[0] * r + LUMA_WEIGHTS[1] * g + LUMA_WEIGHTS[2] * b;
}

/**
 * Appends to `into` the luma of every pixel of `image` whose centre lies inside `polygon` (image pixels), row by
 * row; only the polygon's bounding box is visited.
 */
export function lumasInside(image: RgbImage, polygon: Point[], into: number[]): void {
  const xs = polygon.map((p) => p[0]);
  const ys = polygon.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const x1 = Math.min(image.width - 1, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(image.height - 1, Math.ceil(Math.max(...ys)));
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      if (!insidePolygon(polygon, x + 0.5, y + 0.5)) continue;
      const o = (y * image.width + x) * 3;
      into.push(luma(image.data[o]!, image.data[o + 1]!, image.data[o + 2]!));
    }
}

/**
 * Scales an image to width × height with a proper (anti-aliasing) filter. Passed into the shared modules that
 * scale (alignment, paste-back): sharp in Node (src/image/io.ts), the browser's canvas in the web page.
 */
export type ResizeImage = (image: RgbImage, width: number, height: number) => Promise<RgbImage>;
