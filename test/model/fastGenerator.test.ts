// The compiled inference networks (src/model/fastGenerator.ts: BatchNorm folded into the layers, transposed
// convolutions as sub-pixel convolutions) give what the layers models' predict gives, on the shipped model and on
// other configurations, leave no tensors behind, and fall back to predict for a layout they do not know.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend.js';
import { DEFAULT_MODEL_DIR } from '../../src/index.js';
import { DEFAULT_MODEL_CONFIG, PAPER_MODEL_CONFIG, type MimicModelConfig } from '../../src/model/config.js';
import { compileInference } from '../../src/model/fastGenerator.js';
import { loadInferenceModel, type InferenceNetworks } from '../../src/model/inference.js';
import { nodeModelFolder } from '../../src/model/io.js';
import { MODEL_MANIFEST } from '../../src/model/manifest.js';
import { buildGenerator, buildLandmarkEncoder, generatorInputs } from '../../src/model/networks.js';

await initBackend();

const TOLERANCE = 1e-4;

/** Seeded values in [lo, hi). */
function seeded(length: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from(
    { length },
    () => lo + ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * (hi - lo),
  );
}

/** Inputs for n faces: images and warped images in [-1, 1], targets like normalized landmarks. */
function inputs(config: MimicModelConfig, n: number, seed: number) {
  const s = config.imageSize;
  return {
    images: tf.tensor4d(seeded(n * s * s * config.channels, seed), [n, s, s, config.channels]),
    warped: tf.tensor4d(seeded(n * s * s * config.channels, seed + 1), [n, s, s, config.channels]),
    targets: tf.tensor2d(seeded(n * 136, seed + 2, -0.6, 0.6), [n, 136]),
  };
}

/** The reference: the two layers models' predict, as inference.ts ran them before the compiled path. */
function predicted(networks: InferenceNetworks, x: ReturnType<typeof inputs>): tf.Tensor {
  return tf.tidy(() => {
    const code = networks.landmarkEncoder.predict(x.targets) as tf.Tensor;
    const warped = networks.config.generatorBase === 'warped' ? x.warped : undefined;
    return networks.generator.predict(generatorInputs(networks.config, x.images, warped, code)) as tf.Tensor;
  });
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/**
 * Random weights everywhere, BatchNorm statistics and affine included (a fold that ignored gamma, beta, the moving
 * mean or variance would change the output), scaled so activations stay of order one through the layers.
 */
function randomize(model: tf.LayersModel, seed: number): void {
  let k = seed;
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    if (weights.length === 0) continue;
    const isBn = layer.getClassName() === 'BatchNormalization';
    const fresh = weights.map((w, i) => {
      const n = w.size;
      if (isBn) {
        // gamma, beta, moving mean, moving variance
        const [lo, hi] = [
          [0.5, 1.5],
          [-0.3, 0.3],
          [-0.3, 0.3],
          [0.3, 2],
        ][i]!;
        return tf.tensor(seeded(n, ++k, lo, hi), w.shape);
      }
      const fanIn = n / w.shape[w.shape.length - 1]!;
      const bound = i === 0 ? Math.sqrt(3 / fanIn) : 0.2;
      return tf.tensor(seeded(n, ++k, -bound, bound), w.shape);
    });
    layer.setWeights(fresh);
    tf.dispose(fresh);
  }
}

async function checkConfig(config: MimicModelConfig, seed: number, n = 3): Promise<void> {
  const networks: InferenceNetworks = {
    config,
    landmarkEncoder: buildLandmarkEncoder(config),
    generator: buildGenerator(config),
  };
  randomize(networks.landmarkEncoder, seed);
  randomize(networks.generator, seed + 100);
  const compilation = await compileInference(config, networks.landmarkEncoder, networks.generator);
  assert.ok('compiled' in compilation, 'reason' in compilation ? compilation.reason : '');
  const x = inputs(config, n, seed);
  try {
    const reference = predicted(networks, x);
    const fast = tf.tidy(() =>
      compilation.compiled.generate(
        x.images,
        config.generatorBase === 'warped' ? x.warped : undefined,
        x.targets,
      ),
    );
    const spread = tf.tidy(() => tf.moments(reference).variance.dataSync()[0]!);
    // The output must vary, or equality would say little.
    assert.ok(spread > 1e-3, `output variance ${spread}`);
    const diff = maxAbsDiff(fast, reference);
    assert.ok(diff < TOLERANCE, `max |compiled − predict| = ${diff}`);
    tf.dispose([reference, fast]);
  } finally {
    tf.dispose(x);
    compilation.compiled.dispose();
    networks.landmarkEncoder.dispose();
    networks.generator.dispose();
  }
}

