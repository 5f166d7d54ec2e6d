/**
 * Keeping the photo's palette where the face changes. The generator was trained on colour photos, so the
 * appearance change it adds carries colour: on a black-and-white portrait that shows as a pink or brown cast, on a
 * sepia print or a painting as a foreign tint. Changes are split into luma and chroma (BT.601 YCbCr) and the chroma
 * part is scaled by how colourful the photo's face is compared with the generator's own rendering of it: a
 * grayscale photo gets luma changes only (and stays exactly gray), a colour photo as colourful as the training
 * faces keeps the whole change.
 */
import type { RgbImage } from '../image/rgbImage.js';

export function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/** Mean chroma magnitude (√(Cb² + Cr²), 8-bit units) weighted by `mask` (one weight per pixel). */
export function meanSaturation(image: RgbImage, mask: Float32Array): number {
  let w = 0;
  let s = 0;
  for (let i = 0; i < image.width * image.height; i++) {
    const m = mask[i]!;
    if (m <= 0) continue;
    const r = image.data[3 * i]!;
    const g = image.data[3 * i + 1]!;
    const b = image.data[3 * i + 2]!;
    const y = luma(r, g, b);
    s += m * Math.hypot(0.564 * (b - y), 0.713 * (r - y));
    w += m;
  }
  return w > 0 ? s / w : 0;
}

/** 0..1: the share of a generated change's chroma a photo can take (photo's face saturation / generator's). */
export function chromaAllowance(photoFace: RgbImage, generatedFace: RgbImage, mask: Float32Array): number {
  const generated = meanSaturation(generatedFace, mask);
  if (generated < 1e-6) return 1;
  return Math.min(1, meanSaturation(photoFace, mask) / generated);
}

/**
 * A change (dr, dg, db) with its chroma scaled by `allowance`, written to out[o…o+2]. The luma of the change is
 * kept whole, and added equally to the three channels: on a gray pixel it stays gray.
 */
export function limitChroma(
  dr: number,
  dg: number,
  db: number,
  allowance: number,
  out: Float32Array,
  o: number,
): void {
  const dy = luma(dr, dg, db);
  out[o] = dy + (dr - dy) * allowance;
  out[o + 1] = dy + (dg - dy) * allowance;
  out[o + 2] = dy + (db - dy) * allowance;
}

/**
 * `result` with every pixel's chroma moved back towards `photo`'s at the same place: chroma = photo's +
 * allowance · (result's − photo's), luma kept. For the paste modes that put generated colour into the photo.
 */
export function keepPhotoPalette(photo: RgbImage, result: RgbImage, allowance: number): RgbImage {
  if (allowance >= 1) return result;
  const out = Uint8Array.from(result.data);
  const change = new Float32Array(3);
  for (let o = 0; o < out.length; o += 3) {
    const dr = result.data[o]! - photo.data[o]!;
    const dg = result.data[o + 1]! - photo.data[o + 1]!;
    const db = result.data[o + 2]! - photo.data[o + 2]!;
    if (dr === 0 && dg === 0 && db === 0) continue;
    limitChroma(dr, dg, db, allowance, change, 0);
    for (let c = 0; c < 3; c++) {
      const v = Math.round(photo.data[o + c]! + change[c]!);
      out[o + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return { width: result.width, height: result.height, data: out };
}
