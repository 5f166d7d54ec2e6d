// The losses as the paper's equations say, on cases small enough to compute by hand, and the WGAN-GP penalty's
// second-order gradient against finite differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend.js';
import {
  contrastiveLoss,
  criticLoss,
  criticValues,
  generatorAdversarialLoss,
  gradientPenalty,
  imageL1Loss,
  landmarkL2Loss,
} from '../../src/train/losses.js';
import { buildCritic } from '../../src/model/networks.js';
import { resolveModelConfig } from '../../src/model/config.js';

await initBackend();

const value = (t: tf.Scalar): number => {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};

test('contrastive loss (eq. 2): same label pulls by ½d², different label pushes by ½·max(0, m − d)²', () => {
  // Pair 1: distance 5 (3-4-5), same label → ½·25 = 12.5. Pair 2: distance 2, different, m = 5 → ½·3² = 4.5.
  // Pair 3: distance 6 ≥ m, different → 0. Mean = (12.5 + 4.5 + 0) / 3 = 17 / 3.
  const z1 = tf.tensor2d([
    [0, 0],
    [1, 1],
    [0, 0],
  ]);
  const z2 = tf.tensor2d([
    [3, 4],
    [1, 3],
    [6, 0],
  ]);
  const different = tf.tensor1d([0, 1, 1]);
  assert.ok(Math.abs(value(contrastiveLoss(z1, z2, different, 5)) - 17 / 3) < 1e-5);
  // Identical codes with different labels pay the whole margin: ½·m².
  assert.ok(Math.abs(value(contrastiveLoss(z1, z1, tf.tensor1d([1, 1, 1]), 5)) - 12.5) < 1e-4);
  tf.dispose([z1, z2, different]);
});

test('image L1 sums over pixels and channels and averages over the batch; landmark L2 sums squares', () => {
  const a = tf.zeros([2, 2, 2, 3]);
  const b = tf.fill([2, 2, 2, 3], 0.5);
  // 12 values per image × 0.5 = 6 per image.
  assert.ok(Math.abs(value(imageL1Loss(a, b)) - 6) < 1e-6);
  const p = tf.tensor2d([
    [1, 2],
    [0, 0],
  ]);
  const q = tf.tensor2d([
    [0, 0],
    [0, 3],
  ]);
  // (1 + 4) and 9 → mean 7.
  assert.ok(Math.abs(value(landmarkL2Loss(p, q)) - 7) < 1e-6);
  tf.dispose([a, b, p, q]);
});

test('Wasserstein terms (eq. 3): critic value is the mean of the map; D loss = E[D(fake)] − E[D(real)] + λ·GP', () => {
  // A linear "critic" D(x) = mean of 2·x over the image: ∇ = 2/size everywhere, so ‖∇‖ is known in closed form.
  const size = 2 * 2 * 1;
  const critic = (x: tf.Tensor4D) => tf.tidy(() => criticValues(tf.mul(x, 2)));
  const real = tf.fill([2, 2, 2, 1], 1) as tf.Tensor4D;
  const fake = tf.fill([2, 2, 2, 1], -1) as tf.Tensor4D;
  const eps = tf.tensor1d([0.3, 0.9]);
  const terms = criticLoss(critic, real, fake, eps, 10);
  const gradNorm = Math.sqrt(size * (2 / size) ** 2); // = 1 for size 4
  const gp = (gradNorm - 1) ** 2;
  assert.ok(Math.abs(value(terms.wasserstein) - (-2 - 2)) < 1e-5);
  assert.ok(Math.abs(value(terms.gradientPenalty) - gp) < 1e-5);
  assert.ok(Math.abs(value(terms.total) - (-4 + 10 * gp)) < 1e-4);
  // Scaling the critic by 3 gives ‖∇‖ = 3 and a penalty of (3 − 1)² = 4.
  const steep = (x: tf.Tensor4D) => tf.tidy(() => criticValues(tf.mul(x, 6)));
  assert.ok(Math.abs(value(gradientPenalty(steep, real, fake, eps)) - 4) < 1e-4);
  assert.ok(Math.abs(value(generatorAdversarialLoss(critic, fake)) - 2) < 1e-6);
  tf.dispose([real, fake, eps]);
});

test('the gradient penalty is differentiated through its own gradient: weight gradients match finite differences', () => {
  // Slope 1 makes the LeakyReLUs linear: with kinks, ∇_x D (and so the penalty) jumps whenever a unit crosses
  // zero and finite differences say nothing. Convolutions and the per-sample norm stay non-linear in the weights.
  const config = resolveModelConfig({ criticChannels: [2, 3, 3, 2], channels: 1, leakySlope: 1 });
  const d = buildCritic(config);
  const seeded = d.getWeights().map((w, i) => tf.randomUniform(w.shape, -0.5, 0.5, 'float32', 100 + i));
  d.setWeights(seeded);
  tf.dispose(seeded);
  const critic = (x: tf.Tensor4D) => criticValues(d.apply(x) as tf.Tensor);
  const real = tf.randomUniform([2, 64, 64, 1], -1, 1, 'float32', 1) as tf.Tensor4D;
  const fake = tf.randomUniform([2, 64, 64, 1], -1, 1, 'float32', 2) as tf.Tensor4D;
  const eps = tf.tensor1d([0.25, 0.75]);
  const penalty = () => gradientPenalty(critic, real, fake, eps);
  const variables = d.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads, value: gp } = tf.variableGrads(penalty, variables);
  gp.dispose();
  let compared = 0;
  for (const name of ['d0_conv/kernel', 'd1_ln/gamma', 'd2_conv/kernel', 'd3_ln/gamma', 'd_out/kernel']) {
    const variable = d.trainableWeights.find((w) => w.originalName === name)!.read() as tf.Variable;
    const analytic = grads[variable.name]!.dataSync();
    const original = variable.dataSync().slice();
    for (const index of [0, original.length - 1]) {
      const h = 1e-2;
      const at = (delta: number): number => {
        const values = original.slice();
        values[index] = values[index]! + delta;
        variable.assign(tf.tensor(values, variable.shape));
        return value(penalty());
      };
      const numeric = (at(h) - at(-h)) / (2 * h);
      variable.assign(tf.tensor(original, variable.shape));
      const a = analytic[index]!;
      assert.ok(
        Math.abs(a - numeric) <= 0.03 * Math.max(Math.abs(numeric), Math.abs(a)) + 1e-3,
        `${name}[${index}]: analytic ${a}, finite differences ${numeric}`,
      );
      if (Math.abs(numeric) > 1e-2) compared += 1;
    }
  }
  // Most checked entries have a clearly nonzero gradient (the test cannot pass on all-zero gradients).
  assert.ok(compared >= 6, `only ${compared} entries had a nonzero gradient`);
  tf.dispose([real, fake, eps, ...Object.values(grads)]);
  d.dispose();
});
