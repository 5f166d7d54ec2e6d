// Data-parallel training: replicas in worker threads must stay bit-identical, and N workers must train the same
// model as one process (same losses and weights up to float rounding).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createDataParallel, type DataParallel } from '../../src/engine/parallel/dataParallel.js';
import { INPUTS } from './tinyReplica.js';

const replicaModule = new URL('./tinyReplica.ts', import.meta.url);

function batch(step: number, n: number) {
  const x = Float32Array.from({ length: n * INPUTS }, (_, i) => Math.sin(i * 0.37 + step));
  const y = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.61 + step));
  return { x, y };
}

async function train(engine: DataParallel, steps: number, n: number) {
  const losses = [];
  for (let s = 0; s < steps; s++) losses.push(await engine.step(batch(s, n), n));
  return losses;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

test('two workers stay bit-identical and match the single-process step', async () => {
  const single = await createDataParallel({ replicaModule, workers: 1 });
  const parallel = await createDataParallel({ replicaModule, workers: 2 });
  try {
    assert.equal(parallel.workers, 2);
    assert.deepEqual(parallel.phases, ['first', 'second']);
    // 10 rows split 5 + 5; then an odd batch (7 = 4 + 3) exercises the shard-size weighting.
    const singleLosses = [...(await train(single, 3, 10)), await single.step(batch(9, 7), 7)];
    const parallelLosses = [...(await train(parallel, 3, 10)), await parallel.step(batch(9, 7), 7)];
    const checksums = await parallel.checksums();
    assert.equal(checksums.length, 2);
    assert.equal(checksums[0], checksums[1], 'replicas diverged');

    singleLosses.forEach((losses, s) => {
      for (const phase of ['first', 'second'])
        assert.ok(
          Math.abs(losses[phase]!.mse! - parallelLosses[s]![phase]!.mse!) < 1e-5,
          `step ${s} ${phase}`,
        );
    });
    const a = await single.getWeights();
    const b = await parallel.getWeights();
    assert.deepEqual(Object.keys(b).sort(), ['runningMean', 'w1', 'w2']);
    for (const name of Object.keys(a)) assert.ok(maxDiff(a[name]!, b[name]!) < 1e-5, `weight ${name}`);
    // Training did something: the weights moved away from their start.
    assert.ok(Math.abs(b.runningMean![0]!) > 1e-3);
  } finally {
    await single.dispose();
    await parallel.dispose();
  }
});

test('the in-process engine keeps the tensor count flat across steps', async () => {
  const engine = await createDataParallel({ replicaModule, workers: 1 });
  try {
    await engine.step(batch(0, 8), 8);
    const before = tf.memory().numTensors;
    await train(engine, 3, 8);
    assert.equal(tf.memory().numTensors, before);
  } finally {
    await engine.dispose();
  }
});

test('a replica module without createReplica is reported clearly', async () => {
  await assert.rejects(
    createDataParallel({
      replicaModule: new URL('../../src/engine/parallel/shards.ts', import.meta.url),
      workers: 2,
    }),
    /does not export createReplica/,
  );
});

test('optimizer state is read from and restored into every replica (checkpoint resume)', async () => {
  const engine = await createDataParallel({ replicaModule, workers: 2 });
  try {
    await train(engine, 2, 6);
    assert.deepEqual(Array.from((await engine.getOptimizerState()).updates!), [4]); // 2 steps × 2 phases
    await engine.setOptimizerState({ updates: Float32Array.of(40) });
    await engine.step(batch(5, 6), 6);
    assert.deepEqual(Array.from((await engine.getOptimizerState()).updates!), [42]);
  } finally {
    await engine.dispose();
  }
});
