/**
 * How bright the whites of the eyes are: a measure of the light falling on a face that, unlike the skin, hardly
 * depends on who the person is. The mouth interior relights teeth from another photo; scaled by the skin's luma
 * alone, they came out dark gray on dark skin (the skin ratio mixes the skin's own tone into the light). The sclera is
 * near white on everyone, so the ratio of two photos' eye whites is the ratio of their light.
 *
 * Pure: no Node modules (the web editor paints mouths too).
 */
import type { Point } from '../geometry/affine.js';
import { insidePolygon } from '../geometry/polygon.js';
import { luma, type RgbImage } from '../image/rgbImage.js';
import type { Landmarks } from './landmarks.js';

const EYES = [
  [36, 37, 38, 39, 40, 41],
  [42, 43, 44, 45, 46, 47],
] as const;

/**
 * The share of eye pixels darker than the value returned. Inside the lid outline most pixels are iris, lashes and
 * shadow; the sclera is the bright part, and the brightest few are the cornea's catchlight (at most a few percent).
 */
const EYE_WHITE_QUANTILE = 0.9;

/** Fewer eye pixels than this (closed or tiny eyes) give no measurement: a quantile of a handful is noise. */
const MIN_EYE_PIXELS = 40;

/**
 * Luma of the whites of the eyes of the face whose 68 `landmarks` are given in `image` pixels: the 90th percentile
 * of the luma inside both eye outlines (36–41, 42–47). Undefined when the eyes show too few pixels (closed, tiny).
 */
export function eyeWhiteLuma(image: RgbImage, landmarks: Landmarks): number | undefined {
  const values: number[] = [];
  for (const eye of EYES) {
    const outline: Point[] = eye.map((k) => landmarks[k]!);
    const xs = outline.map((p) => p[0]);
    const ys = outline.map((p) => p[1]);
    const x0 = Math.max(0, Math.floor(Math.min(...xs)));
    const x1 = Math.min(image.width - 1, Math.ceil(Math.max(...xs)));
    const y0 = Math.max(0, Math.floor(Math.min(...ys)));
    const y1 = Math.min(image.height - 1, Math.ceil(Math.max(...ys)));
    for (let y = y0; y <= y1; y++)
      for (let x = x0; x <= x1; x++) {
        if (!insidePolygon(outline, x + 0.5, y + 0.5)) continue;
        const o = (y * image.width + x) * 3;
        values.push(luma(image.data[o]!, image.data[o + 1]!, image.data[o + 2]!));
      }
  }
  if (values.length < MIN_EYE_PIXELS) return undefined;
  values.sort((a, b) => a - b);
  return values[Math.floor(EYE_WHITE_QUANTILE * (values.length - 1))];
}
