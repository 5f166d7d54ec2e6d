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
