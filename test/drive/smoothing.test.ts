/**
 * The One Euro settings do what they are for, at 25 fps in crop pixels: detector-sized jitter on a still face is
 * cut several-fold, and a mouth snapping open is followed within a few frames.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OneEuroFilter } from '../../src/drive/oneEuro.js';
import { SMOOTHING } from '../../src/drive/smoothing.js';
import { Rng } from '../../src/util/random.js';

const DT = 1 / 25;

function stepDiffs(values: number[]): number {
  let sum = 0;
  for (let i = 1; i < values.length; i++) sum += (values[i]! - values[i - 1]!) ** 2;
  return Math.sqrt(sum / (values.length - 1));
}

for (const [name, params] of Object.entries(SMOOTHING)) {
  if (name === 'pose') continue;
  test(`One Euro (${name}): still jitter cut at least 3×, a 6-px jump followed within 3 frames`, () => {
    const rng = new Rng(7);
    const noise = (): number => 0.3 * (rng.next() + rng.next() + rng.next() - 1.5) * 2;
    const filter = new OneEuroFilter(params);
    const raw: number[] = [];
    const out: number[] = [];
    for (let k = 0; k < 100; k++) {
      const v = 20 + noise();
      raw.push(v);
      out.push(filter.next([v], DT)[0]!);
    }
    const ratio = stepDiffs(raw.slice(10)) / stepDiffs(out.slice(10));
    assert.ok(ratio > 3, `jitter reduced ${ratio.toFixed(1)}×`);
    // A fast move: +6 px in one frame (a mouth opening), then held.
    const after: number[] = [];
    for (let k = 0; k < 10; k++) after.push(filter.next([26 + noise()], DT)[0]! - 20);
    const frames = after.findIndex((v) => v > 0.8 * 6) + 1;
    assert.ok(
      frames >= 1 && frames <= 3,
      `80 % of the jump after ${frames} frames (${after.map((v) => v.toFixed(2)).join(' ')})`,
    );
  });
  if (name === 'eyelids')
    test('One Euro (eyelids): a 3-frame blink still closes the eye by at least 90 %', () => {
      const filter = new OneEuroFilter(params);
      for (let k = 0; k < 50; k++) filter.next([3], DT);
      const gaps = [0, 0, 0, 3, 3].map((v) => filter.next([v], DT)[0]!);
      assert.ok(Math.min(...gaps) < 0.3, `closest gap ${Math.min(...gaps).toFixed(2)} of 3`);
    });
}
