import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConvexDistance } from '../../src/geometry/convexDistance.js';
import { convexHull, signedDistance } from '../../src/transfer/paste.js';
import { Rng } from '../../src/util/random.js';
import type { Point } from '../../src/geometry/affine.js';

test('ConvexDistance gives exactly the values of signedDistance, inside and outside, either winding', () => {
  const rng = new Rng(7);
  const random = (): number => rng.next();
  for (let round = 0; round < 60; round++) {
    const points: Point[] = Array.from({ length: 12 }, () => [random() * 64, random() * 64]);
    const hull = convexHull(points);
    for (const polygon of [hull, [...hull].reverse()]) {
      const fast = new ConvexDistance(polygon);
      for (let k = 0; k < 500; k++) {
        const x = random() * 80 - 8;
        const y = random() * 80 - 8;
        const expected = signedDistance(polygon, [x, y]);
        assert.equal(fast.distance(x, y), expected);
        assert.equal(fast.contains(x, y), expected >= 0);
      }
    }
  }
});

test('depth is negative exactly outside and never more than the distance inside', () => {
  const rng = new Rng(11);
  const points: Point[] = Array.from({ length: 15 }, () => [rng.next() * 64, rng.next() * 64]);
  const hull = new ConvexDistance(convexHull(points));
  let deep = 0;
  for (let k = 0; k < 5000; k++) {
    const x = rng.next() * 80 - 8;
    const y = rng.next() * 80 - 8;
    const depth = hull.depth(x, y);
    assert.equal(depth < 0, !hull.contains(x, y));
    if (depth >= 0) assert.ok(depth <= hull.distance(x, y) + 1e-12);
    if (depth > 5) deep++;
  }
  assert.ok(deep > 100, 'some points are deep inside');
});
