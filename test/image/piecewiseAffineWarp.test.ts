import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackwardWarp, piecewiseAffineWarp } from '../../src/image/piecewiseAffineWarp.js';
import { createRgbImage, sampleBilinear, type RgbImage } from '../../src/image/rgbImage.js';
import type { Landmarks } from '../../src/face/landmarks.js';
import { syntheticFace } from '../helpers/syntheticFace.js';

function texturedImage(size: number): RgbImage {
  const image = createRgbImage(size, size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 3;
      image.data[o] = (x * 37 + y * 11) % 256;
      image.data[o + 1] = (x * y) % 256;
      image.data[o + 2] = 128 + Math.round(100 * Math.sin(x / 3) * Math.cos(y / 4));
    }
  return image;
}

/** White image with a dark 4×4 square centred on (cx, cy). */
function blobImage(size: number, cx: number, cy: number): RgbImage {
  const image = createRgbImage(size, size);
  image.data.fill(255);
  for (let y = Math.round(cy - 2); y < Math.round(cy + 2); y++)
    for (let x = Math.round(cx - 2); x < Math.round(cx + 2); x++)
      image.data.fill(0, (y * size + x) * 3, (y * size + x) * 3 + 3);
  return image;
}

/** Centre of darkness (weights 255 − red), in pixel-centre coordinates. */
function darkCentroid(image: RgbImage): [number, number] {
  let sx = 0;
  let sy = 0;
  let sw = 0;
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < image.width; x++) {
      const w = 255 - image.data[(y * image.width + x) * 3]!;
      sx += w * (x + 0.5);
      sy += w * (y + 0.5);
      sw += w;
    }
  return [sx / sw, sy / sw];
}

test('warping to the same landmarks returns the input unchanged', () => {
  const image = texturedImage(64);
  const face = syntheticFace(64);
  const out = piecewiseAffineWarp(image, face, face);
  assert.deepEqual(out.data, image.data);
});

test('translating the landmarks moves a feature inside the face by the same amount', () => {
  const face = syntheticFace(64);
  const nose = face[30]!;
  const image = blobImage(64, nose[0], nose[1]);
  const moved: Landmarks = face.map(([x, y]) => [x + 3, y + 2]);
  const before = darkCentroid(image);
  const after = darkCentroid(piecewiseAffineWarp(image, face, moved));
  assert.ok(Math.abs(after[0] - before[0] - 3) < 0.2, `dx ${after[0] - before[0]}`);
  assert.ok(Math.abs(after[1] - before[1] - 2) < 0.2, `dy ${after[1] - before[1]}`);
});

test('moving a mouth corner outwards moves the mouth corner pixels, the crop border stays put', () => {
  const face = syntheticFace(64);
  const corner = face[54]!; // subject's left mouth corner, right side of the image
  const image = blobImage(64, corner[0], corner[1]);
  const smile: Landmarks = face.map(([x, y], i) => (i === 54 || i === 64 ? [x + 4, y - 2] : [x, y]));
  const out = piecewiseAffineWarp(image, face, smile);
  // the dark corner pixel now sits where the corner landmark moved to (it was white there before)
  const at = (img: RgbImage, [x, y]: [number, number]): number =>
    img.data[(Math.floor(y) * 64 + Math.floor(x)) * 3]!;
  const target: [number, number] = [corner[0] + 4, corner[1] - 2];
  assert.equal(at(image, target), 255);
  assert.ok(at(out, target) < 64, `pixel at the new corner: ${at(out, target)}`);
  assert.ok(darkCentroid(out)[0] > darkCentroid(image)[0] + 1);
  // first and last rows are far from the landmarks and must not change
  assert.deepEqual(out.data.subarray(0, 64 * 3), image.data.subarray(0, 64 * 3));
});

test('BackwardWarp maps each pixel where piecewiseAffineWarp samples it from', () => {
  const size = 64;
  const image = texturedImage(size);
  const from = syntheticFace(size);
  const to: Landmarks = from.map(([x, y], k) => [x + Math.sin(k) * 1.5, y + Math.cos(k * 0.7) * 1.5]);
  const warped = piecewiseAffineWarp(image, from, to);
  const back = new BackwardWarp(from, to, size, 1);
  const source = new Float64Array(2);
  const sampled = createRgbImage(size, size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      back.map(x + 0.5, y + 0.5, source);
      sampleBilinear(image, source[0]!, source[1]!, sampled.data, (y * size + x) * 3);
    }
  assert.deepEqual(sampled.data, warped.data);
  // Unmoved landmarks: the identity map.
  const still = new BackwardWarp(from, from, size, 4);
  still.map(10.25, 40.75, source);
  assert.ok(Math.abs(source[0]! - 10.25) < 1e-9 && Math.abs(source[1]! - 40.75) < 1e-9);
});
