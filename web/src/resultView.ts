/**
 * "In the photo": the face region of the photo with the new face, at the photo's resolution and shown large
 * (a 64-px face is about 50 screen pixels tall in a whole-photo view, too small to see a change), a
 * before/after toggle on it, and the whole photo small beside it.
 */
import type { RgbImage } from '../../src/image/rgbImage.js';
import { drawRgb, rgbToImageData } from './canvasImage.js';
import type { Region } from './photoSource.js';
import { ui } from './ui.js';

let shown: { before: RgbImage; after: RgbImage } | undefined;
let showingBefore = false;

function drawFace(): void {
  if (shown === undefined) return;
  drawRgb(ui.faceView, showingBefore ? shown.before : shown.after);
  ui.faceView.dataset.showing = showingBefore ? 'before' : 'after';
}

/** Shows the pasted face region (`after`, its photo region `before`) and the whole photo with it. */
export function showResult(photo: RgbImage, region: Region, before: RgbImage, after: RgbImage): void {
  shown = { before, after };
  ui.result.hidden = false;
  drawFace();
  ui.pasted.width = photo.width;
  ui.pasted.height = photo.height;
  const ctx = ui.pasted.getContext('2d')!;
  ctx.putImageData(rgbToImageData(photo), 0, 0);
  ctx.putImageData(rgbToImageData(after), region.x, region.y);
}

export function clearResult(): void {
  shown = undefined;
  ui.result.hidden = true;
}

ui.beforeAfter.addEventListener('click', () => {
  showingBefore = !showingBefore;
  ui.beforeAfter.setAttribute('aria-pressed', String(showingBefore));
  drawFace();
});
