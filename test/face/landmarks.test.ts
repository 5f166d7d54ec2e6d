import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  LANDMARK_GROUPS,
  MIRROR_MAP,
  mirrorNormalizedFlat,
  normalizeLandmarks,
  denormalizeLandmarks,
  type Landmarks,
} from '../../src/face/landmarks.js';
import { parseLandmarkJson, readLandmarkFile, writeLandmarkFile } from '../../src/face/landmarkFile.js';
import { tempDir } from '../helpers/paths.js';
import { syntheticFace } from '../helpers/syntheticFace.js';

test('the mirror map is an involution that swaps left and right groups', () => {
  MIRROR_MAP.forEach((j, i) => assert.equal(MIRROR_MAP[j], i));
  const swaps = (a: readonly number[], b: readonly number[]): void =>
    assert.deepEqual(
      a.map((i) => MIRROR_MAP[i]!).sort((x, y) => x - y),
      [...b].sort((x, y) => x - y),
    );
  swaps(LANDMARK_GROUPS.rightEye, LANDMARK_GROUPS.leftEye);
  swaps(LANDMARK_GROUPS.rightBrow, LANDMARK_GROUPS.leftBrow);
  swaps(LANDMARK_GROUPS.rightMouthCorner, LANDMARK_GROUPS.leftMouthCorner);
  swaps(LANDMARK_GROUPS.rightUpperEyelid, LANDMARK_GROUPS.leftUpperEyelid);
  for (const centre of [8, 27, 28, 29, 30, 33, 51, 57, 62, 66]) assert.equal(MIRROR_MAP[centre], centre);
});

test('mirroring normalized landmarks twice gives them back; x is negated', () => {
  const flat = Float32Array.from({ length: 136 }, (_, i) => Math.sin(i * 1.7) * 0.8);
  const once = mirrorNormalizedFlat(flat);
  assert.equal(once[2 * 39], -flat[2 * 42]!);
  assert.deepEqual(Array.from(mirrorNormalizedFlat(once)), Array.from(flat));
});

test('normalize and denormalize are inverse; the crop edges map to ±1', () => {
  const pts: Landmarks = [
    [0, 0],
    [64, 64],
    [32, 16],
  ];
  assert.deepEqual(normalizeLandmarks(pts, 64), [
    [-1, -1],
    [1, 1],
    [0, -0.5],
  ]);
  assert.deepEqual(denormalizeLandmarks(normalizeLandmarks(pts, 64), 64), pts);
});

const valid = (): Record<string, unknown> => ({
  scheme: 'ibug68',
  space: 'image',
  imageSize: { width: 100, height: 80 },
  // A plausible face (files are also checked geometrically), at the precision files are written with.
  points: syntheticFace(64).map(([x, y]) => [Math.round(x * 100) / 100, Math.round(y * 100) / 100]),
});

test('landmark files: a valid file round-trips through write and read', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = parseLandmarkJson(JSON.stringify(valid()));
    await writeLandmarkFile(join(dir, 'a.json'), file);
    assert.deepEqual(await readLandmarkFile(join(dir, 'a.json')), file);
  } finally {
    await cleanup();
  }
});

test('landmark files: each malformed file is rejected with a message naming the problem', async () => {
  const bad: [string, (v: Record<string, unknown>) => unknown, RegExp][] = [
    ['wrong count', (v) => ({ ...v, points: (v.points as unknown[]).slice(1) }), /68 points \(got 67\)/],
    [
      'NaN',
      (v) => ({ ...v, points: (v.points as unknown[][]).map((p, i) => (i === 5 ? [null, 1] : p)) }),
      /point 5 must hold two numbers/,
    ],
    [
      'out of range',
      (v) => ({ ...v, points: (v.points as unknown[][]).map((p, i) => (i === 7 ? [900, 1] : p)) }),
      /point 7 .* out of range/,
    ],
    [
      'wrong types',
      (v) => ({ ...v, points: (v.points as unknown[][]).map((p, i) => (i === 2 ? ['1', '2'] : p)) }),
      /point 2 must hold two numbers/,
    ],
    [
      'not pairs',
      (v) => ({ ...v, points: (v.points as unknown[][]).map((p, i) => (i === 3 ? [1, 2, 3] : p)) }),
      /point 3 must be an \[x, y\] pair/,
    ],
    ['scheme', (v) => ({ ...v, scheme: 'mediapipe' }), /"scheme" must be "ibug68"/],
    ['space', (v) => ({ ...v, space: 'world' }), /"space" must be one of/],
    ['size', (v) => ({ ...v, imageSize: { width: -1, height: 3 } }), /positive numeric/],
    ['array', () => [1, 2, 3], /expected a JSON object/],
  ];
  for (const [name, mutate, message] of bad) {
    assert.throws(() => parseLandmarkJson(JSON.stringify(mutate(valid())), 'f.json'), message, name);
  }
  assert.throws(() => parseLandmarkJson('{"scheme": ', 'f.json'), /f\.json: not valid JSON/);
  // Infinity cannot be written in JSON, but a NaN can sneak in through a number that overflows.
  assert.throws(
    () =>
      parseLandmarkJson(
        JSON.stringify({
          ...valid(),
          points: (valid().points as unknown[][]).map((p, i) => (i === 5 ? ['X', 2] : p)),
        }).replace('"X"', '1e999'),
        'f.json',
      ),
    /point 5 is not a finite number/,
  );
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'empty.json'), '');
    await assert.rejects(readLandmarkFile(join(dir, 'empty.json')), /not valid JSON/);
    await assert.rejects(readLandmarkFile(join(dir, 'missing.json')), /cannot read landmark file .*ENOENT/);
  } finally {
    await cleanup();
  }
});
