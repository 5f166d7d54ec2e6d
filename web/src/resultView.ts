/**
 * "In the photo": the face region of the photo with the new face, at the photo's resolution and shown large
 * (a 64-px face is about 50 screen pixels tall in a whole-photo view, too small to see a change), a
 * before/after toggle on it, and the whole photo small beside it. What is shown lives in the editor's state.
 */
import type { RgbImage } from '../../src/image/rgbImage.js';
import { drawRgb, rgbToImageData } from './canvasImage.js';
import type { Region } from './photoSource.js';
import { ui } from './ui.js';

/** The pasted face region (`after`) and the same region of the photo before the paste. */
export interface ShownResult {
  before: RgbImage;
  after: RgbImage;
}

export function drawResultFace(shown: ShownResult | undefined, showingBefore: boolean): void {
  ui.beforeAfter.setAttribute('aria-pressed', String(showingBefore));
  if (shown === undefined) return;
  drawRgb(ui.faceView, showingBefore ? shown.before : shown.after);
  ui.faceView.dataset.showing = showingBefore ? 'before' : 'after';
}

/** Shows the pasted face region and the whole photo with it. */
export function showResult(
  photo: RgbImage,
  region: Region,
  shown: ShownResult,
  showingBefore: boolean,
): void {
  ui.result.hidden = false;
  drawResultFace(shown, showingBefore);
  ui.pasted.width = photo.width;
  ui.pasted.height = photo.height;
  const ctx = ui.pasted.getContext('2d')!;
  ctx.putImageData(rgbToImageData(photo), 0, 0);
  ctx.putImageData(rgbToImageData(shown.after), region.x, region.y);
}

export function hideResult(): void {
  ui.result.hidden = true;
}
