/**
 * The warp paste (src/transfer/warpPaste.ts): the photo is sampled once where the warp takes each pixel from, so
 * what the warp does not move comes back exactly, and the geometry reaches past the face (a lowered jaw moves the
 * chin's edge, which a paste cut at the face hull left behind).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pasteWarpedFace } from '../../src/transfer/warpPaste.js';
import { createRgbImage, type RgbImage } from '../../src/image/rgbImage.js';
import { composeAffine, type Affine } from '../../src/geometry/affine.js';
import type { Landmarks } from '../../src/face/landmarks.js';
import { syntheticFace } from '../helpers/syntheticFace.js';

const SIZE = 64;
/** A 300×260 photo whose face region maps onto the 64-px crop at 3 photo pixels a crop pixel, turned 10°. */
const ANGLE = (10 * Math.PI) / 180;
const TO_CROP: Affine = composeAffine(
  [Math.cos(ANGLE) / 3, Math.sin(ANGLE) / 3, 0, -Math.sin(ANGLE) / 3, Math.cos(ANGLE) / 3, 0],
  [1, 0, -40, 0, 1, -20],
);

/** Textured photo: a pattern every pixel of which differs from its neighbours, so any resampling shows. */
function photo(): RgbImage {
  const image = createRgbImage(300, 260);
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < image.width; x++)
      image.data.set(
        [(x * 37 + y * 11) % 256, (x * y) % 256, (x * 5 + y * 13) % 256],
        (y * image.width + x) * 3,
      );
  return image;
}

function changedPixels(a: RgbImage, b: RgbImage): number {
  let n = 0;
  for (let i = 0; i < a.data.length; i += 3)
    if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) n++;
  return n;
}

test('own landmarks and no layers: the photo comes back bit for bit (no resampling blur)', () => {
  const input = photo();
  const own = syntheticFace(SIZE);
  const out = pasteWarpedFace(input, TO_CROP, SIZE, own, own, {}, 3);
  assert.equal(changedPixels(out, input), 0);
  assert.notEqual(out.data, input.data, 'a new image; the input is not touched');
});

test('a lowered jaw moves the chin past the face hull; what the warp does not move stays exact', () => {
  const input = photo();
  const own = syntheticFace(SIZE);
  // jaw points 4–12 (the chin and the lower jaw) 3 crop pixels down, as an opening mouth does
  const target: Landmarks = own.map(([x, y], k) => (k >= 4 && k <= 12 ? [x, y + 3] : [x, y]));
  const out = pasteWarpedFace(input, TO_CROP, SIZE, own, target, {}, 3);
  const toPhoto = (cx: number, cy: number): [number, number] => {
    // invert TO_CROP for a crop point (crop = A·photo + t)
    const [a, b, c, d, e, f] = TO_CROP;
    const det = a * e - b * d;
    return [Math.floor((e * (cx - c) - b * (cy - f)) / det), Math.floor((a * (cy - f) - d * (cx - c)) / det)];
  };
  const pixelChanged = ([x, y]: [number, number]): boolean => {
    const o = (y * input.width + x) * 3;
    return [0, 1, 2].some((ch) => out.data[o + ch] !== input.data[o + ch]);
  };
  // 2 crop pixels below the chin (landmark 8 at y = 54): outside the face hull, but the warp moves it
  const [chinX, chinY] = own[8]!;
  assert.ok(pixelChanged(toPhoto(chinX, chinY + 2)), 'below the chin follows the jaw');
  // the forehead above the unmoved brows, and the photo outside the crop, are exactly the photo's
  assert.ok(!pixelChanged(toPhoto(32, 6)), 'forehead unchanged');
  assert.ok(!pixelChanged([2, 2]) && !pixelChanged([297, 257]), 'outside the crop unchanged');
});
