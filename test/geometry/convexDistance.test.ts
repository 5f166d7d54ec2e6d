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

test('rowCandidates + candidateDistance give distance() bit for bit at every inside point of the segment', () => {
  const rng = new Rng(29);
  let checked = 0;
  let pruned = 0;
  for (let round = 0; round < 80; round++) {
    const points: Point[] = Array.from({ length: 6 + (round % 25) }, () => [
      rng.next() * 300,
      rng.next() * 300,
    ]);
    const hull = convexHull(points);
    // A repeated vertex (a zero-length edge) in some rounds, either winding.
    const polygon = round % 3 === 0 ? [hull[0]!, ...hull] : round % 2 ? [...hull].reverse() : hull;
    const fast = new ConvexDistance(polygon);
    const candidates = new Int32Array(polygon.length);
    // A row of photo pixels mapped into the polygon's frame: rotated, scaled, sheared.
    const angle = rng.uniform(-Math.PI, Math.PI);
    const scale = rng.uniform(0.3, 3);
    const a = scale * Math.cos(angle);
    const c = scale * Math.sin(angle) + (round % 4 === 0 ? rng.uniform(-0.3, 0.3) : 0);
    const b = rng.uniform(0, 300);
    const d = rng.uniform(0, 300);
    const t0 = rng.uniform(-150, 50);
    const t1 = t0 + rng.uniform(0, 150);
    const count = fast.rowCandidates(a, b, c, d, t0, t1, candidates);
    pruned += polygon.length - count;
    for (let k = 0; k <= 200; k++) {
      const t = k === 0 ? t0 : k === 200 ? t1 : rng.uniform(t0, t1);
      const x = a * t + b;
      const y = c * t + d;
      if (!fast.contains(x, y)) continue;
      checked++;
      const got = fast.candidateDistance(x, y, candidates, count);
      assert.ok(
        Object.is(got, fast.distance(x, y)),
        `round ${round}, t ${t}: ${got} vs ${fast.distance(x, y)}`,
      );
    }
  }
  assert.ok(checked > 2000, `${checked} inside points checked`);
  assert.ok(pruned > 300, `${pruned} edges left out: the candidates are fewer than the edges`);
});
