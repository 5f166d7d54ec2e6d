/**
 * Training-time augmentation of aligned crops: a random small similarity (rotation, scale, shift about the crop
 * centre) applied to an image and, with the same transform, to its landmarks; a horizontal flip (landmarks through
 * the iBUG mirror map); and a colour jitter (brightness, contrast, saturation). Works on 8-bit crops and
 * normalized landmarks, like the cache stores them.
 */
import type { Affine } from '../geometry/affine.js';
import { warpAffine } from '../image/warpAffine.js';
import { mirrorNormalizedFlat } from '../face/landmarks.js';
import { luma, type RgbImage } from '../image/rgbImage.js';
import type { AugmentConfig } from '../model/config.js';
import type { Rng } from '../util/random.js';

/** A random similarity about the centre of a size×size crop (crop pixels → crop pixels). */
export function randomJitter(rng: Rng, config: AugmentConfig, size: number): Affine {
  const angle = (rng.uniform(-1, 1) * config.rotateDegrees * Math.PI) / 180;
  const scale = 1 + rng.uniform(-1, 1) * config.scale;
  const dx = rng.uniform(-1, 1) * config.shiftPixels;
  const dy = rng.uniform(-1, 1) * config.shiftPixels;
  const c = size / 2;
  const a = scale * Math.cos(angle);
  const b = scale * Math.sin(angle);
  // x' = R·s·(x − c) + c + d
  return [a, -b, c - a * c + b * c + dx, b, a, c - b * c - a * c + dy];
}

export function isIdentityJitter(config: AugmentConfig): boolean {
  return config.rotateDegrees === 0 && config.scale === 0 && config.shiftPixels === 0;
}

/** The crop through `m` (edge pixels repeated outside). */
export function warpCrop(image: RgbImage, m: Affine): RgbImage {
  return warpAffine(image, m, image.width, image.height);
}

/** Normalized landmarks ([-1, 1] over a size×size crop) through a crop-pixel affine. */
export function warpNormalizedLandmarks(flat: Float32Array, m: Affine, size: number): Float32Array {
  const out = new Float32Array(flat.length);
  for (let i = 0; i < flat.length; i += 2) {
    const x = ((flat[i]! + 1) / 2) * size;
    const y = ((flat[i + 1]! + 1) / 2) * size;
    out[i] = ((m[0] * x + m[1] * y + m[2]) / size) * 2 - 1;
    out[i + 1] = ((m[3] * x + m[4] * y + m[5]) / size) * 2 - 1;
  }
  return out;
}

export function flipImage(image: RgbImage): RgbImage {
  const { width, height, data } = image;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const from = (y * width + (width - 1 - x)) * 3;
      const to = (y * width + x) * 3;
      out[to] = data[from]!;
      out[to + 1] = data[from + 1]!;
      out[to + 2] = data[from + 2]!;
    }
  return { width, height, data: out };
}

export function flipLandmarks(flat: Float32Array): Float32Array {
  return mirrorNormalizedFlat(flat);
}

export interface ColourJitter {
  brightness: number;
  contrast: number;
  saturation: number;
}

export function randomColourJitter(rng: Rng, config: AugmentConfig): ColourJitter {
  return {
    brightness: rng.uniform(-1, 1) * config.brightness,
    contrast: 1 + rng.uniform(-1, 1) * config.contrast,
    saturation: 1 + rng.uniform(-1, 1) * config.saturation,
  };
}

function clamp(v: number): number {
  return v < -1 ? -1 : v > 1 ? 1 : v;
}

/**
 * Writes the crop into `out` (at `offset`) as floats in [-1, 1] with the colour jitter applied; with
 * `channels` = 1 the luma (BT.601) is written instead of RGB.
 */
export function cropToUnitRange(
  image: RgbImage,
  jitter: ColourJitter,
  channels: 1 | 3,
  out: Float32Array,
  offset: number,
): void {
  const { data } = image;
  const pixels = image.width * image.height;
  for (let p = 0; p < pixels; p++) {
    let r = data[3 * p]! / 127.5 - 1;
    let g = data[3 * p + 1]! / 127.5 - 1;
    let b = data[3 * p + 2]! / 127.5 - 1;
    const y = luma(r, g, b);
    // saturation about the pixel's luma, then contrast about mid-grey (0), then brightness
    r = (y + (r - y) * jitter.saturation) * jitter.contrast + jitter.brightness;
    g = (y + (g - y) * jitter.saturation) * jitter.contrast + jitter.brightness;
    b = (y + (b - y) * jitter.saturation) * jitter.contrast + jitter.brightness;
    if (channels === 1) out[offset + p] = clamp(luma(r, g, b));
    else {
      out[offset + 3 * p] = clamp(r);
      out[offset + 3 * p + 1] = clamp(g);
      out[offset + 3 * p + 2] = clamp(b);
    }
  }
}

export const NO_COLOUR_JITTER: ColourJitter = { brightness: 0, contrast: 1, saturation: 1 };
