/**
 * Animated GIFs (gifenc), the one GIF writer of the CLI, the library and the web page. One palette for the whole
 * animation, quantized from a sample of every frame: a palette per frame makes flat skin flicker between
 * neighbouring colours as the expression changes.
 *
 * After the first frame, each frame stores only the rectangle where its palette indices differ from the frame
 * before (the GIF's image position; disposal "leave in place" keeps the rest on screen), and inside it the pixels
 * that did not change are transparent (an index no changed pixel uses), so the previous frame shows through. In an
 * expression change only the face moves much; the rest changes little or not at all, and runs of the transparent
 * index cost LZW, the costly part of the encoding, little. Every frame decodes to the very pixels it did when stored
 * whole (test/animate/encode.test.ts).
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

export interface GifOptions {
  /** Store every frame whole (the plain way, for comparisons): the same decoded frames, a larger file. */
  wholeFrames?: boolean;
}

/** The rectangle where two index frames of `width` differ; undefined when they are the same. */
function changedBox(
  previous: Uint8Array,
  next: Uint8Array,
  width: number,
): { x0: number; y0: number; x1: number; y1: number } | undefined {
  let x0 = width;
  let x1 = -1;
  let y0 = -1;
  let y1 = -1;
  for (let i = 0; i < next.length; i++) {
    if (previous[i] === next[i]) continue;
    const y = Math.floor(i / width);
    const x = i - y * width;
    if (y0 < 0) y0 = y;
    y1 = y;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
  }
  return y0 < 0 ? undefined : { x0, y0, x1, y1 };
}

/**
 * The indices inside a rectangle of a `width`-wide index frame, row by row, where those the same as in `previous` are
 * given `transparent` (when it is not undefined): the GIF then keeps the pixel on screen, and the long runs of one index
 * are cheap for LZW.
 */
function cutIndices(
  indices: Uint8Array,
  previous: Uint8Array,
  width: number,
  box: { x0: number; y0: number; x1: number; y1: number },
  transparent: number | undefined,
): Uint8Array {
  const w = box.x1 - box.x0 + 1;
  const out = new Uint8Array(w * (box.y1 - box.y0 + 1));
  for (let y = box.y0, o = 0; y <= box.y1; y++)
    for (let i = y * width + box.x0; i <= y * width + box.x1; i++, o++)
      out[o] = transparent !== undefined && indices[i] === previous[i] ? transparent : indices[i]!;
  return out;
}

/** A palette index that no pixel which changed inside `box` takes (those are drawn): undefined if all 256 are used. */
function unusedIndex(
  indices: Uint8Array,
  previous: Uint8Array,
  width: number,
  box: { x0: number; y0: number; x1: number; y1: number },
): number | undefined {
  const used = new Uint8Array(256);
  for (let y = box.y0; y <= box.y1; y++)
    for (let i = y * width + box.x0; i <= y * width + box.x1; i++)
      if (indices[i] !== previous[i]) used[indices[i]!] = 1;
  const free = used.indexOf(0);
  return free < 0 ? undefined : free;
}

/**
 * Sets the position of the image gifenc has just written (it always writes 0, 0). After a frame without a local
 * palette, gifenc's stream ends with the graphic control extension (8 bytes: 0x21 0xF9 …) and then the image
 * descriptor (0x2C, left, top, width, height as little-endian 16-bit numbers, flags), then the LZW data.
 */
function placeImage(
  bytes: Uint8Array,
  frameStart: number,
  left: number,
  top: number,
  width: number,
  height: number,
): void {
  const at = frameStart + 8;
  const u16 = (i: number): number => bytes[i]! | (bytes[i + 1]! << 8);
  if (bytes[frameStart] !== 0x21 || bytes[frameStart + 1] !== 0xf9 || bytes[at] !== 0x2c)
    throw new Error('gifenc wrote a frame in an unexpected layout');
  if (u16(at + 1) !== 0 || u16(at + 3) !== 0 || u16(at + 5) !== width || u16(at + 7) !== height)
    throw new Error('gifenc wrote an unexpected image descriptor');
  bytes[at + 1] = left & 0xff;
  bytes[at + 2] = left >> 8;
  bytes[at + 3] = top & 0xff;
  bytes[at + 4] = top >> 8;
}

/** The one 256-colour palette of an animation's GIF (frames of one size, checkFrames). */
export function animationPalette(frames: RgbImage[]): number[][] {
  const { width, height } = frames[0]!;
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
  return gifenc.quantize(sample.subarray(0, o), 256);
}

/** An animated GIF that loops forever, `fps` frames per second. */
export function encodeGif(frames: RgbImage[], fps: number, options: GifOptions = {}): Uint8Array {
  const { width, height } = checkFrames(frames);
  const palette = animationPalette(frames);
  const indexer = new PaletteIndexer(palette);
  const gif = gifenc.GIFEncoder();
  // A GIF counts time in hundredths of a second: at 12 fps every frame rounded to 8 ran the animation 4 % fast.
  // Each frame ends where the k-th frame's end rounds to, so the delays alternate (8, 9, 8, …) and the whole keeps time.
  const centiseconds = (k: number): number => Math.round((k * 100) / fps);
  let previous: Uint8Array | undefined;
  for (const [k, frame] of frames.entries()) {
    // (gifenc takes milliseconds and rounds them to hundredths)
    const delay = 10 * Math.max(1, centiseconds(k + 1) - centiseconds(k));
    const indices = indexer.indices(frame);
    if (previous === undefined || options.wholeFrames) {
      gif.writeFrame(indices, width, height, {
        palette: previous === undefined ? palette : undefined,
        delay,
        repeat: 0,
        dispose: 1,
      });
    } else {
      // A frame the same as the one before still takes its place in time: one unchanged pixel.
      const box = changedBox(previous, indices, width) ?? { x0: 0, y0: 0, x1: 0, y1: 0 };
      const w = box.x1 - box.x0 + 1;
      const h = box.y1 - box.y0 + 1;
      const transparent = unusedIndex(indices, previous, width, box);
      const frameStart = gif.bytesView().length;
      gif.writeFrame(cutIndices(indices, previous, width, box, transparent), w, h, {
        delay,
        dispose: 1,
        ...(transparent !== undefined ? { transparent: true, transparentIndex: transparent } : {}),
      });
      placeImage(gif.bytesView(), frameStart, box.x0, box.y0, w, h);
    }
    previous = indices;
  }
  gif.finish();
  return gif.bytes();
}
