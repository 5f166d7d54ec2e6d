/** The page's GIF download: the CLI's GIF writer (src/animate/gif.ts, one palette for all frames). */
import { encodeGif as encodeGifAtFps } from '../../src/animate/gif.js';
import type { RgbImage } from '../../src/image/rgbImage.js';

/** An animated GIF that loops forever, one frame every `delayMs` milliseconds. */
export function encodeGif(frames: RgbImage[], delayMs: number): Uint8Array {
  return encodeGifAtFps(frames, 1000 / delayMs);
}
