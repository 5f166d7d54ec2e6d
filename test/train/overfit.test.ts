// A tiny model trained on a handful of triplets must fit them: the reconstruction loss falls at least 5×.
// Runs the real training step (replica, all phases, Adam) on real sampled batches, without augmentation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend.js';
import { readDataCache } from '../../src/data/cache.js';
import { resolveModelConfig } from '../../src/model/config.js';
import { MimicReplica } from '../../src/train/mimicReplica.js';
import { Rng } from '../../src/util/random.js';
import { makeShard, splitTriplets } from '../../src/train/trainingData.js';
import { tempDir } from '../helpers/paths.js';
import { writeSyntheticCache } from './syntheticCache.js';

await initBackend();

test('a tiny model overfits four triplets: image and landmark reconstruction losses fall ≥ 5×', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeSyntheticCache(dir, 2, 2);
    const cache = await readDataCache(dir);
    const split = splitTriplets(cache, undefined);
    assert.equal(split.train.length, 8);
    const config = resolveModelConfig({
      generatorChannels: [8, 8, 8, 8],
      criticChannels: [4, 4, 4, 4],
      imageCodeSize: 16,
      landmarkCodeSize: 8,
      landmarkEncoderUnits: [16],
      landmarkDecoderUnits: [16],
      learningRate: 3e-3,
      batchSize: 8,
    });
    const replica = new MimicReplica(config, 7);
    const batch = makeShard(cache, split.train, config, new Rng(1), split.trainItems, false);
    const history: Record<string, number>[] = [];
    const tensorsAtStart = tf.memory().numTensors;
    for (let step = 0; step < 60; step++) {
      const losses: Record<string, number> = {};
      for (const phase of replica.phases) {
        const result = await replica.computeGradients(phase, batch, 8);
        Object.assign(losses, result.losses);
        await replica.applyGradients(phase, result.gradients);
      }
      history.push(losses);
    }
    assert.equal(tf.memory().numTensors, tensorsAtStart, 'tensor count stays flat over training steps');
    const first = history[0]!;
    const last = history.at(-1)!;
    assert.ok(last.imageL1! * 5 <= first.imageL1!, `image L1 ${first.imageL1} → ${last.imageL1}`);
    assert.ok(
      last.landmarkL2! * 5 <= first.landmarkL2!,
      `landmark L2 ${first.landmarkL2} → ${last.landmarkL2}`,
    );
    replica.dispose();
  } finally {
    await cleanup();
  }
});
