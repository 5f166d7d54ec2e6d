import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyAffine, type Affine, type Point } from '../../src/geometry/affine.js';
import type { RgbImage } from '../../src/image/rgbImage.js';
import { convexHull, maskValue, signedDistance, type MaskOptions } from '../../src/transfer/paste.js';
import { blendIntoPhoto } from '../../src/transfer/pasteBlend.js';
import { Rng } from '../../src/util/random.js';

/** The paste's blend written the plain way (as paste.ts had it): every pixel, every edge, every channel. */
function plainBlend(
  photo: RgbImage,
  box: { x0: number; x1: number; y0: number; y1: number },
  toCrop: Affine,
  toBig: Affine,
  polygon: Point[],
  mask: MaskOptions,
  source: RgbImage,
  reference?: RgbImage,
): Uint8Array {
  const out = Uint8Array.from(photo.data);
  const sample = (image: RgbImage, bx: number, by: number, c: number): number => {
    const w = image.width;
    const sx = Math.max(0, Math.min(w - 1, bx - 0.5));
    const sy = Math.max(0, Math.min(image.height - 1, by - 0.5));
    const xa = Math.floor(sx);
    const ya = Math.floor(sy);
    const xb = Math.min(xa + 1, w - 1);
    const yb = Math.min(ya + 1, image.height - 1);
    const fx = sx - xa;
    const fy = sy - ya;
    const d = image.data;
    const top = d[(ya * w + xa) * 3 + c]! * (1 - fx) + d[(ya * w + xb) * 3 + c]! * fx;
    const bottom = d[(yb * w + xa) * 3 + c]! * (1 - fx) + d[(yb * w + xb) * 3 + c]! * fx;
    return top * (1 - fy) + bottom * fy;
  };
  for (let y = box.y0; y <= box.y1; y++)
    for (let x = box.x0; x <= box.x1; x++) {
      const centre: Point = [x + 0.5, y + 0.5];
      const alpha = maskValue(signedDistance(polygon, applyAffine(toCrop, centre)), mask);
      if (alpha <= 0) continue;
      const [bx, by] = applyAffine(toBig, centre);
      const o = (y * photo.width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const g = sample(source, bx, by, c);
        const p = photo.data[o + c]!;
        const v = reference ? p + alpha * (g - sample(reference, bx, by, c)) : p + alpha * (g - p);
        out[o + c] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
      }
    }
  return out;
}

function randomImage(rng: Rng, width: number, height: number): RgbImage {
  return { width, height, data: Uint8Array.from({ length: width * height * 3 }, () => rng.int(256)) };
}

test('the row-interval blend writes exactly what the plain per-pixel blend writes (rotated, scaled, sheared faces)', () => {
  const rng = new Rng(3);
  for (let round = 0; round < 12; round++) {
    const photo = randomImage(rng, 120, 100);
    const source = randomImage(rng, 64, 64);
    const reference = round % 2 === 0 ? randomImage(rng, 64, 64) : undefined;
    const angle = rng.uniform(-0.6, 0.6);
    const scale = rng.uniform(0.4, 1.2);
    const shear = round % 3 === 0 ? rng.uniform(-0.2, 0.2) : 0;
    const toCrop: Affine = [
      scale * Math.cos(angle),
      -scale * Math.sin(angle) + shear,
      rng.uniform(-20, 0),
      scale * Math.sin(angle),
      scale * Math.cos(angle),
      rng.uniform(-20, 0),
    ];
    const toBig: Affine = [
      toCrop[0] * 1.3,
      toCrop[1] * 1.3,
      toCrop[2] * 1.3,
      toCrop[3] * 1.3,
      toCrop[4] * 1.3,
      toCrop[5] * 1.3,
    ];
    const polygon = convexHull(
      Array.from({ length: 14 }, () => [rng.uniform(8, 56), rng.uniform(8, 56)] as Point),
    );
    const mask: MaskOptions =
      round === 5 ? { erode: 0, feather: 3 } : { erode: rng.uniform(0.5, 3), feather: rng.uniform(1, 12) };
    const box = { x0: 0, x1: photo.width - 1, y0: 0, y1: photo.height - 1 };
    const expected = plainBlend(photo, box, toCrop, toBig, polygon, mask, source, reference);
    const out = Uint8Array.from(photo.data);
    blendIntoPhoto(photo, out, box, toCrop, toBig, polygon, mask, source, reference);
    assert.deepEqual(out, expected, `round ${round}`);
    assert.notDeepEqual(out, photo.data, 'the face changed something');
  }
});
