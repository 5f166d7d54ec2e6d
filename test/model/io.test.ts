// The model folder: save → load gives the same generated images; broken folders fail with a message naming the
// file; generate() leaves no tensors behind; the shipped default fits the 20 MB weight budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend.js';
import { DEFAULT_ALIGNMENT } from '../../src/face/align.js';
import { DEFAULT_MODEL_CONFIG } from '../../src/model/config.js';
import { disposeMimicModel, loadMimicModel, saveMimicModel } from '../../src/model/io.js';
import { generateFaces } from '../../src/model/inference.js';
import { buildMimicNetworks, type MimicModel } from '../../src/model/mimicModel.js';
import { countWeights, initializeWeights, weightVariables } from '../../src/model/weights.js';
import { MimicError } from '../../src/util/errors.js';
import { tempDir } from '../helpers/paths.js';
import { TINY_MODEL_CONFIG as TINY, tinyModel } from '../helpers/tinyModel.js';

await initBackend();

function inputs(n: number): { crops: Float32Array; landmarks: Float32Array } {
  let s = 7;
  const next = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  return {
    crops: Float32Array.from({ length: n * 64 * 64 * 3 }, next),
    landmarks: Float32Array.from({ length: n * 136 }, next),
  };
}

test('save → load gives identical generated images, and generate leaves no tensors behind', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const model = tinyModel(3);
    const { crops, landmarks } = inputs(3);
    const before = tf.memory().numTensors;
    const original = await generateFaces(model, crops, landmarks, landmarks, 3);
    assert.equal(tf.memory().numTensors, before);
    assert.equal(original.length, 3 * 64 * 64 * 3);
    assert.ok(original.every((v) => v >= -1 && v <= 1));
    await saveMimicModel(join(dir, 'model'), model);
    const loaded = await loadMimicModel(join(dir, 'model'));
    assert.deepEqual(loaded.config, TINY);
    assert.deepEqual(loaded.labels, ['neutral', 'smile']);
    assert.deepEqual(await generateFaces(loaded, crops, landmarks, landmarks, 3), original);
    // The folder is the documented format.
    const manifest = JSON.parse(await readFile(join(dir, 'model', 'mimic-model.json'), 'utf8'));
    assert.equal(manifest.format, 'mimic-model');
    assert.equal(manifest.version, 1);
    const generatorJson = JSON.parse(await readFile(join(dir, 'model', 'generator', 'model.json'), 'utf8'));
    assert.deepEqual(generatorJson.weightsManifest[0].paths, ['weights.bin']);
    // Saving again (as the trainer does with every checkpoint) keeps files others put beside the model.
    await writeFile(join(dir, 'model', 'presets.json'), '{"kept":true}');
    await saveMimicModel(join(dir, 'model'), model);
    assert.equal(await readFile(join(dir, 'model', 'presets.json'), 'utf8'), '{"kept":true}');
    disposeMimicModel(model);
    disposeMimicModel(loaded);
  } finally {
    await cleanup();
  }
});

test('a missing or broken file fails with a MimicError that names it', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    let fresh2: MimicModel;
    const model = tinyModel(4);
    const folder = join(dir, 'model');
    await saveMimicModel(folder, model);
    disposeMimicModel(model);
    await assert.rejects(loadMimicModel(join(dir, 'nothing')), (e: unknown) => {
      return e instanceof MimicError && e.message.includes(join(dir, 'nothing', 'mimic-model.json'));
    });
    const weights = join(folder, 'generator', 'weights.bin');
    await truncate(weights, 100);
    await assert.rejects(
      loadMimicModel(folder),
      (e: unknown) => e instanceof MimicError && e.message.includes(weights),
    );
    const fresh = tinyModel(5);
    await saveMimicModel(folder, fresh);
    disposeMimicModel(fresh);
    await rm(join(folder, 'critic', 'model.json'));
    const critic = join(folder, 'critic', 'model.json');
    await assert.rejects(
      loadMimicModel(folder),
      (e: unknown) => e instanceof MimicError && e.message.includes(critic),
    );
    await saveMimicModel(folder, (fresh2 = tinyModel(6)));
    disposeMimicModel(fresh2);
    const json = join(folder, 'landmark-encoder', 'model.json');
    await writeFile(json, '{ not json');
    await assert.rejects(
      loadMimicModel(folder),
      (e: unknown) => e instanceof MimicError && e.message.includes(json),
    );
  } finally {
    await cleanup();
  }
});

test('the shipped default networks fit in 20 MB of float32 weights', () => {
  const networks = buildMimicNetworks(DEFAULT_MODEL_CONFIG);
  const bytes = countWeights(weightVariables(networks)) * 4;
  assert.ok(bytes < 20e6, `${(bytes / 1e6).toFixed(1)} MB`);
  for (const n of Object.values(networks)) n.dispose();
});

test('a gray model takes RGB crops and returns gray RGB images', async () => {
  const networks = buildMimicNetworks({ ...TINY, channels: 1 });
  initializeWeights(networks, 8);
  const model: MimicModel = {
    ...networks,
    config: { ...TINY, channels: 1 },
    alignment: DEFAULT_ALIGNMENT,
    labels: ['neutral', 'smile'],
    training: { steps: 0, data: 'none', fold: null, wallSeconds: 0 },
  };
  const { crops, landmarks } = inputs(2);
  const out = await generateFaces(model, crops, landmarks, landmarks, 2);
  assert.equal(out.length, 2 * 64 * 64 * 3);
  for (let i = 0; i < out.length; i += 3) assert.ok(out[i] === out[i + 1] && out[i] === out[i + 2]);
  disposeMimicModel(model);
});
