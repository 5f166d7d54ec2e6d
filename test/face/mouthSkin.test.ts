// The skin tone around the mouth (relighting of the mouth interior) and the bank's exemplar sources, written for
// speed (row crossings, a memory per exemplar), against the plain way: the same numbers, bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Point } from '../../src/geometry/affine.js';
import { createRgbImage, type RgbImage } from '../../src/image/rgbImage.js';
import {
  exemplarSource,
  skinAroundMouth,
  type Lips,
  type MouthBank,
  type SkinTone,
} from '../../src/face/mouthInterior.js';
import { Rng } from '../../src/util/random.js';
import { insidePolygon } from '../../src/geometry/polygon.js';

/** skinAroundMouth as it was first written: both point-in-polygon tests at every pixel of the ring's box. */
function plainSkin(image: RgbImage, lips: Lips): SkinTone | undefined {
  const outer = lips.slice(0, 12);
  const cx = outer.reduce((s, p) => s + p[0], 0) / outer.length;
  const cy = outer.reduce((s, p) => s + p[1], 0) / outer.length;
  const ring = outer.map(([x, y]) => [cx + (x - cx) * 1.6, cy + (y - cy) * 1.6] as Point);
  const x0 = Math.max(0, Math.floor(Math.min(...ring.map((p) => p[0]))));
  const x1 = Math.min(image.width - 1, Math.ceil(Math.max(...ring.map((p) => p[0]))));
  const y0 = Math.max(0, Math.floor(Math.min(...ring.map((p) => p[1]))));
  const y1 = Math.min(image.height - 1, Math.ceil(Math.max(...ring.map((p) => p[1]))));
  let n = 0;
  let sy = 0;
  let scb = 0;
  let scr = 0;
  let ssat = 0;
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      if (!insidePolygon(ring, x + 0.5, y + 0.5) || insidePolygon(outer, x + 0.5, y + 0.5)) continue;
      const o = (y * image.width + x) * 3;
      const [r, g, b] = [image.data[o]!, image.data[o + 1]!, image.data[o + 2]!];
      const l = 0.299 * r + 0.587 * g + 0.114 * b;
      const cb = 0.564 * (b - l);
      const cr = 0.713 * (r - l);
      sy += l;
      scb += cb;
      scr += cr;
      ssat += Math.hypot(cb, cr);
      n++;
    }
  if (n === 0) return undefined;
  return { y: sy / n, cb: scb / n, cr: scr / n, saturation: ssat / n };
}

function noise(width: number, height: number, rng: Rng): RgbImage {
  const image = createRgbImage(width, height);
  for (let i = 0; i < image.data.length; i++) image.data[i] = rng.int(256);
  return image;
}

/** 20 lip points around (cx, cy), jittered so that some outlines fold over themselves. */
function randomLips(rng: Rng, cx: number, cy: number, width: number, jitter: number): Lips {
  return Array.from({ length: 20 }, (_, i) => {
    const a = ((i % 12) / 12) * 2 * Math.PI;
    const r = i < 12 ? 1 : 0.6;
    return [
      cx + (width / 2) * r * Math.cos(a) + rng.uniform(-jitter, jitter),
      cy + (width / 4) * r * Math.sin(a) + rng.uniform(-jitter, jitter),
    ] as Point;
  });
}

test('skinAroundMouth: the same tone as testing every pixel against both polygons', () => {
  const rng = new Rng(5);
  for (let trial = 0; trial < 40; trial++) {
    const image = noise(90, 70, rng);
    // Some mouths lie partly outside the image, some outlines fold (jitter as large as the mouth).
    const lips = randomLips(
      rng,
      rng.uniform(-10, 100),
      rng.uniform(-10, 80),
      rng.uniform(10, 60),
      trial % 3 === 0 ? 15 : 1,
    );
    assert.deepEqual(skinAroundMouth(image, lips), plainSkin(image, lips), `trial ${trial}`);
  }
});

test('exemplarSource: the exemplar cut from the sprite, cut once', () => {
  const rng = new Rng(8);
  const sprite = noise(40, 30, rng);
  const exemplar = {
    id: 'a',
    subject: 's',
    x: 10,
    y: 5,
    width: 12,
    height: 9,
    lips: randomLips(rng, 6, 4, 8, 0),
  };
  const bank: MouthBank = { zoom: 2, sprite, exemplars: [exemplar] };
  const source = exemplarSource(bank, exemplar);
  assert.equal(source.image.width, 12);
  assert.equal(source.image.height, 9);
  for (let y = 0; y < 9; y++)
    for (let x = 0; x < 12; x++)
      for (let c = 0; c < 3; c++)
        assert.equal(source.image.data[(y * 12 + x) * 3 + c], sprite.data[((5 + y) * 40 + 10 + x) * 3 + c]);
  assert.equal(exemplarSource(bank, exemplar), source, 'the second call reuses the first cut');
  // Another bank's sprite (a reloaded model) is cut afresh.
  const other = exemplarSource({ ...bank, sprite: noise(40, 30, rng) }, exemplar);
  assert.notEqual(other, source);
});
