// The warp paste's control frame lies outside the crop (WARP_MARGIN): a target that takes the chin to or past the
// crop's border (a dropped jaw on a face whose chin is low in the crop) must not leave a seam where the crop ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Affine } from '../../src/geometry/affine.js';
import type { Landmarks } from '../../src/face/landmarks.js';
import { createRgbImage, type RgbImage } from '../../src/image/rgbImage.js';
import { pasteWarpedFace, warpFrameMargin } from '../../src/transfer/warpPaste.js';
import { syntheticFace } from '../helpers/syntheticFace.js';

const SIZE = 64;
const ZOOM = 4;
const OFFSET = 40;

/** Horizontal stripes, so that a vertical squeeze or a jump between rows shows. */
function stripes(width: number, height: number): RgbImage {
  const image = createRgbImage(width, height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = Math.round(128 + 100 * Math.sin((y + 0.5) / 6));
      image.data.set([v, v, v], (y * width + x) * 3);
    }
  return image;
}

/** The chin and the jaw next to it lowered by `drop` crop pixels, fading towards the temples. */
function droppedJaw(own: Landmarks, drop: number): Landmarks {
  return own.map(([x, y], i) =>
    i >= 2 && i <= 14 ? [x, y + drop * Math.cos(((i - 8) / 7) * (Math.PI / 2))] : [x, y],
  );
}

test('a chin moved past the crop border leaves no seam where the crop ends', () => {
  const photoSize = SIZE * ZOOM + 2 * OFFSET;
  const photo = stripes(photoSize, photoSize);
  const toCrop: Affine = [1 / ZOOM, 0, -OFFSET / ZOOM, 0, 1 / ZOOM, -OFFSET / ZOOM];
  const own = syntheticFace(SIZE);
  const target = droppedJaw(own, SIZE + 1 - own[8]![1]); // the chin 1 crop pixel past the border
  const margin = warpFrameMargin(photo, toCrop, SIZE);
  assert.equal(margin, OFFSET / ZOOM, 'the frame reaches as far as the photo does past the crop');
  const out = pasteWarpedFace(photo, toCrop, SIZE, own, target, {}, ZOOM, margin);
  const luma = (x: number, y: number): number => out.data[(y * photoSize + x) * 3]!;
  // The largest step between neighbouring rows, along the columns under the face: at the crop's bottom border
  // (photo row OFFSET + SIZE · ZOOM) and everywhere else near it. The stripes alone step by at most 17 a row, squeezed by the warp about twice that; a seam, 175.
  const border = OFFSET + SIZE * ZOOM;
  let worst = 0;
  let where = '';
  for (let x = OFFSET + 60; x < OFFSET + SIZE * ZOOM - 60; x++)
    for (let y = border - 20; y < Math.min(photoSize - 1, border + 20); y++) {
      const step = Math.abs(luma(x, y + 1) - luma(x, y));
      if (step > worst) [worst, where] = [step, `(${x}, ${y})`];
    }
  assert.ok(worst <= 60, `a step of ${worst} between rows at ${where}: a seam`);
  // and the chin did move: under the face the photo changed
  assert.notDeepEqual(out.data, photo.data);
});

test('the frame reaches no further than the photo: none when the crop is the whole photo', () => {
  const crop = stripes(SIZE, SIZE);
  assert.equal(warpFrameMargin(crop, [1, 0, 0, 0, 1, 0], SIZE), 0);
  const wide = stripes(SIZE * ZOOM * 3, SIZE * ZOOM * 3);
  const centred: Affine = [1 / ZOOM, 0, -SIZE, 0, 1 / ZOOM, -SIZE];
  assert.equal(warpFrameMargin(wide, centred, SIZE), 0.25 * SIZE, 'at most WARP_MARGIN of the crop');
});
