// The engine's other WASM kernels (Sum over leading axes, zero-copy Identity) and its BatchNorm gradient must
// give the same numbers as TF.js's own implementations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend.js';
import { registerEngineKernels, useStockWasmKernels } from '../../src/engine/registerKernels.js';
import { closeTo } from '../helpers/closeTo.js';

await initBackend({ backend: 'wasm' });

/** Same computation with the engine's kernels and with stock TF.js (both on WASM). */
function engineAndStock(f: () => tf.Tensor | tf.Tensor[]): [Float32Array[], Float32Array[]] {
  const run = () =>
    tf.tidy(() => {
      const out = f();
      return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Float32Array);
    });
  const ours = run();
  useStockWasmKernels(['Conv2DBackpropFilter']);
  try {
    return [ours, run()];
  } finally {
    registerEngineKernels();
  }
}

test('Sum and Mean over leading axes match the stock kernels (with and without keepDims)', () => {
  for (const [shape, axis, keepDims] of [
    [[4, 5, 6, 7], [0, 1, 2], false],
    [[4, 5, 6, 7], [0, 1, 2], true],
    [[9, 3], 0, false],
    [[2, 3, 4], [0, 1], true],
    [[2, 3, 4], [1, 2], false], // not leading: stock path
  ] as const) {
    const x = tf.randomNormal(shape as unknown as number[]);
    const axes = axis as number | number[];
    const [ours, stock] = engineAndStock(() => [x.sum(axes, keepDims), x.mean(axes, keepDims)]);
    ours.forEach((values, i) => closeTo(values, stock[i]!, 1e-5));
    x.dispose();
  }
});

test('Identity shares memory safely: a clone outlives its source', () => {
  const before = tf.memory().numTensors;
  const source = tf.tensor([1, 2, 3]);
  const copy = tf.clone(source);
  source.dispose();
  assert.deepEqual(Array.from(copy.dataSync()), [1, 2, 3]);
  copy.dispose();
  assert.equal(tf.memory().numTensors, before);
});

// (Without a scale TF.js itself cannot differentiate batchNorm: it saves the missing input for the tape.)
test('BatchNorm gradients (4-D and 2-D) match TF.js', () => {
  for (const shape of [
    [3, 4, 5, 6],
    [8, 6],
  ]) {
    const c = shape[shape.length - 1]!;
    const x = tf.randomNormal(shape);
    const mean = tf.randomNormal([c]);
    const variance = tf.randomUniform([c], 0.5, 2);
    const offset = tf.randomNormal([c]);
    const scale = tf.randomNormal([c]);
    const dy = tf.randomNormal(shape);
    const f = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, o: tf.Tensor, s: tf.Tensor) =>
      tf.batchNorm(a, m, v, o, s, 1e-3).mul(dy).sum();
    const [ours, stock] = engineAndStock(() => tf.grads(f)([x, mean, variance, offset, scale]));
    assert.equal(ours.length, 5);
    ours.forEach((g, i) => closeTo(g, stock[i]!));
    tf.dispose([x, mean, variance, offset, scale, dy]);
  }
});

test('BatchMatMul with transposed operands matches the stock kernel (2-D, batched, broadcast batch)', () => {
  for (const [aShape, bShape] of [
    [
      [37, 70],
      [70, 45],
    ],
    [
      [3, 33, 20],
      [3, 20, 9],
    ],
    [
      [2, 5, 8],
      [1, 8, 6],
    ],
  ] as const) {
    const a = tf.randomNormal(aShape as unknown as number[]);
    const b = tf.randomNormal(bShape as unknown as number[]);
    const aT = a.rank === 2 ? a.transpose() : a.transpose([0, 2, 1]);
    const bT = b.rank === 2 ? b.transpose() : b.transpose([0, 2, 1]);
    const [ours, stock] = engineAndStock(() => [
      tf.matMul(aT, b, true, false),
      tf.matMul(a, bT, false, true),
      tf.matMul(aT, bT, true, true),
    ]);
    const plain = tf.matMul(a, b);
    ours.forEach((values, i) => {
      closeTo(values, stock[i]!);
      closeTo(values, plain.dataSync());
    });
    tf.dispose([a, b, aT, bT, plain]);
  }
});
