import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  affineFromThreePoints,
  applyAffine,
  composeAffine,
  invertAffine,
  similarityFromTwoPoints,
  type Affine,
  type Point,
} from '../../src/geometry/affine.js';
import { canonicalPoints, computeAlignment, DEFAULT_ALIGNMENT } from '../../src/face/align.js';
import { warpAffine } from '../../src/image/warpAffine.js';
import { createRgbImage } from '../../src/image/rgbImage.js';
import type { Landmarks } from '../../src/face/landmarks.js';

const close = (a: Point, b: Point, tol: number): void =>
  assert.ok(Math.hypot(a[0] - b[0], a[1] - b[1]) <= tol, `(${a}) is not within ${tol} of (${b})`);

test('affineFromThreePoints maps the three points exactly and inverts', () => {
  const from: [Point, Point, Point] = [
    [120.5, 200.25],
    [260, 190],
    [185, 330],
  ];
  const to: [Point, Point, Point] = [
    [25.9, 23],
    [38.1, 23],
    [32, 46.7],
  ];
  const m = affineFromThreePoints(from, to);
  from.forEach((p, i) => close(applyAffine(m, p), to[i]!, 1e-9));
  const round = composeAffine(invertAffine(m), m);
  close(applyAffine(round, [17, -3]), [17, -3], 1e-9);
});

test('similarityFromTwoPoints keeps angles and maps both points', () => {
  const m = similarityFromTwoPoints(
    [
      [100, 100],
      [140, 130],
    ],
    [
      [0, 0],
      [50, 0],
    ],
  );
  close(applyAffine(m, [100, 100]), [0, 0], 1e-9);
  close(applyAffine(m, [140, 130]), [50, 0], 1e-9);
  // A rotation+scale matrix has a = e and b = −d.
  assert.ok(Math.abs(m[0] - m[4]) < 1e-12 && Math.abs(m[1] + m[3]) < 1e-12);
});

/** A synthetic face: only the alignment points matter here. */
function faceWith(rEye: Point, lEye: Point, lip: Point): Landmarks {
  const pts: Landmarks = Array.from({ length: 68 }, () => [0, 0] as Point);
  pts[39] = rEye;
  pts[42] = lEye;
  pts[57] = lip;
  return pts;
}

test('warpAffine puts a pixel feature where the transform says (within 0.5 px)', () => {
  // A photo with one bright 3×3 square; its centre (continuous coordinates) is (200.5, 150.5).
  const photo = createRgbImage(400, 300);
  for (let y = 149; y <= 151; y++)
    for (let x = 199; x <= 201; x++) photo.data.fill(255, (y * 400 + x) * 3, (y * 400 + x) * 3 + 3);
  const alignment = computeAlignment(faceWith([180, 120], [230, 118], [204, 215]), {
    ...DEFAULT_ALIGNMENT,
    mode: 'affine3',
    size: 128,
  });
  const crop = warpAffine(photo, alignment.toCrop, 128, 128);
  let sx = 0;
  let sy = 0;
  let sw = 0;
  for (let y = 0; y < 128; y++)
    for (let x = 0; x < 128; x++) {
      const v = crop.data[(y * 128 + x) * 3]!;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
      sw += v;
    }
  assert.ok(sw > 0, 'the feature vanished');
  close([sx / sw, sy / sw], applyAffine(alignment.toCrop, [200.5, 150.5]), 0.5);
});

test('both alignment modes send the eye corners to the canonical positions; affine3 also the lip', () => {
  const face = faceWith([310.2, 402.7], [388.9, 396.1], [352.3, 560.4]);
  for (const mode of ['affine3', 'similarity'] as const) {
    const config = { ...DEFAULT_ALIGNMENT, mode };
    const c = canonicalPoints(config);
    const { toCrop, toPhoto } = computeAlignment(face, config);
    close(applyAffine(toCrop, face[39]!), c.rightInnerEye, 1e-6);
    close(applyAffine(toCrop, face[42]!), c.leftInnerEye, 1e-6);
    if (mode === 'affine3') close(applyAffine(toCrop, face[57]!), c.lowerLipBottom, 1e-6);
    close(applyAffine(toPhoto, c.rightInnerEye), face[39]!, 1e-6);
  }
});

test('warpAffine: beyond the source, edge pixels repeat (crops) or take the given colour (a view shown to a person)', () => {
  const image = createRgbImage(10, 10);
  for (let i = 0; i < 100; i++) image.data.set([50 + i, 100, 150], 3 * i);
  // shifted 5 px right: the target's first 5 columns lie beyond the source's left edge
  const shift: Affine = [1, 0, 5, 0, 1, 0];
  const repeated = warpAffine(image, shift, 10, 10);
  const filled = warpAffine(image, shift, 10, 10, [0, 0, 0]);
  for (let y = 0; y < 10; y++)
    for (let x = 0; x < 10; x++) {
      const o = (y * 10 + x) * 3;
      if (x < 5) {
        assert.deepEqual([...filled.data.subarray(o, o + 3)], [0, 0, 0], `(${x}, ${y}) filled`);
        assert.equal(repeated.data[o], image.data[y * 30], `(${x}, ${y}) repeats the edge`);
      } else assert.deepEqual([...filled.data.subarray(o, o + 3)], [...repeated.data.subarray(o, o + 3)]);
    }
});
