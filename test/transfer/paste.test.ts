import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Affine, Point } from '../../src/geometry/affine.js';
import { resizeImage } from '../../src/image/io.js';
import { createRgbImage, type RgbImage } from '../../src/image/rgbImage.js';
import {
  convexHull,
  cropMask,
  matchColours,
  maskValue,
  pasteFace,
  removeColourDrift,
  signedDistance,
  suppressCheckerboard,
} from '../../src/transfer/paste.js';

const filled = (w: number, h: number, rgb: [number, number, number]): RgbImage => {
  const image = createRgbImage(w, h);
  for (let i = 0; i < w * h; i++) image.data.set(rgb, 3 * i);
  return image;
};
const pixel = (image: RgbImage, x: number, y: number): number[] => [
  ...image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3),
];
const SQUARE: Point[] = [
  [16, 16],
  [48, 16],
  [48, 48],
  [16, 48],
];

test('the hull drops inner points; signed distance is positive inside and negative outside', () => {
  const hull = convexHull([...SQUARE, [30, 30], [20, 40]]);
  assert.equal(hull.length, 4);
  assert.equal(signedDistance(hull, [32, 32]), 16);
  assert.equal(signedDistance(hull, [18, 32]), 2);
  assert.equal(signedDistance(hull, [10, 32]), -6);
  assert.equal(maskValue(-1), 0);
  assert.equal(maskValue(100), 1);
  assert.ok(maskValue(3) > 0 && maskValue(3) < 1, 'soft edge');
});

// A 300×300 photo whose face maps onto the 64-px crop by a scale of 64/256 and a shift of 22 px.
const TO_CROP: Affine = [0.25, 0, -5.5, 0, 0.25, -5.5];

test('paste: the face replaces the photo inside the hull, a soft seam, nothing changes outside', async () => {
  const photo = filled(300, 300, [100, 100, 100]);
  const crop = filled(64, 64, [220, 40, 40]);
  const out = await pasteFace(photo, crop, TO_CROP, SQUARE, resizeImage);
  assert.deepEqual(pixel(out, 150, 150), [220, 40, 40], 'centre of the face');
  assert.deepEqual(pixel(out, 30, 150), [100, 100, 100], 'outside the hull');
  // crop x = 16 + 1 (erosion) + 2 (half the feather) is photo x = (19 + 5.5) / 0.25 = 98
  const seam = pixel(out, 98, 150)[0]!;
  assert.ok(seam > 110 && seam < 210, `seam value ${seam}`);
  assert.deepEqual(pixel(photo, 150, 150), [100, 100, 100], 'input photo untouched');
});

test('residual paste adds only the change: an unchanged face gives the photo back exactly', async () => {
  const photo = filled(300, 300, [100, 120, 140]);
  for (let i = 0; i < photo.data.length; i++) photo.data[i] = (i * 7) % 256; // detail the crop cannot hold
  const generated = filled(64, 64, [180, 90, 60]);
  const same = await pasteFace(photo, generated, TO_CROP, SQUARE, resizeImage, { reference: generated });
  assert.deepEqual(same.data, photo.data);
  const brighter = filled(64, 64, [190, 100, 70]);
  const changed = await pasteFace(photo, brighter, TO_CROP, SQUARE, resizeImage, { reference: generated });
  const at = (150 * 300 + 150) * 3;
  assert.equal(changed.data[at]! - photo.data[at]!, 10, 'the change is added to the photo detail');
});

test('colour matching moves the generated face to the input skin tone inside the mask', () => {
  const reference = createRgbImage(64, 64);
  const generated = createRgbImage(64, 64);
  for (let i = 0; i < 64 * 64; i++)
    for (let c = 0; c < 3; c++) {
      const v = 100 + ((i * (c + 3)) % 41) - 20;
      reference.data[3 * i + c] = v;
      generated.data[3 * i + c] = Math.round((v - 100) * 1.5 + 140); // brighter, more contrast
    }
  const mask = cropMask(SQUARE, 64);
  const stats = (image: RgbImage, c: number): [number, number] => {
    let w = 0;
    let m = 0;
    let v = 0;
    for (let i = 0; i < 64 * 64; i++) {
      w += mask[i]!;
      m += mask[i]! * image.data[3 * i + c]!;
    }
    m /= w;
    for (let i = 0; i < 64 * 64; i++) v += mask[i]! * (image.data[3 * i + c]! - m) ** 2;
    return [m, Math.sqrt(v / w)];
  };
  const matched = matchColours(generated, reference, mask);
  for (let c = 0; c < 3; c++) {
    const [mr, sr] = stats(reference, c);
    const [mm, sm] = stats(matched, c);
    assert.ok(Math.abs(mm - mr) < 1, `channel ${c} mean ${mm} vs ${mr}`);
    assert.ok(Math.abs(sm - sr) < 1, `channel ${c} std ${sm} vs ${sr}`);
  }
});

test('the checkerboard of stride-2 deconvolutions is removed, smooth shading is kept', () => {
  const board = createRgbImage(16, 16);
  const ramp = createRgbImage(16, 16);
  for (let y = 0; y < 16; y++)
    for (let x = 0; x < 16; x++) {
      board.data.fill((x + y) % 2 ? 140 : 100, (y * 16 + x) * 3, (y * 16 + x) * 3 + 3);
      ramp.data.fill(50 + 10 * x, (y * 16 + x) * 3, (y * 16 + x) * 3 + 3);
    }
  const flat = suppressCheckerboard(board);
  for (let y = 1; y < 15; y++)
    for (let x = 1; x < 15; x++) assert.deepEqual(pixel(flat, x, y), [120, 120, 120]);
  const kept = suppressCheckerboard(ramp);
  for (let x = 1; x < 15; x++) assert.deepEqual(pixel(kept, x, 5), pixel(ramp, x, 5));
});

test('colour drift of the generator is removed; a local change (a mouth opening) is kept', () => {
  const reference = filled(64, 64, [150, 100, 90]);
  const generated = filled(64, 64, [160, 108, 95]); // the whole face drifted lighter
  for (let y = 40; y < 46; y++)
    for (let x = 26; x < 38; x++) generated.data.set([40, 20, 20], (y * 64 + x) * 3);
  const fixed = removeColourDrift(generated, reference, cropMask(SQUARE, 64));
  assert.deepEqual(pixel(fixed, 20, 20), [150, 100, 90], 'drift gone');
  assert.deepEqual(pixel(fixed, 30, 42), [30, 12, 15], 'the dark mouth stays dark');
});
