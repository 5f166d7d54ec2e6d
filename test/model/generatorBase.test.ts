// Generators that edit a base image (generatorBase "input" / "warped", src/model/maskedBlend.ts): the mask decides
// between the base and new colour, the warp-refine base is the input warped to the target landmarks, and both
// kinds survive save → load (their output layer is a custom class that must be registered when a folder loads).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { cacheImage, cacheLandmarks, readDataCache } from '../../src/data/cache.js';
import { initBackend } from '../../src/engine/backend.js';
import { imageToUnitRange } from '../../src/image/rgbImage.js';
import type { GeneratorBase } from '../../src/model/config.js';
import { disposeMimicModel, loadMimicModel, saveMimicModel } from '../../src/model/io.js';
import { generateFaces } from '../../src/model/inference.js';
import type { MimicModel } from '../../src/model/mimicModel.js';
import { warpCropsToTargets } from '../../src/model/warpedInput.js';
import { tempDir } from '../helpers/paths.js';
import { tinyModel } from '../helpers/tinyModel.js';

await initBackend();

const FIXTURE = new URL('../fixtures/eval/frl-mini', import.meta.url).pathname;
const cache = await readDataCache(FIXTURE);
const smileOf = (subjectIndex: number) =>
  cache.manifest.items.filter((i) => i.expression === 'smile')[subjectIndex]!.index;
const neutralOf = (subjectIndex: number) =>
  cache.manifest.items.filter((i) => i.expression === 'neutral')[subjectIndex]!.index;

/** Two real neutral crops with their own landmarks, and smile landmarks of the same people as targets. */
function realInputs() {
  const n = 2;
  const crops = new Float32Array(n * 64 * 64 * 3);
  const sources = new Float32Array(n * 136);
  const targets = new Float32Array(n * 136);
  for (let k = 0; k < n; k++) {
    crops.set(imageToUnitRange(cacheImage(cache, neutralOf(k))), k * 64 * 64 * 3);
    sources.set(cacheLandmarks(cache, neutralOf(k)), k * 136);
    targets.set(cacheLandmarks(cache, smileOf(k)), k * 136);
  }
  return { n, crops, sources, targets };
}

/** Sets the bias of the mask channel of G's last layer: −40 shuts the mask (base only), +40 opens it. */
function setMaskBias(model: MimicModel, value: number): void {
  const layer = model.generator.getLayer('gdec_out');
  const [kernel, bias] = layer.getWeights();
  const values = Float32Array.from(bias!.dataSync());
  values[values.length - 1] = value;
  const newBias = tf.tensor1d(values);
  layer.setWeights([kernel!, newBias]);
  newBias.dispose();
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

test('warp-refine G with its mask shut gives exactly the warp of the input to the target landmarks', async () => {
  const model = tinyModel(5, {}, { generatorBase: 'warped' });
  try {
    const { n, crops, sources, targets } = realInputs();
    setMaskBias(model, -40);
    const out = await generateFaces(model, crops, sources, targets, n);
    const warp = warpCropsToTargets(crops, sources, targets, n, 64);
    assert.ok(maxAbsDiff(out, warp) < 1e-5, `differs from the warp by ${maxAbsDiff(out, warp)}`);
    // The warp really moved the face (a smile target), so the check above is not "output = input".
    assert.ok(maxAbsDiff(warp, crops) > 0.3);
    // Its own landmarks as the target: the warp is the identity, the output the input photo (8-bit rounding).
    const same = await generateFaces(model, crops, sources, sources, n);
    assert.ok(
      maxAbsDiff(same, crops) < 1 / 127,
      `own landmarks changed the crop by ${maxAbsDiff(same, crops)}`,
    );
    // Mask open: new colour everywhere, no longer the warp.
    setMaskBias(model, 40);
    assert.ok(maxAbsDiff(await generateFaces(model, crops, sources, targets, n), warp) > 0.3);
  } finally {
    disposeMimicModel(model);
  }
});

test('an input-based G with its mask shut returns the input whatever the target landmarks', async () => {
  const model = tinyModel(6, {}, { generatorBase: 'input' });
  try {
    const { n, crops, sources, targets } = realInputs();
    setMaskBias(model, -40);
    const out = await generateFaces(model, crops, sources, targets, n);
    assert.ok(maxAbsDiff(out, crops) < 1e-5);
  } finally {
    disposeMimicModel(model);
  }
});

for (const base of ['input', 'warped'] as GeneratorBase[])
  test(`a "${base}" generator folder loads back and generates the same images`, async () => {
    const { dir, cleanup } = await tempDir();
    const model = tinyModel(7, {}, { generatorBase: base });
    try {
      const { n, crops, sources, targets } = realInputs();
      const before = tf.memory().numTensors;
      const original = await generateFaces(model, crops, sources, targets, n);
      assert.equal(tf.memory().numTensors, before, 'generate leaves no tensors behind');
      await saveMimicModel(join(dir, 'model'), model);
      const loaded = await loadMimicModel(join(dir, 'model'));
      assert.equal(loaded.config.generatorBase, base);
      assert.deepEqual(await generateFaces(loaded, crops, sources, targets, n), original);
      disposeMimicModel(loaded);
    } finally {
      disposeMimicModel(model);
      await cleanup();
    }
  });
