/**
 * How bright the whites of the eyes are: a measure of the light falling on a face that, unlike the skin, hardly
 * depends on who the person is. The mouth interior relights teeth from another photo; scaled by the skin's luma
 * alone, they came out dark gray on dark skin (the skin ratio mixes the skin's own tone into the light). The sclera is
 * near white on everyone, so the ratio of two photos' eye whites is the ratio of their light.
 *
 * Pure: no Node modules (the web editor paints mouths too).
 */
import { lumasInside, type RgbImage } from '../image/rgbImage.js';
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
  for (const eye of EYES)
    lumasInside(
      image,
      eye.map((k) => landmarks[k]!),
      values,
    );
  if (values.length < MIN_EYE_PIXELS) return undefined;
  values.sort((a, b) => a - b);
  return values[Math.floor(EYE_WHITE_QUANTILE * (values.length - 1))];
}
