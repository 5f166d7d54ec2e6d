import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { readDataCache } from '../../src/data/cache.js';
import { evaluateFold } from '../../src/eval/evaluate.js';
import { heldOutTriplets } from '../../src/eval/triplets.js';
import { MimicError } from '../../src/util/errors.js';
import { oracleGenerator } from './oracle.js';

const FIXTURE = new URL('../fixtures/eval/frl-mini', import.meta.url).pathname;

test('triplets: every ordered pair of different expressions of the held-out people only', async () => {
  const { manifest } = await readDataCache(FIXTURE);
  const triplets = heldOutTriplets(manifest, 0);
  const pairs = triplets.map((t) => `${t.inputId} → ${t.targetId}`).sort();
  assert.deepEqual(pairs, [
    'frl/001/neutral → frl/001/smile',
    'frl/001/smile → frl/001/neutral',
    'frl/002/neutral → frl/002/smile',
    'frl/002/smile → frl/002/neutral',
  ]);
  assert.throws(() => heldOutTriplets(manifest, 2), MimicError);
});

test('a perfect model scores SSIM 1 and infinite PSNR; baselines and face metrics behave as on real photos', async () => {
  const cache = await readDataCache(FIXTURE);
  const generate = oracleGenerator(cache);
  await evaluateFold(cache, 1, { generate }); // loads the face nets once
  const tensorsBefore = tf.memory().numTensors;
  const progress: number[] = [];
  const result = await evaluateFold(cache, 0, { generate, onProgress: (done) => progress.push(done) });
  assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensor left behind');
  assert.deepEqual(progress, [1, 2, 3, 4]);
  assert.deepEqual(result.subjects, ['001', '002']);
  for (const t of result.triplets) {
    assert.equal(t.scores.model!.ssimRgb, 1);
    assert.equal(t.scores.model!.ssimGray, 1);
    assert.equal(t.scores.model!.psnr, Infinity);
    assert.ok(t.scores.identity!.ssimRgb! < 0.95, 'the other expression is a different image');
  }
  // given its own landmarks, the perfect model returns each of the 2 people's 2 photos exactly
  assert.equal(result.selfReconstruction!.photos, 4);
  assert.equal(result.selfReconstruction!.ssimRgb.mean, 1);
  const s = result.summary;
  // face-api reads neutral and smiling FRL crops correctly, and a person's other photo as the same person
  assert.equal(s.real!.expressionMatch!.mean, 1);
  assert.equal(s.identity!.expressionMatch!.mean, 0);
  assert.equal(s.identity!.sameIdentity!.mean, 1);
  assert.ok(s.real!.landmarkError!.mean < 0.06, `detector floor ${s.real!.landmarkError!.mean}`);
  // warping the input to the target landmarks moves its detected landmarks towards them
  assert.ok(s.warp!.landmarkError!.mean < s.identity!.landmarkError!.mean);
  assert.ok(s.warp!.ssimRgb!.mean > s.identity!.ssimRgb!.mean);
});
