/**
 * Browser stand-in for src/image/io.ts: only resizeImage, the one function the shared face and paste modules use,
 * done by the browser's own image scaler (high-quality smoothing filters properly when shrinking).
 */
import type { RgbImage } from '../../../src/image/rgbImage.js';
import { imageDataToRgb, rgbToImageData } from '../canvasImage.js';

export async function resizeImage(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  const source = new OffscreenCanvas(image.width, image.height);
  source.getContext('2d')!.putImageData(rgbToImageData(image), 0, 0);
  const target = new OffscreenCanvas(width, height);
  const ctx = target.getContext('2d')!;
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, 0, 0, width, height);
  return imageDataToRgb(ctx.getImageData(0, 0, width, height));
}
