// WGAN-GP differentiates the critic's gradient again; with LeakyReLU in the critic that needs Greater's gradient,
// which TF.js lacks. initBackend() registers it on every backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend.js';

const backend = await initBackend();

test(`second-order gradient through leakyRelu works and is correct (${backend})`, () => {
  // f(x) = Σ leakyRelu(x)², so ∂f/∂x = 2·leakyRelu(x)·slope(x) and the penalty Σ(∂f/∂x)² has gradient
  // 8·leakyRelu(x)·slope(x)³ (8x or 8α⁴x) — computed here by differentiating the first gradient.
  const alpha = 0.2;
  const values = [-2, -0.5, 0.5, 3];
  const penaltyGrad = tf.tidy(() => {
    const inner = tf.grad((x: tf.Tensor) => tf.leakyRelu(x, alpha).square().sum());
    return tf
      .grad((x: tf.Tensor) => inner(x).square().sum())(tf.tensor1d(values))
      .arraySync() as number[];
  });
  const expected = values.map((v) => (v > 0 ? 8 * v : 8 * alpha ** 4 * v));
  penaltyGrad.forEach((g, i) => assert.ok(Math.abs(g - expected[i]!) < 1e-4, `${g} vs ${expected[i]}`));
});

test('the Greater gradient is zero and registering twice is harmless', async () => {
  await initBackend();
  const g = tf.tidy(() =>
    tf
      .grad((x: tf.Tensor) => tf.greater(x, 0).cast('float32').sum())(tf.ones([3]))
      .arraySync(),
  );
  assert.deepEqual(g, [0, 0, 0]);
});
