import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDataCache } from '../../src/data/cache.js';
import { animationCheck, meanAbsoluteDifference } from '../../src/eval/animation.js';
import { createRgbImage } from '../../src/image/rgbImage.js';

const FIXTURE = new URL('../fixtures/eval/frl-mini', import.meta.url).pathname;

test('mean absolute difference counts every pixel and channel', () => {
  const a = createRgbImage(2, 2);
  const b = createRgbImage(2, 2);
  b.data[0] = 12; // one of 12 values differs by 12
  assert.equal(meanAbsoluteDifference(a, b), 1);
});

test('animation check of the warp: one sequence per held-out person, frame errors and smooth steps', async () => {
  const cache = await readDataCache(FIXTURE);
  const [warp] = await animationCheck(cache, 0, { from: 'neutral', to: 'smile', frames: 5 });
  assert.equal(warp!.method, 'warp');
  assert.equal(warp!.sequences, 2);
  assert.equal(warp!.meanFrameError.length, 5);
  for (const e of warp!.meanFrameError) assert.ok(e > 0 && e < 0.1, `frame error ${e}`);
  // a linear landmark path gives small, even steps: none far above the mean
  assert.ok(warp!.meanNeighbourDifference > 0);
  assert.ok(warp!.maxNeighbourDifference < 3 * warp!.meanNeighbourDifference);
});
