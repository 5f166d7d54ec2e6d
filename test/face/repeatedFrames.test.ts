import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copiesWhereRepeated, distinctFrames } from '../../src/face/repeatedFrames.js';

test('distinct frames: equal bits are one pose, any other bit a pose of its own', () => {
  const a = Float32Array.of(0.1, 0.2);
  const b = Float32Array.of(0.1, 0.2000001);
  const minusZero = Float32Array.of(-0, 0.2);
  const plusZero = Float32Array.of(0, 0.2);
  const { distinct, indexOf } = distinctFrames([a, b, Float32Array.from(a), minusZero, plusZero, a]);
  assert.deepEqual(indexOf, [0, 1, 0, 2, 3, 0]);
  assert.equal(distinct.length, 4);
  assert.equal(distinct[0], a);
});

test('repeated poses get copies of their picture, the first its own', () => {
  const pictures = [{ data: Uint8Array.of(1, 2) }, { data: Uint8Array.of(3) }];
  const frames = copiesWhereRepeated([0, 1, 0], pictures);
  assert.equal(frames[0], pictures[0]);
  assert.equal(frames[1], pictures[1]);
  assert.notEqual(frames[2]!.data, pictures[0]!.data);
  assert.deepEqual(frames[2]!.data, pictures[0]!.data);
});
