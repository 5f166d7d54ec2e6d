/**
 * The sample grid written during training: one row per example, columns input | [its warp, for a warp-refine G] | generated | real target, each
 * crop scaled up 2× (nearest) so that 64-pixel faces are easy to judge.
 */
import type { RgbImage } from '../image/rgbImage.js';
import { unitRangeToImage } from '../image/rgbImage.js';

const SCALE = 2;
const GAP = 2;

/** N×s×s×C float arrays (one per column) in [-1, 1] (C = 1 or 3) → one RGB image. */
export function sampleGrid(columns: Float32Array[], n: number, size: number, channels: number): RgbImage {
  const cell = size * SCALE;
  const width = columns.length * cell + (columns.length - 1) * GAP;
  const height = n * cell + (n - 1) * GAP;
  const data = new Uint8Array(width * height * 3).fill(255);
  columns.forEach((values, col) => {
    for (let row = 0; row < n; row++) {
      const crop = toRgb(
        values.subarray(row * size * size * channels, (row + 1) * size * size * channels),
        channels,
      );
      const image = unitRangeToImage(crop, size, size);
      const x0 = col * (cell + GAP);
      const y0 = row * (cell + GAP);
      for (let y = 0; y < cell; y++)
        for (let x = 0; x < cell; x++) {
          const from = (Math.floor(y / SCALE) * size + Math.floor(x / SCALE)) * 3;
          const to = ((y0 + y) * width + x0 + x) * 3;
          data[to] = image.data[from]!;
          data[to + 1] = image.data[from + 1]!;
          data[to + 2] = image.data[from + 2]!;
        }
    }
  });
  return { width, height, data };
}

function toRgb(values: Float32Array, channels: number): Float32Array {
  if (channels === 3) return values;
  const out = new Float32Array(values.length * 3);
  for (let i = 0; i < values.length; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = values[i]!;
  return out;
}
