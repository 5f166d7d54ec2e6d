// Weights stored as float16 (the shipped generator): the encoding is the nearest half that TF.js decodes, a model
// folder converted with storeNetworksAsFloat16 loads and generates what its float32 weights did within half-precision
// rounding at half the bytes, and a float16 weight that holds Infinity is caught like a float32 one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend.js';
import { float16Bits, toFloat16 } from '../../src/model/float16.js';
import { storeNetworksAsFloat16 } from '../../src/model/float16Folder.js';
import { generateFaces, loadInferenceModel } from '../../src/model/inference.js';
import { checksumOf } from '../../src/model/integrity.js';
import { disposeMimicModel, nodeModelFolder, saveMimicModel } from '../../src/model/io.js';
import { MimicError } from '../../src/util/errors.js';
import { tempDir } from '../helpers/paths.js';
import { tinyModel } from '../helpers/tinyModel.js';

await initBackend();

/** TF.js's own decoding of float16 bits (what the loader runs). */
function decodeWithTfjs(bits: Uint16Array): Float32Array {
  const [decoded] = Object.values(
    tf.io.decodeWeights(new Uint8Array(bits.buffer).slice().buffer, [
      { name: 'w', shape: [bits.length], dtype: 'float32', quantization: { dtype: 'float16' } },
    ]),
  );
  const values = decoded!.dataSync() as Float32Array;
  decoded!.dispose();
  return values;
}

test('float16Bits gives the nearest half, ties to even, as TF.js decodes it', () => {
  const exact = [0, 1, -2, 0.5, 65504, -65504, 2 ** -14, 2 ** -24, 3 * 2 ** -24, 1 + 2 ** -10];
  assert.deepEqual(Array.from(decodeWithTfjs(toFloat16(Float32Array.from(exact)))), exact);
  // Halfway between two halves: to the one with an even mantissa.
  assert.equal(float16Bits(1 + 2 ** -11), float16Bits(1));
  assert.equal(float16Bits(1 + 3 * 2 ** -11), float16Bits(1 + 2 ** -9));
  assert.equal(float16Bits(1e6), 0x7c00);
  assert.equal(float16Bits(-Infinity), 0xfc00);
  assert.ok((float16Bits(NaN) & 0x3ff) !== 0 && (float16Bits(NaN) & 0x7c00) === 0x7c00);
  // Random weights of every scale a network holds: each decodes to a half no farther than its neighbours.
  let seed = 3;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const values = Float32Array.from({ length: 20000 }, () => (next() - 0.5) * 10 ** (next() * 9 - 6));
  const bits = toFloat16(values);
  const decoded = decodeWithTfjs(bits);
  const below = decodeWithTfjs(bits.map((b) => (b & 0x7fff ? b - 1 : b)));
  const above = decodeWithTfjs(bits.map((b) => b + 1));
  for (let i = 0; i < values.length; i++) {
    const gap = Math.abs(decoded[i]! - values[i]!);
    assert.ok(
      gap <= Math.abs(below[i]! - values[i]!) && gap <= Math.abs(above[i]! - values[i]!),
      `${values[i]}`,
    );
  }
});

/** A tiny model (tinyModel(seed)) saved as a model folder in a temporary folder. */
async function savedTinyModel(seed: number): Promise<{ folder: string; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = await tempDir();
  const folder = join(dir, 'model');
  const model = tinyModel(seed);
  try {
    await saveMimicModel(folder, model);
  } finally {
    disposeMimicModel(model);
  }
  return { folder, cleanup };
}

test('a folder stored as float16 loads at half the bytes and generates what it did before', async () => {
  const { folder, cleanup } = await savedTinyModel(11);
  try {
    const weights = join(folder, 'generator', 'weights.bin');
    const bytesBefore = (await stat(weights)).size;
    let seed = 5;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    const crops = Float32Array.from({ length: 2 * 64 * 64 * 3 }, next);
    const landmarks = Float32Array.from({ length: 2 * 136 }, next);
    const generate = async (): Promise<Float32Array> => {
      const loaded = await loadInferenceModel(nodeModelFolder(folder));
      try {
        return await generateFaces(loaded, crops, landmarks, landmarks.slice().reverse(), 2);
      } finally {
        loaded.dispose();
      }
    };
    const before = await generate();
    assert.deepEqual(await storeNetworksAsFloat16(folder, ['generator']), ['generator']);
    assert.equal((await stat(weights)).size, bytesBefore / 2);
    // The manifest vouches for the new files, so the loader's checksum check passes.
    const manifest = JSON.parse(await readFile(join(folder, 'mimic-model.json'), 'utf8'));
    assert.equal(manifest.checksums['generator/weights.bin'], await checksumOf(await readFile(weights)));
    const after = await generate();
    let largest = 0;
    for (let i = 0; i < before.length; i++) largest = Math.max(largest, Math.abs(before[i]! - after[i]!));
    assert.ok(largest > 0 && largest < 0.01, `largest difference ${largest} (of 2)`);
    // Converting again changes nothing.
    assert.deepEqual(await storeNetworksAsFloat16(folder, ['generator']), []);
    assert.equal((await stat(weights)).size, bytesBefore / 2);
  } finally {
    await cleanup();
  }
});

test('a float16 weight holding Infinity is named as corrupt', async () => {
  const { folder, cleanup } = await savedTinyModel(12);
  try {
    await storeNetworksAsFloat16(folder, ['generator']);
    // Spoil one value and record the spoiled file's checksum: only the finite-values check can catch it then.
    const weights = join(folder, 'generator', 'weights.bin');
    const bits = new Uint16Array((await readFile(weights)).buffer.slice(0));
    bits[7] = 0x7c00;
    await writeFile(weights, bits);
    const manifestPath = join(folder, 'mimic-model.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    manifest.checksums['generator/weights.bin'] = await checksumOf(new Uint8Array(bits.buffer));
    await writeFile(manifestPath, JSON.stringify(manifest));
    await assert.rejects(
      loadInferenceModel(nodeModelFolder(folder)),
      (e: unknown) => e instanceof MimicError && /weights\.bin: weight ".*" holds Infinity/.test(e.message),
    );
  } finally {
    await cleanup();
  }
});
