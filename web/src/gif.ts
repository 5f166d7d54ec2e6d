/** Animated GIF of generated faces with gifenc (one palette per frame: faces change colour little, 256 suffice). */
import { applyPalette, GIFEncoder, quantize } from 'gifenc';
import type { RgbImage } from '../../src/image/rgbImage.js';

export function encodeGif(frames: RgbImage[], delayMs: number): Uint8Array {
  const gif = GIFEncoder();
  for (const frame of frames) {
    const n = frame.width * frame.height;
    const rgba = new Uint8Array(n * 4);
    for (let i = 0; i < n; i++) {
      rgba[4 * i] = frame.data[3 * i]!;
      rgba[4 * i + 1] = frame.data[3 * i + 1]!;
      rgba[4 * i + 2] = frame.data[3 * i + 2]!;
      rgba[4 * i + 3] = 255;
    }
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
