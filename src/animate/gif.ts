/**
 * Animated GIFs (gifenc), the one GIF writer of the CLI, the library and the web page. One palette for the whole
 * animation, quantized from a sample of every frame: a palette per frame makes flat skin flicker between
 * neighbouring colours as the expression changes.
 */
import * as gifencModule from 'gifenc';
import type { RgbImage } from '../image/rgbImage.js';
import { PaletteIndexer } from './paletteIndex.js';

// Node loads gifenc's CommonJS build, whose functions are all on its default export; bundlers (the page's Vite)
// load its ES module build, which exports them by name.
const gifenc = (
  'quantize' in (gifencModule as object) ? gifencModule : gifencModule.default
) as typeof gifencModule;

/** The frames' common size; refuses an empty list and frames of different sizes. */
export function checkFrames(frames: RgbImage[]): { width: number; height: number } {
  if (frames.length === 0) throw new Error('no frames to encode');
  const { width, height } = frames[0]!;
  if (frames.some((f) => f.width !== width || f.height !== height))
    throw new Error('all frames must have the same size');
  return { width, height };
}

/** An animated GIF that loops forever, `fps` frames per second. */
export function encodeGif(frames: RgbImage[], fps: number): Uint8Array {
  const { width, height } = checkFrames(frames);
  // Every k-th pixel of every frame, enough for a stable 256-colour palette without quantizing all pixels.
  const stride = Math.max(1, Math.floor((frames.length * width * height) / 400_000));
  const sampleCount = Math.ceil((width * height) / stride);
  const sample = new Uint8Array(frames.length * sampleCount * 4);
  let o = 0;
  for (const { data } of frames)
    for (let i = 0; i < width * height; i += stride) {
      sample[o] = data[3 * i]!;
      sample[o + 1] = data[3 * i + 1]!;
      sample[o + 2] = data[3 * i + 2]!;
      sample[o + 3] = 255;
      o += 4;
    }
  const palette = gifenc.quantize(sample.subarray(0, o), 256);
  const indexer = new PaletteIndexer(palette);
  const gif = gifenc.GIFEncoder();
  const delay = Math.round(1000 / fps);
  frames.forEach((frame, k) =>
    gif.writeFrame(indexer.indices(frame), width, height, {
      palette: k === 0 ? palette : undefined,
      delay,
      repeat: 0,
    }),
  );
  gif.finish();
  return gif.bytes();
}
