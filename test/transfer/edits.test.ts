import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, parseEdits } from '../../src/transfer/edits.js';

const SIZE = 64;
const PX = 2 / SIZE; // one crop pixel in normalized units
const base = (): Float32Array => Float32Array.from({ length: 136 }, (_, i) => ((i * 37) % 100) / 100 - 0.5);
const dy = (a: Float32Array, b: Float32Array, point: number): number =>
  (b[2 * point + 1]! - a[2 * point + 1]!) / PX;
const dx = (a: Float32Array, b: Float32Array, point: number): number => (b[2 * point]! - a[2 * point]!) / PX;

test('mouthCorners=+2 lifts the corners by 2 crop pixels and leaves the eyes alone', () => {
  const before = base();
  const after = applyEdits(before, { mouthCorners: 2 }, SIZE);
  for (const corner of [48, 54, 60, 64]) assert.ok(Math.abs(dy(before, after, corner) + 2) < 1e-5);
  assert.ok(dy(before, after, 49) < 0 && dy(before, after, 49) > -2, 'neighbours follow part of the way');
  for (let p = 0; p < 48; p++) assert.equal(dy(before, after, p), 0);
});

test('eyelids, brows, mouth opening and width move the points a user expects, in the right direction', () => {
  const before = base();
  const open = applyEdits(before, { eyelids: 1 }, SIZE);
  assert.ok(Math.abs(dy(before, open, 37) + 1) < 1e-5, 'upper eyelid up');
  assert.equal(dy(before, open, 41), 0, 'lower eyelid stays');
  const brows = applyEdits(before, { brows: 3 }, SIZE);
  assert.ok(Math.abs(dy(before, brows, 19) + 3) < 1e-5);
  const mouth = applyEdits(before, { mouthOpen: 4 }, SIZE);
  assert.ok(Math.abs(dy(before, mouth, 57) - 4) < 1e-5, 'lower lip down');
  assert.equal(dy(before, mouth, 51), 0, 'upper lip stays');
  assert.ok(dy(before, mouth, 8) > 0, 'chin follows');
  const wide = applyEdits(before, { mouthWidth: 1 }, SIZE);
  assert.ok(dx(before, wide, 48) < 0 && dx(before, wide, 54) > 0);
  const closed = applyEdits(before, { eyelids: -1 }, SIZE);
  assert.ok(Math.abs(dy(before, closed, 44) - 1) < 1e-5, 'negative closes');
});

test('edit text: name=amount pairs, signs optional; unknown names and huge amounts are refused', () => {
  assert.deepEqual(parseEdits('mouthCorners=+2,eyelids=-1'), { mouthCorners: 2, eyelids: -1 });
  assert.deepEqual(parseEdits('brows=1.5'), { brows: 1.5 });
  assert.throws(() => parseEdits('smile=2'), /unknown landmark edit "smile" \(known: eyelids/);
  assert.throws(() => parseEdits('brows'), /must look like name=\+2/);
  assert.throws(() => parseEdits('brows=40'), /over 16 crop pixels/);
});