test('compiled = predict: default networks with each generator base and skips at other stages', async () => {
  await checkConfig({ ...DEFAULT_MODEL_CONFIG, generatorBase: 'none' }, 1);
  await checkConfig({ ...DEFAULT_MODEL_CONFIG, generatorBase: 'input', generatorSkips: [1] }, 2);
  await checkConfig({ ...DEFAULT_MODEL_CONFIG, generatorBase: 'warped', generatorSkips: [0, 2] }, 3);
  await checkConfig({ ...DEFAULT_MODEL_CONFIG, generatorBase: 'warped', generatorSkips: [], channels: 1 }, 4);
});

test('compiled = predict: the paper-sized networks', async () => {
  await checkConfig(PAPER_MODEL_CONFIG, 5, 2);
});

test('a generator not laid out as the config says is not compiled: the reason is given, nothing is kept', async () => {
  const config = DEFAULT_MODEL_CONFIG;
  const encoder = buildLandmarkEncoder(config);
  const generator = buildGenerator({ ...config, generatorSkips: [] });
  const before = tf.memory().numTensors;
  const compilation = await compileInference(config, encoder, generator);
  assert.ok('reason' in compilation);
  assert.match(compilation.reason, /gskip0/);
  assert.equal(tf.memory().numTensors, before);
  encoder.dispose();
  generator.dispose();
});

const MODEL = process.env.MIMIC_TEST_MODEL ?? DEFAULT_MODEL_DIR;
const skip = existsSync(join(MODEL, MODEL_MANIFEST)) ? false : `no model at ${MODEL}`;

test(
  'the shipped model loads compiled; its compiled output equals predict and leaks nothing',
  { skip },
  async () => {
    const model = await loadInferenceModel(nodeModelFolder(MODEL));
    try {
      assert.equal(model.notCompiled, undefined);
      assert.ok(model.compiled !== undefined);
      for (const n of [1, 5]) {
        const x = inputs(model.config, n, 10 + n);
        const reference = predicted(model, x);
        const fast = tf.tidy(() =>
          model.compiled!.generate(
            x.images,
            model.config.generatorBase === 'warped' ? x.warped : undefined,
            x.targets,
          ),
        );
        const diff = maxAbsDiff(fast, reference);
        assert.ok(diff < TOLERANCE, `batch ${n}: max |compiled − predict| = ${diff}`);
        tf.dispose([reference, fast, x]);
      }
      // Through generate (inference.ts): the same as with compile: false, and the tensor count stays flat.
      const n = 2;
      const s = model.config.imageSize;
      const crops = seeded(n * s * s * 3, 21);
      const landmarks = seeded(n * 136, 22, -0.6, 0.6);
      const targets = seeded(n * 136, 23, -0.6, 0.6);
      await model.generate(crops, landmarks, targets, n);
      const before = tf.memory().numTensors;
      let out: Float32Array = new Float32Array(0);
      for (let i = 0; i < 5; i++) out = await model.generate(crops, landmarks, targets, n);
      assert.equal(tf.memory().numTensors, before);
      const plain = await loadInferenceModel(nodeModelFolder(MODEL), { compile: false });
      try {
        assert.equal(plain.compiled, undefined);
        const reference = await plain.generate(crops, landmarks, targets, n);
        const diff = out.reduce((m, v, i) => Math.max(m, Math.abs(v - reference[i]!)), 0);
        assert.ok(diff < TOLERANCE, `generate: max difference ${diff}`);
      } finally {
        plain.dispose();
      }
    } finally {
      const before = tf.memory().numTensors;
      model.dispose();
      // The compiled weights go with the model, not only the layers' weights.
      assert.ok(tf.memory().numTensors < before);
    }
  },
);

test('disposing a loaded model frees its compiled weights too', { skip }, async () => {
  const before = tf.memory().numTensors;
  const model = await loadInferenceModel(nodeModelFolder(MODEL));
  assert.ok(model.compiled !== undefined);
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});
