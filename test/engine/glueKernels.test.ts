// The engine's kernels for the non-convolution work of a training step (Concat/SplitV as row copies, zero-copy
// same-dtype Cast, LeakyReLU's gradient as one kernel) must give the numbers of TF.js's cpu backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend.js';
import { registerEngineKernels, useStockWasmKernels } from '../../src/engine/registerKernels.js';
import { closeTo } from '../helpers/closeTo.js';

await initBackend({ backend: 'wasm' });

/** Runs `f` on the WASM backend (engine kernels) and on the cpu backend; returns both results as arrays. */
async function wasmAndCpu(f: () => tf.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const run = () => tf.tidy(() => f().map((t) => t.dataSync() as Float32Array));
  const wasm = run();
  await tf.setBackend('cpu');
  try {
    return [wasm, run()];
  } finally {
    await tf.setBackend('wasm');
  }
}

function random(shape: number[], seed: number): Float32Array {
  return tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', seed).dataSync() as Float32Array);
}

test('Concat and SplitV on any axis match the cpu backend', async () => {
  for (const [shapes, axis] of [
    [
      [
        [2, 3, 4, 5],
        [2, 3, 4, 7],
      ],
      3,
    ],
    [
      [
        [2, 3, 4, 5],
        [2, 3, 1, 5],
        [2, 3, 2, 5],
      ],
      2,
    ],
    [
      [
        [3, 4],
        [5, 4],
      ],
      0,
    ],
    [
      [
        [6, 1],
        [6, 20],
        [6, 3],
      ],
      -1,
    ],
  ] as [number[][], number][]) {
    const data = shapes.map((shape, i) => random(shape, i + 1));
    const sizes = shapes.map((shape) => shape.at(axis)!);
    const [ours, cpu] = await wasmAndCpu(() => {
      const tensors = shapes.map((shape, i) => tf.tensor(data[i]!, shape));
      const joined = tf.concat(tensors, axis);
      return [joined, ...tf.split(joined.mul(2), sizes, axis)];
    });
    assert.equal(ours.length, shapes.length + 1);
    ours.forEach((values, i) => closeTo(values, cpu[i]!, 0));
  }
});

test('Concat and SplitV gradients (through a channel skip connection) match the cpu backend', async () => {
  const [a, b] = [random([2, 4, 4, 3], 7), random([2, 4, 4, 5], 8)];
  const weights = random([8], 9);
  const [ours, cpu] = await wasmAndCpu(() =>
    tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.concat([x, y], -1).square().mul(tf.tensor(weights)).sum())([
      tf.tensor(a, [2, 4, 4, 3]),
      tf.tensor(b, [2, 4, 4, 5]),
    ]),
  );
  ours.forEach((values, i) => closeTo(values, cpu[i]!));
});

test('Cast to the same dtype shares memory safely; real conversions still convert', () => {
  const before = tf.memory().numTensors;
  const source = tf.tensor([1.5, -2, 0]);
  const same = tf.cast(source, 'float32');
  const asInt = tf.cast(source, 'int32');
  const flags = tf.tensor([true, false, true], undefined, 'bool');
  const mask = tf.cast(flags, 'float32');
  tf.dispose([source, flags]);
  assert.deepEqual(Array.from(same.dataSync()), [1.5, -2, 0]);
  assert.deepEqual(Array.from(asInt.dataSync()), [1, -2, 0]);
  assert.deepEqual(Array.from(mask.dataSync()), [1, 0, 1]);
  tf.dispose([same, asInt, mask]);
  assert.equal(tf.memory().numTensors, before);
});

test('LeakyReLU gradient and its second order (a WGAN-GP-style penalty) match the cpu backend', async () => {
  const [n, c] = [3, 6];
  const x = random([n, 5, 5, c], 11);
  x[0] = 0; // the kink: both backends give the slope α at exactly 0 (and at −0)
  x[1] = -0;
  const [w1, w2, dy] = [random([c], 12), random([c], 13), random([n, 5, 5, c], 14)];
  const net = (input: tf.Tensor, a: tf.Tensor, b: tf.Tensor) =>
    tf
      .leakyRelu(tf.leakyRelu(input.mul(a), 0.2).mul(b), 0.3)
      .mul(tf.tensor(dy, [n, 5, 5, c]))
      .sum();
  const [ours, cpu] = await wasmAndCpu(() => {
    const input = tf.tensor(x, [n, 5, 5, c]);
    const first = tf.grad((v: tf.Tensor) => net(v, tf.tensor(w1), tf.tensor(w2)))(input);
    const penalty = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf
        .grad((v: tf.Tensor) => net(v, a, b))(input)
        .square()
        .sum(),
    );
    return [first, ...penalty([tf.tensor(w1), tf.tensor(w2)])];
  });
  assert.equal(ours.length, 3);
  ours.forEach((values, i) => closeTo(values, cpu[i]!));
});

