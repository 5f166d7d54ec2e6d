/**
 * The photo with the generated face put back, in the CLI's three paste modes (see PasteMode in
 * src/transfer/mimic.ts): "residual" (default: the photo plus the generator's change), "face" (the generated face,
 * colour-matched) and "warp" (the photo's face warped to the target landmarks plus the generator's appearance
 * change). The building blocks are the transfer code's own (paste.ts, warpPaste.ts); this module only picks and
 * combines them the way Mimic.paste does, because mimic.ts itself also loads Node-only modules.
 */
import type { Affine } from '../../src/face/affine.js';
import { affineScale } from '../../src/face/affine.js';
import type { Landmarks } from '../../src/face/landmarks.js';
import type { RgbImage } from '../../src/image/rgbImage.js';
import type { PasteMode } from '../../src/transfer/mimic.js';
import { cropMask, DEFAULT_MASK, facePolygon, matchColours, pasteFace } from '../../src/transfer/paste.js';
import { warpedFaceView } from '../../src/transfer/warpPaste.js';

export type { PasteMode };

export interface PasteInput {
  photo: RgbImage;
  /** Photo pixels → crop pixels. */
  toCrop: Affine;
  /** The aligned input crop and its landmarks (crop pixels). */
  inputCrop: RgbImage;
  own: Landmarks;
  /** Target landmarks (crop pixels), the face generated for them, and the face generated for `own`. */
  target: Landmarks;
  generated: RgbImage;
  generatedOwn: RgbImage;
}

export async function pasteInMode(mode: PasteMode, p: PasteInput): Promise<RgbImage> {
  const size = p.inputCrop.width;
  const polygon = facePolygon(p.own, p.target);
  const mask = DEFAULT_MASK;
  if (mode === 'warp') {
    // As the CLI: work at about the photo's own resolution of the face (at least the crop's, at most 8× it).
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
      p.generated,
      p.generatedOwn,
    );
    return pasteFace(
      p.photo,
      view,
      toView,
      polygon.map(([x, y]) => [x * z, y * z]),
      { mask: { erode: mask.erode * z, feather: mask.feather * z } },
    );
  }
  if (mode === 'residual')
    return pasteFace(p.photo, p.generated, p.toCrop, polygon, { mask, reference: p.generatedOwn });
  const matched = matchColours(p.generated, p.inputCrop, cropMask(polygon, size, mask));
  return pasteFace(p.photo, matched, p.toCrop, polygon, { mask });
}
