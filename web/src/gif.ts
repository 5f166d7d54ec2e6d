/** Animated GIF of generated faces with gifenc (one palette per frame: faces change colour little, 256 suffice). */
import { applyPalette, GIFEncoder, quantize } from 'gifenc';
import { rgbToRgba, type RgbImage } from '../../src/image/rgbImage.js';

export function encodeGif(frames: RgbImage[], delayMs: number): Uint8Array {
  const gif = GIFEncoder();
  for (const frame of frames) {
    const rgba = rgbToRgba(frame);
    const palette = quantize(rgba, 256);
    gif.writeFrame(applyPalette(rgba, palette), frame.width, frame.height, {
      palette,
      delay: delayMs,
      repeat: 0,
    });
  }
  gif.finish();
  return gif.bytes();
}
