/**
 * Putting a generated face back into the photo, in the three paste modes. Platform neutral (the image scaler is
 * passed in), so the CLI's Mimic class and the web editor run the very same code.
 *
 * - "warp": the photo's face warped (piecewise-affine, at about the photo's own resolution) from its landmarks to
 *   the target landmarks, plus the generator's appearance change.
 * - "residual": the photo plus the generator's change (generated − generated-for-own-landmarks).
 * - "face": the generated face itself, colour-matched to the input crop (the paper's output).
 */
import { affineScale, type Affine } from '../geometry/affine.js';
import type { Landmarks } from '../face/landmarks.js';
import type { ResizeImage, RgbImage } from '../image/rgbImage.js';
import {
  cropMask,
  DEFAULT_MASK,
  facePolygon,
  matchColours,
  pasteFace,
  removeColourDrift,
  suppressCheckerboard,
  type MaskOptions,
} from './paste.js';
import { warpedFaceView } from './warpPaste.js';

export type PasteMode = 'warp' | 'residual' | 'face';
export const PASTE_MODES: readonly PasteMode[] = ['warp', 'residual', 'face'];
export const DEFAULT_PASTE: PasteMode = 'warp';

export interface PasteInput {
  photo: RgbImage;
  /** Photo pixels → crop pixels. */
  toCrop: Affine;
  /** The aligned input crop. */
  inputCrop: RgbImage;
  /** The input's own landmarks and the target landmarks, in crop pixels. */
  own: Landmarks;
  target: Landmarks;
  /** The face generated for `target`, and the face generated for `own` (the generator's rendering of the input). */
  generated: RgbImage;
  generatedOwn: RgbImage;
  mask?: MaskOptions;
  /** The image scaler (sharp in Node, the canvas in the page). */
  resize: ResizeImage;
}

export async function pasteInMode(mode: PasteMode, p: PasteInput): Promise<RgbImage> {
  const size = p.inputCrop.width;
  const polygon = facePolygon(p.own, p.target);
  const mask = p.mask ?? DEFAULT_MASK;
  // The transposed convolutions leave a faint dot grid; it must not reach the photo.
  const generated = suppressCheckerboard(p.generated);
  const generatedOwn = suppressCheckerboard(p.generatedOwn);
  const weights = cropMask(polygon, size, mask);
  if (mode === 'warp') {
    // Work at about the photo's own resolution of the face (never below the crop's, at most 8× it).
    const zoom = Math.max(1, Math.min(8, 1 / affineScale(p.toCrop)));
    const viewSize = Math.round(size * zoom);
    const z = viewSize / size;
    const { view, toView } = warpedFaceView(
      p.photo,
      p.toCrop,
      size,
      viewSize,
      p.own,
      p.target,
      generated,
      generatedOwn,
      weights,
    );
    return pasteFace(
      p.photo,
      view,
      toView,
      polygon.map(([x, y]) => [x * z, y * z]),
      p.resize,
      { mask: { erode: mask.erode * z, feather: mask.feather * z } },
    );
  }
  if (mode === 'residual')
    return pasteFace(
      p.photo,
      removeColourDrift(generated, generatedOwn, weights),
      p.toCrop,
      polygon,
      p.resize,
      {
        mask,
        reference: generatedOwn,
      },
    );
  const matched = matchColours(generated, p.inputCrop, weights);
  return pasteFace(p.photo, matched, p.toCrop, polygon, p.resize, { mask });
}
