import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolateKeys } from '../../src/animate/sequence.js';

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
