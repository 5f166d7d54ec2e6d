import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolateKeys } from '../../src/face/interpolate.js';

test('eq. 6: N frames per segment, keys shared by neighbouring segments appear once', () => {
  const frames = interpolateKeys(
    [
      [0, 0],
      [4, 8],
      [0, 0],
    ],
    4,
  );
  assert.equal(frames.length, 2 * 4 + 1);
  assert.deepEqual([...frames[0]!], [0, 0]);
  assert.deepEqual([...frames[1]!], [1, 2]); // t/N · g_u + (1 − t/N) · g_v with t = 1, N = 4
  assert.deepEqual([...frames[4]!], [4, 8]);
  assert.deepEqual([...frames[6]!], [2, 4]);
  assert.deepEqual([...frames[8]!], [0, 0]);
});

test('one key or zero frames per segment is refused', () => {
  assert.throws(() => interpolateKeys([[0]], 4), /at least two keys/);
  assert.throws(() => interpolateKeys([[0], [1]], 0), /at least 1/);
});

test('one segment of N frames has N + 1 landmark sets from one end to the other, evenly spaced', () => {
  const from = [0, 0, 1, -1];
  const to = [1, 2, 1, 1];
  const frames = interpolateKeys([from, to], 4);
  assert.equal(frames.length, 5);
  assert.deepEqual([...frames[0]!], from);
  assert.deepEqual([...frames[4]!], to);
  assert.deepEqual([...frames[2]!], [0.5, 1, 1, 0]);
});

test('a way back passes through the way there bit for bit, for any number of frames', () => {
  const a = Float32Array.from({ length: 136 }, (_, i) => Math.sin(i) * 0.7);
  const b = Float32Array.from({ length: 136 }, (_, i) => Math.cos(i * 1.3) * 0.6);
  for (const n of [3, 7, 10, 47, 61]) {
    const frames = interpolateKeys([a, b, a], n);
    for (let t = 0; t <= n; t++)
      assert.deepEqual(frames[2 * n - t], frames[t], `${n} frames a segment, frame ${t}`);
  }
});
