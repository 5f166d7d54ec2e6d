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

test('palette indices are the ones gifenc.applyPalette gives, frame after frame with one palette', () => {
  const frames = [noisyGradient(97, 61, 1, 40), noisyGradient(97, 61, 2, 8), noisyGradient(97, 61, 3, 120)];
  const sample = new Uint8Array(frames.flatMap((f) => [...rgbToRgba(f)]));
  const palette = gifenc.quantize(sample, 256);
  const indexer = new PaletteIndexer(palette);
  for (const frame of frames)
    assert.deepEqual(indexer.indices(frame), gifenc.applyPalette(rgbToRgba(frame), palette));
});

test('palette indices: ties and a small palette go the way gifenc decides them', () => {
  // Repeated colours and colours at equal distance from many pixels: the index chosen on a tie matters.
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
  assert.deepEqual(indices, gifenc.applyPalette(rgbToRgba(frame), palette));
  assert.ok(
    !indices.includes(0) && !indices.includes(1),
    'a duplicated colour is never chosen by its first copy',
  );
});
