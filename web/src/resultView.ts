/**
 * "In the photo": the face region of the photo with the new face, shown large (a 64-px face is about 50 screen
 * pixels tall in a whole-photo view, too small to see a change), a before/after toggle on it, and the whole photo
 * small beside it. Both are at the photo's resolution, or for a face larger than the view shows, at the preview's
 * scale (editor/pasting.ts). What is shown lives in the editor's state.
 */
import type { RgbImage } from '../../src/image/rgbImage.js';
import { drawImageData, drawRgb, rgbToImageData } from './canvasImage.js';
import { sameRegion, type Region } from './photoSource.js';
import { ui } from './ui.js';

/** The pasted face region (`after`) and the same region of the photo before the paste. */
export interface ShownResult {
  before: RgbImage;
  after: RgbImage;
}

/** `after`: shown.after already converted for the canvas, when the caller has it. */
export function drawResultFace(
  shown: ShownResult | undefined,
  showingBefore: boolean,
  after?: ImageData,
): void {
  ui.beforeAfter.setAttribute('aria-pressed', String(showingBefore));
  if (shown === undefined) return;
  if (showingBefore) drawRgb(ui.faceView, shown.before);
  else drawImageData(ui.faceView, after ?? rgbToImageData(shown.after));
  ui.faceView.dataset.showing = showingBefore ? 'before' : 'after';
}

/**
 * What the whole-photo canvas shows: this photo (its pixels), with pastes only ever inside this region. The next
 * paste of the same face then redraws the region alone instead of the whole photo.
 */
let drawn: { photo: RgbImage; data: Uint8Array; region: Region } | undefined;

/** Shows the pasted face region and the whole photo with it. */
export function showResult(
  photo: RgbImage,
  region: Region,
  shown: ShownResult,
  showingBefore: boolean,
): void {
  ui.result.hidden = false;
  // The pasted region goes to the large face view and into the whole photo: converted once.
  const after = rgbToImageData(shown.after);
  drawResultFace(shown, showingBefore, after);
  const ctx = ui.pasted.getContext('2d')!;
  const sameFace =
    drawn !== undefined &&
    drawn.photo === photo &&
    drawn.data === photo.data &&
    ui.pasted.width === photo.width &&
    ui.pasted.height === photo.height &&
    sameRegion(drawn.region, region);
  if (!sameFace) {
    ui.pasted.width = photo.width;
    ui.pasted.height = photo.height;
    ctx.putImageData(rgbToImageData(photo), 0, 0);
    drawn = { photo, data: photo.data, region };
  }
  ctx.putImageData(after, region.x, region.y);
}

export function hideResult(): void {
  ui.result.hidden = true;
  drawn = undefined;
}
