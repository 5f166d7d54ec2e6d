// The paste's per-frame loops written for speed (row intervals, flat passes, a memory of the reference face)
// against the plain way of computing the same values: they must agree exactly, bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Point } from '../../src/geometry/affine.js';
import { createRgbImage, type RgbImage } from '../../src/image/rgbImage.js';
import {
  convexHull,
  cropMask,
  maskValue,
  signedDistance,
  suppressCheckerboard,
  suppressCheckerboardCached,
  type MaskOptions,
} from '../../src/transfer/paste.js';
import { Rng } from '../../src/util/random.js';

/** A convex polygon around (cx, cy): the hull of points on a jittered, rotated ellipse. */
function randomHull(rng: Rng, cx: number, cy: number, rx: number, ry: number): Point[] {
  const turn = rng.uniform(0, Math.PI);
  const points: Point[] = [];
  for (let i = 0; i < 27; i++) {
    const a = rng.uniform(0, 2 * Math.PI);
    const r = rng.uniform(0.7, 1);
    const x = rx * r * Math.cos(a);
    const y = ry * r * Math.sin(a);
    points.push([cx + x * Math.cos(turn) - y * Math.sin(turn), cy + x * Math.sin(turn) + y * Math.cos(turn)]);
  }
  return convexHull(points);
}

test('cropMask: every pixel has the value of maskValue(signedDistance) at its centre', () => {
  const rng = new Rng(17);
  const options: MaskOptions[] = [
    { erode: 1, feather: 4 },
    { erode: 0, feather: 1 },
    { erode: 2.5, feather: 0.25 },
    { erode: -1.5, feather: 3 }, // a mask reaching outside the hull
  ];
  for (let trial = 0; trial < 12; trial++) {
    const size = 64;
    // Some polygons cross the crop's border, one is a sliver.
    const polygon =
      trial === 11
        ? convexHull([
            [10, 10],
            [50, 12],
            [30, 11],
          ])
        : randomHull(rng, rng.uniform(20, 44), rng.uniform(20, 44), rng.uniform(8, 40), rng.uniform(8, 40));
    for (const option of options) {
      const mask = cropMask(polygon, size, option);
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++) {
          const want = Math.fround(maskValue(signedDistance(polygon, [x + 0.5, y + 0.5]), option));
          if (mask[y * size + x] !== want)
            assert.fail(
              `trial ${trial}, ${JSON.stringify(option)}: (${x}, ${y}) ${mask[y * size + x]} ≠ ${want}`,
            );
        }
    }
  }
});

/** suppressCheckerboard as paste.ts first wrote it: one pass per direction, a min/max per tap. */
function plainCheckerboard(image: RgbImage): RgbImage {
  const { width, height, data } = image;
  const pass = (source: Float32Array | Uint8Array, dx: number, dy: number): Float32Array => {
    const out = new Float32Array(source.length);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const xa = Math.max(0, x - dx);
        const xb = Math.min(width - 1, x + dx);
        const ya = Math.max(0, y - dy);
        const yb = Math.min(height - 1, y + dy);
        for (let c = 0; c < 3; c++)
          out[(y * width + x) * 3 + c] =
            (source[(ya * width + xa) * 3 + c]! +
              2 * source[(y * width + x) * 3 + c]! +
              source[(yb * width + xb) * 3 + c]!) /
            4;
      }
    return out;
  };
  return { width, height, data: Uint8Array.from(pass(pass(data, 1, 0), 0, 1), (v) => Math.round(v)) };
}

function noise(width: number, height: number, seed: number): RgbImage {
  const rng = new Rng(seed);
  const image = createRgbImage(width, height);
  for (let i = 0; i < image.data.length; i++) image.data[i] = rng.int(256);
  return image;
}

test('suppressCheckerboard: the same bytes as the plain two-pass filter, edges and one-pixel images included', () => {
  for (const [w, h, seed] of [
    [64, 64, 1],
    [7, 3, 2],
    [1, 5, 3],
    [6, 1, 4],
    [1, 1, 5],
  ] as const) {
    const image = noise(w, h, seed);
    assert.deepEqual(suppressCheckerboard(image).data, plainCheckerboard(image).data, `${w}×${h}`);
  }
});

test('suppressCheckerboardCached: filters an image once, again when its pixels were replaced', () => {
  const image = noise(16, 16, 9);
  const first = suppressCheckerboardCached(image);
  assert.deepEqual(first.data, plainCheckerboard(image).data);
  assert.equal(suppressCheckerboardCached(image), first, 'the second call reuses the first result');
  image.data = noise(16, 16, 10).data;
  const second = suppressCheckerboardCached(image);
  assert.notEqual(second, first);
  assert.deepEqual(second.data, plainCheckerboard(image).data);
});
