import assert from 'node:assert/strict';

/** Element-wise |actual − expected| ≤ tolerance · max |expected| (a relative error over the whole array). */
export function closeTo(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-4): void {
  assert.equal(actual.length, expected.length);
  let scale = 1e-6;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++)
    assert.ok(
      Math.abs(actual[i]! - expected[i]!) <= tolerance * scale,
      `element ${i}: ${actual[i]} vs ${expected[i]}`,
    );
}