test('LeakyReLU gradient keeps the tensor count flat', () => {
  const x = tf.randomNormal([2, 4, 4, 3]);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) tf.grad((v: tf.Tensor) => tf.leakyRelu(v, 0.2).sum())(x).dispose();
  assert.equal(tf.memory().numTensors, before);
  x.dispose();
});

test('LeakyReLU forward (through Prelu) matches the cpu backend for several channel counts and slopes', async () => {
  for (const [shape, alpha] of [
    [[2, 3, 3, 5], 0.2],
    [[4, 7], 0.01],
    [[3, 2, 4, 16], 1.5],
  ] as [number[], number][]) {
    const x = random(shape, 21);
    x[0] = 0;
    x[1] = -0;
    const [ours, cpu] = await wasmAndCpu(() => [tf.leakyRelu(tf.tensor(x, shape), alpha)]);
    closeTo(ours[0]!, cpu[0]!, 1e-6); // α·x rounds once in float32 here, in float64 on the cpu backend
  }
});

test('BatchNorm forward (per-channel, with and without scale/offset) matches the cpu backend', async () => {
  for (const [shape, withScale, withOffset] of [
    [[2, 4, 4, 6], true, true],
    [[5, 3], false, true],
    [[2, 3, 3, 4], true, false],
  ] as [number[], boolean, boolean][]) {
    const c = shape.at(-1)!;
    const x = random(shape, 31);
    const [mean, offset, scale] = [random([c], 32), random([c], 33), random([c], 34)];
    const variance = random([c], 35).map((v) => v * v + 0.1);
    const [ours, cpu] = await wasmAndCpu(() => [
      tf.batchNorm(
        tf.tensor(x, shape),
        tf.tensor(mean),
        tf.tensor(variance),
        withOffset ? tf.tensor(offset) : undefined,
        withScale ? tf.tensor(scale) : undefined,
        1e-3,
      ),
    ]);
    closeTo(ours[0]!, cpu[0]!);
  }
});

test("Sum and Mean gradients, first and second order, match TF.js's own gradients", () => {
  const shape = [3, 4, 4, 5];
  const x = random(shape, 41);
  const w = random([5], 42);
  // A layer-norm-like critic piece (per-sample mean over H, W, C; per-channel mean and sum over N, H, W), and a
  // gradient penalty on it: differentiating the gradient differentiates the Sum/Mean gradients themselves.
  const net = (input: tf.Tensor, weights: tf.Tensor) => {
    const centred = input.sub(input.mean([1, 2, 3], true));
    const perChannel = centred
      .square()
      .mean([0, 1, 2])
      .add(centred.sum([0, 1, 2]));
    return perChannel.mul(weights).sum().add(input.mul(weights).sum(-1).square().sum());
  };
  const run = () =>
    tf.tidy(() => {
      const [input, weights] = [tf.tensor(x, shape), tf.tensor(w)];
      const first = tf.grad((v: tf.Tensor) => net(v, weights))(input);
      const penalty = tf.grad((u: tf.Tensor) =>
        tf
          .grad((v: tf.Tensor) => net(v, u))(input)
          .square()
          .sum(),
      )(weights);
      return [first, penalty].map((t) => t.dataSync() as Float32Array);
    });
  const ours = run();
  useStockWasmKernels();
  let stock: Float32Array[];
  try {
    stock = run();
  } finally {
    registerEngineKernels();
  }
  ours.forEach((values, i) => closeTo(values, stock[i]!));
});

test('Tanh (through Sigmoid) is within 3e-7 of the cpu backend, saturating at ±1', async () => {
  const shape = [2, 8, 8, 3];
  const x = random(shape, 51).map((v) => v * 4);
  x[0] = 0;
  x[1] = 40;
  x[2] = -40;
  const [ours, cpu] = await wasmAndCpu(() => [tf.tanh(tf.tensor(x, shape))]);
  ours[0]!.forEach((v, i) =>
    assert.ok(Math.abs(v - cpu[0]![i]!) <= 3e-7, `element ${i}: ${v} vs ${cpu[0]![i]}`),
  );
  assert.deepEqual(Array.from(ours[0]!.slice(0, 3)), [0, 1, -1]);
});
