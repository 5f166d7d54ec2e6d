import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as gifencModule from 'gifenc';
import { PaletteIndexer } from '../../src/animate/paletteIndex.js';
import { createRgbImage, rgbToRgba, type RgbImage } from '../../src/image/rgbImage.js';
import { Rng } from '../../src/util/random.js';

const gifenc = (
  'quantize' in (gifencModule as object) ? gifencModule : gifencModule.default
) as typeof gifencModule;

/** A smooth gradient with noise on top: many pixels share a bucket, many buckets are in use. */
function noisyGradient(width: number, height: number, seed: number, noise: number): RgbImage {
  const rng = new Rng(seed);
  const image = createRgbImage(width, height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      image.data[o] = Math.min(255, Math.round((x * 255) / width + rng.uniform(0, noise)));
      image.data[o + 1] = Math.min(255, Math.round((y * 255) / height + rng.uniform(0, noise)));
      image.data[o + 2] = Math.min(
        255,
        Math.round(((x + y) * 127) / (width + height) + rng.uniform(0, noise)),
      );
    }
  return image;
}

/** The palette colour nearest (r, g, b) by a plain search: least squared distance, the last on a tie. */
function plainNearest(palette: number[][], r: number, g: number, b: number): number {
  let best = 0;
  let bestDistance = Infinity;
  palette.forEach(([pr, pg, pb], i) => {
    const distance = (pr! - r) ** 2 + (pg! - g) ** 2 + (pb! - b) ** 2;
    if (distance <= bestDistance) {
      bestDistance = distance;
      best = i;
    }
  });
  return best;
}

test('every pixel takes the palette colour nearest its own colour, frame after frame with one palette', () => {
  const frames = [noisyGradient(97, 61, 1, 40), noisyGradient(97, 61, 2, 8), noisyGradient(97, 61, 3, 120)];
  const sample = new Uint8Array(frames.flatMap((f) => [...rgbToRgba(f)]));
  const palette = gifenc.quantize(sample, 256);
  const indexer = new PaletteIndexer(palette);
  for (const frame of frames) {
    const indices = indexer.indices(frame);
    for (let i = 0; i < indices.length; i++) {
      const [r, g, b] = [frame.data[3 * i]!, frame.data[3 * i + 1]!, frame.data[3 * i + 2]!];
      assert.equal(indices[i], plainNearest(palette, r, g, b), `pixel ${i} (${r}, ${g}, ${b})`);
    }
  }
});

test('a pixel that keeps its colour keeps its palette colour, whatever changes around it', () => {
  // gifenc's bucket rule gave a bucket the colour nearest its first pixel in each frame: an unchanged pixel could
  // change colour when another pixel of its bucket, earlier in the frame, changed (GIF flicker on flat walls).
  const palette = gifenc.quantize(new Uint8Array([...rgbToRgba(noisyGradient(64, 64, 5, 60))]), 256);
  const indexer = new PaletteIndexer(palette);
  const first = noisyGradient(64, 64, 11, 60);
  const second = { ...first, data: first.data.slice() };
  const rng = new Rng(12);
  // the top half changes by a few levels (same buckets, other first pixels); the bottom half stays
  for (let i = 0; i < second.data.length >> 1; i++)
    second.data[i] = Math.max(0, Math.min(255, second.data[i]! + Math.round(rng.uniform(-3, 3))));
  const a = indexer.indices(first);
  const b = indexer.indices(second);
  for (let i = a.length >> 1; i < a.length; i++) assert.equal(b[i], a[i], `unchanged pixel ${i}`);
});

test('palette indices: ties and a small palette', () => {
  // Repeated colours and colours at equal distance from many pixels: the index chosen on a tie is the last.
  const palette = [
    [0, 0, 0],
    [128, 128, 128],
    [0, 0, 0],
    [255, 255, 255],
    [128, 128, 128],
    [64, 0, 192],
  ];
  const frame = noisyGradient(50, 40, 7, 255);
  const indices = new PaletteIndexer(palette).indices(frame);
  for (let i = 0; i < indices.length; i++)
    assert.equal(
      indices[i],
      plainNearest(palette, frame.data[3 * i]!, frame.data[3 * i + 1]!, frame.data[3 * i + 2]!),
    );
  assert.ok(
    !indices.includes(0) && !indices.includes(1),
    'a duplicated colour is never chosen by its first copy',
  );
});

test('palette indices: many distinct colours (the colour table grows) all find their nearest', () => {
  const rng = new Rng(21);
  const frame = createRgbImage(300, 300);
  for (let i = 0; i < frame.data.length; i++) frame.data[i] = Math.floor(rng.uniform(0, 256));
  const palette = gifenc.quantize(new Uint8Array([...rgbToRgba(frame)]), 64);
  const indexer = new PaletteIndexer(palette);
  const once = indexer.indices(frame);
  const again = indexer.indices(frame);
  assert.deepEqual(again, once);
  for (let i = 0; i < once.length; i += 7)
    assert.equal(
      once[i],
      plainNearest(palette, frame.data[3 * i]!, frame.data[3 * i + 1]!, frame.data[3 * i + 2]!),
    );
});
