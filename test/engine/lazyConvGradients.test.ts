// Training-mode convolutions without the fused op's eager gradients must give the same losses and gradients
// (first and second order) while skipping the gradients nobody asked for; inference must stay untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend.js';
import { tapKernels } from '../../bench/lib/kernelTap.js';
import { useLazyConvGradients } from '../../src/engine/lazyConvGradients.js';
import { buildMimicNetworks, type MimicNetworks } from '../../src/model/mimicModel.js';
import { initializeWeights } from '../../src/model/weights.js';
import { criticLoss, criticValues, generatorAdversarialLoss } from '../../src/train/losses.js';
import { TINY_MODEL_CONFIG } from '../helpers/tinyModel.js';
import { closeTo } from '../helpers/closeTo.js';

await initBackend({ backend: 'wasm' });
const config = TINY_MODEL_CONFIG;
const n = 3;
const size = config.imageSize;

function networks(lazy: boolean): MimicNetworks {
  const built = buildMimicNetworks(config);
  initializeWeights(built, 5);
  if (lazy) {
    assert.ok(useLazyConvGradients(built.generator) > 0);
    assert.equal(useLazyConvGradients(built.critic), config.criticChannels.length + 1);
  }
  return built;
}

const plain = networks(false);
const lazy = networks(true);
const images = () => tf.randomUniform([n, size, size, config.channels], -1, 1, 'float32', 3) as tf.Tensor4D;
const code = () => tf.randomUniform([n, config.landmarkCodeSize], -1, 1, 'float32', 4) as tf.Tensor2D;

const criticOf = (net: MimicNetworks) => (x: tf.Tensor4D) =>
  criticValues(net.critic.apply(x, { training: true }) as tf.Tensor);

/** Gradients of `loss` with respect to `model`'s trainable weights, by weight name. */
function gradientsByName(model: tf.LayersModel, loss: () => tf.Scalar): Record<string, Float32Array> {
  return tf.tidy(() => {
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(loss, vars);
    return Object.fromEntries(
      model.trainableWeights.map((w, i) => [
        w.originalName,
        grads[vars[i]!.name]!.dataSync() as Float32Array,
      ]),
    );
  });
}

/** Gradients of the critic's WGAN-GP loss: a second-order gradient through D. */
function criticGradients(net: MimicNetworks): Record<string, Float32Array> {
  return gradientsByName(net.critic, () => {
    const real = images();
    const fake = tf.mul(real, -0.5) as tf.Tensor4D;
    const epsilon = tf.tensor1d([0.2, 0.5, 0.9]);
    return criticLoss(criticOf(net), real, fake, epsilon, config.gradientPenaltyWeight).total;
  });
}

/** Gradients of the generator's adversarial loss through D with respect to G's weights only. */
function generatorGradients(net: MimicNetworks): Record<string, Float32Array> {
  return gradientsByName(net.generator, () => {
    const fake = net.generator.apply([images(), code()], { training: true }) as tf.Tensor4D;
    return generatorAdversarialLoss(criticOf(net), fake);
  });
}

/** How often each conv kernel ran inside fn (kernels that call other kernels count once, at the top). */
function convKernelCalls(fn: () => void): Record<string, number> {
  const names = ['Conv2D', 'FusedConv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput'];
  const counts: Record<string, number> = Object.fromEntries(names.map((k) => [k, 0]));
  const untap = tapKernels(
    'wasm',
    (call) => {
      if (!call.nested) counts[call.name]!++;
    },
    names,
  );
  try {
    fn();
  } finally {
    untap();
  }
  return counts;
}

test('critic WGAN-GP gradients (second order) are the same with lazy convolution gradients', () => {
  const expected = criticGradients(plain);
  const actual = criticGradients(lazy);
  assert.deepEqual(Object.keys(actual), Object.keys(expected));
  for (const name of Object.keys(expected)) closeTo(actual[name]!, expected[name]!, 1e-4);
});

test('generator gradients through D are the same with lazy convolution gradients', () => {
  const expected = generatorGradients(plain);
  const actual = generatorGradients(lazy);
  for (const name of Object.keys(expected)) closeTo(actual[name]!, expected[name]!, 1e-4);
});

test("lazy convolutions skip D's filter gradients in the generator step", () => {
  const calls = (net: MimicNetworks) => convKernelCalls(() => generatorGradients(net));
  const fused = calls(plain);
  const skipped = calls(lazy);
  // D's convs (criticChannels.length + the output conv) no longer compute a filter gradient nobody reads.
  assert.equal(
    fused.Conv2DBackpropFilter! - skipped.Conv2DBackpropFilter!,
    config.criticChannels.length + 1,
    JSON.stringify({ fused, skipped }),
  );
  assert.ok(skipped.Conv2DBackpropInput! < fused.Conv2DBackpropInput!, JSON.stringify({ fused, skipped }));
});

test('inference (training: false) is bit-identical and still runs the fused kernel', () => {
  const run = (net: MimicNetworks) =>
    tf.tidy(() => (net.critic.apply(images(), { training: false }) as tf.Tensor).dataSync() as Float32Array);
  const before = run(plain);
  let after: Float32Array = new Float32Array();
  const calls = convKernelCalls(() => (after = run(lazy)));
  assert.deepEqual(after, before);
  assert.equal(calls.FusedConv2D, config.criticChannels.length + 1);
});

test('lazy training steps keep the tensor count flat', () => {
  criticGradients(lazy);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    criticGradients(lazy);
    generatorGradients(lazy);
  }
  assert.equal(tf.memory().numTensors, before);
});
