import { test } from 'node:test';
import assert from 'node:assert/strict';
import { affineFromThreePoints, type Affine, type Point } from '../../src/geometry/affine.js';
import {
  borderAnchors,
  delaunayTriangles,
  piecewiseAffineWarp,
} from '../../src/image/piecewiseAffineWarp.js';
import { createRgbImage, sampleBilinear, type RgbImage } from '../../src/image/rgbImage.js';
import { Rng } from '../../src/util/random.js';

/** The warp as it was written before the row intervals: every pixel of every triangle's bounding box is tested. */
function plainWarp(image: RgbImage, from: Point[], to: Point[]): RgbImage {
  const { width, height } = image;
  const anchors = borderAnchors(width, height);
  const source = [...from, ...anchors];
  const target = [...to, ...anchors];
  const out = createRgbImage(width, height);
  const covered = new Uint8Array(width * height);
  for (const [a, b, c] of delaunayTriangles(target)) {
    const ta = target[a]!;
    const tb = target[b]!;
    const tc = target[c]!;
    const area = (tb[0] - ta[0]) * (tc[1] - ta[1]) - (tc[0] - ta[0]) * (tb[1] - ta[1]);
    if (Math.abs(area) < 1e-9) continue;
    let back: Affine;
    try {
      back = affineFromThreePoints([ta, tb, tc], [source[a]!, source[b]!, source[c]!]);
    } catch {
      continue;
    }
    const x0 = Math.max(0, Math.floor(Math.min(ta[0], tb[0], tc[0]) - 0.5));
    const x1 = Math.min(width - 1, Math.ceil(Math.max(ta[0], tb[0], tc[0]) - 0.5));
    const y0 = Math.max(0, Math.floor(Math.min(ta[1], tb[1], tc[1]) - 0.5));
    const y1 = Math.min(height - 1, Math.ceil(Math.max(ta[1], tb[1], tc[1]) - 0.5));
    for (let y = y0; y <= y1; y++)
      for (let x = x0; x <= x1; x++) {
        const p = y * width + x;
        if (covered[p]) continue;
        const px = x + 0.5;
        const py = y + 0.5;
        const wa = ((tb[0] - px) * (tc[1] - py) - (tc[0] - px) * (tb[1] - py)) / area;
        const wb = ((tc[0] - px) * (ta[1] - py) - (ta[0] - px) * (tc[1] - py)) / area;
        const wc = 1 - wa - wb;
        if (wa < -1e-9 || wb < -1e-9 || wc < -1e-9) continue;
        sampleBilinear(
          image,
          back[0] * px + back[1] * py + back[2],
          back[3] * px + back[4] * py + back[5],
          out.data,
          p * 3,
        );
        covered[p] = 1;
      }
  }
  for (let p = 0; p < covered.length; p++)
    if (!covered[p]) out.data.set(image.data.subarray(3 * p, 3 * p + 3), 3 * p);
  return out;
}

test('the warp visits only each row’s interval of a triangle and still writes exactly what the plain warp writes', () => {
  const rng = new Rng(5);
  for (let round = 0; round < 10; round++) {
    const size = round % 2 === 0 ? 64 : 150;
    const image: RgbImage = {
      width: size,
      height: size,
      data: Uint8Array.from({ length: size * size * 3 }, () => rng.int(256)),
    };
    // points on a grid-free scatter, some on exact pixel centres and shared rows (ties at triangle edges)
    const from: Point[] = Array.from({ length: 68 }, (_, k) =>
      k % 7 === 0
        ? [Math.floor(rng.uniform(4, size - 4)) + 0.5, Math.floor(rng.uniform(4, size - 4)) + 0.5]
        : [rng.uniform(4, size - 4), rng.uniform(4, size - 4)],
    );
    // moved a little, or (in some rounds) a lot, so that triangles fold over
    const move = round % 3 === 2 ? 12 : 2;
    const to: Point[] = from.map(([x, y]) => [x + rng.uniform(-move, move), y + rng.uniform(-move, move)]);
    assert.deepEqual(
      piecewiseAffineWarp(image, from, to).data,
      plainWarp(image, from, to).data,
      `round ${round}`,
    );
  }
});

test('a warp limited to a region writes there exactly what the whole warp writes, and the input elsewhere', () => {
  const rng = new Rng(6);
  for (let round = 0; round < 4; round++) {
    const size = 120;
    const image: RgbImage = {
      width: size,
      height: size,
      data: Uint8Array.from({ length: size * size * 3 }, () => rng.int(256)),
    };
    const from: Point[] = Array.from({ length: 68 }, () => [
      rng.uniform(4, size - 4),
      rng.uniform(4, size - 4),
    ]);
    const move = round % 2 === 0 ? 3 : 12; // a lot: folded triangles, whose pixels fall back to the input
    const to: Point[] = from.map(([x, y]) => [x + rng.uniform(-move, move), y + rng.uniform(-move, move)]);
    const region = { x0: 20 + round, x1: 90, y0: 33, y1: 119 + round }; // may reach past the image
    const whole = piecewiseAffineWarp(image, from, to);
    const part = piecewiseAffineWarp(image, from, to, region);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const inside = x >= region.x0 && x <= region.x1 && y >= region.y0 && y <= region.y1;
        const o = (y * size + x) * 3;
        for (let c = 0; c < 3; c++)
          assert.equal(part.data[o + c], (inside ? whole : image).data[o + c], `round ${round} (${x}, ${y})`);
      }
  }
});
