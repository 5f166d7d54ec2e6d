/**
 * The Mimic model folder (others read it: the CLI, eval, the web editor over HTTP):
 *
 *   <dir>/mimic-model.json     { format: "mimic-model", version: 1, config, alignment, labels, training }
 *   <dir>/landmark-encoder/    model.json + weights.bin (TF.js layers format)
 *   <dir>/landmark-decoder/    …
 *   <dir>/generator/           …
 *   <dir>/critic/              … (uses the custom layer class MimicSampleNorm; inference never needs it)
 *
 * Inference needs only the landmark encoder and the generator, which are built from stock layers, so a browser
 * loads them with plain `tf.loadLayersModel(url + '/generator/model.json')`.
 */
import * as tf from '@tensorflow/tfjs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LUMA_WEIGHTS } from '../image/rgbImage.js';
import { writeDirAtomic } from '../util/atomic.js';
import { MimicError } from '../util/errors.js';
import { LANDMARK_COUNT } from '../face/landmarks.js';
import { resolveModelConfig, type PartialModelConfig } from './config.js';
import { loadLayersFolder, saveLayersFolder } from './layersFolder.js';
import { generatorInputs } from './networks.js';
import { warpCropsToTargets } from './warpedInput.js';
import { type MimicModel, NETWORK_FOLDERS, NETWORK_KEYS } from './mimicModel.js';

export const MODEL_MANIFEST = 'mimic-model.json';
export const MODEL_FORMAT = 'mimic-model';
export const MODEL_VERSION = 1;

export interface MimicModelManifest {
  format: typeof MODEL_FORMAT;
  version: number;
  config: MimicModel['config'];
  alignment: MimicModel['alignment'];
  labels: string[];
  training: MimicModel['training'];
}

const OWN_ENTRIES = new Set<string>([MODEL_MANIFEST, ...Object.values(NETWORK_FOLDERS)]);

/**
 * Files others keep beside a model (e.g. expression presets, presets.json) survive a re-export: the trainer
 * re-exports `<run>/model/` with every checkpoint, and replacing the folder would otherwise delete them.
 */
async function carryOverExtraFiles(dir: string, tmp: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return; // no previous folder
  }
  for (const entry of entries)
    if (!OWN_ENTRIES.has(entry) && !entry.startsWith('.'))
      await cp(join(dir, entry), join(tmp, entry), { recursive: true });
}

/** Writes the whole folder atomically: a reader never sees a half-written model. */
export async function saveMimicModel(dir: string, model: MimicModel): Promise<void> {
  await writeDirAtomic(dir, async (tmp) => {
    await carryOverExtraFiles(dir, tmp);
    for (const key of NETWORK_KEYS) {
      const sub = join(tmp, NETWORK_FOLDERS[key]);
      await mkdir(sub, { recursive: true });
      await saveLayersFolder(model[key], sub);
    }
    const manifest: MimicModelManifest = {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      config: model.config,
      alignment: model.alignment,
      labels: model.labels,
      training: model.training,
    };
    // Manifest last, as in the data cache: its presence means the networks were written.
    await writeFile(join(tmp, MODEL_MANIFEST), JSON.stringify(manifest, null, 1) + '\n');
  });
}

export async function readModelManifest(dir: string): Promise<MimicModelManifest> {
  const path = join(dir, MODEL_MANIFEST);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MimicError(
      code === 'ENOENT'
        ? `${path}: missing (${dir} is not a Mimic model folder)`
        : `${path}: unreadable (${code})`,
      3,
    );
  }
  let manifest: MimicModelManifest;
  try {
    manifest = JSON.parse(text) as MimicModelManifest;
  } catch (error) {
    throw new MimicError(`${path}: not valid JSON (${(error as Error).message})`, 3);
  }
  if (manifest.format !== MODEL_FORMAT) throw new MimicError(`${path}: not a Mimic model manifest`, 3);
  if (manifest.version !== MODEL_VERSION)
    throw new MimicError(
      `${path}: model format version ${manifest.version}, this Mimic reads ${MODEL_VERSION}`,
      3,
    );
  return manifest;
}

export async function loadMimicModel(dir: string): Promise<MimicModel> {
  const manifest = await readModelManifest(dir);
  const config = resolveModelConfig(manifest.config as PartialModelConfig);
  const loaded: Partial<Record<(typeof NETWORK_KEYS)[number], tf.LayersModel>> = {};
  try {
    for (const key of NETWORK_KEYS) loaded[key] = await loadLayersFolder(join(dir, NETWORK_FOLDERS[key]));
  } catch (error) {
    for (const model of Object.values(loaded)) model.dispose();
    throw error;
  }
  return {
    config,
    alignment: manifest.alignment,
    labels: manifest.labels,
    training: manifest.training,
    landmarkEncoder: loaded.landmarkEncoder!,
    landmarkDecoder: loaded.landmarkDecoder!,
    generator: loaded.generator!,
    critic: loaded.critic!,
  };
}

export function disposeMimicModel(model: MimicModel): void {
  for (const key of NETWORK_KEYS) model[key].dispose();
}

/** Images per generator call: bounds memory for long inputs (the output does not depend on it). */
const GENERATE_CHUNK = 64;

/**
 * Runs L's encoder and G in inference mode (BatchNorm with its moving statistics).
 * crops: n×64×64×3 RGB in [-1, 1]; sources: n×136 normalized landmarks of each crop (only a warp-refine G reads
 * them); landmarks: n×136 normalized target landmarks. Returns n×64×64×3 in [-1, 1] (a gray model's output is
 * repeated over the three channels). Leaves no tensors behind.
 */
export function generate(
  model: MimicModel,
  crops: Float32Array,
  sources: Float32Array,
  landmarks: Float32Array,
  n: number,
): Float32Array {
  const s = model.config.imageSize;
  const pixels = s * s;
  if (crops.length !== n * pixels * 3)
    throw new MimicError(`generate: expected ${n}×${s}×${s}×3 crop values, got ${crops.length}`);
  if (landmarks.length !== n * LANDMARK_COUNT * 2)
    throw new MimicError(
      `generate: expected ${n}×${LANDMARK_COUNT * 2} landmark values, got ${landmarks.length}`,
    );
  if (sources.length !== landmarks.length)
    throw new MimicError(
      `generate: expected as many source as target landmark values, got ${sources.length}`,
    );
  const warpedCrops =
    model.config.generatorBase === 'warped' ? warpCropsToTargets(crops, sources, landmarks, n, s) : undefined;
  const out = new Float32Array(n * pixels * 3);
  for (let start = 0; start < n; start += GENERATE_CHUNK) {
    const count = Math.min(GENERATE_CHUNK, n - start);
    const result = tf.tidy(() => {
      const toTensor = (values: Float32Array): tf.Tensor4D => {
        const rgb = tf.tensor4d(values.subarray(start * pixels * 3, (start + count) * pixels * 3), [
          count,
          s,
          s,
          3,
        ]);
        return model.config.channels === 1
          ? (tf.sum(tf.mul(rgb, tf.tensor1d([...LUMA_WEIGHTS])), 3, true) as tf.Tensor4D)
          : rgb;
      };
      const images = toTensor(crops);
      const warped = warpedCrops === undefined ? undefined : toTensor(warpedCrops);
      const points = tf.tensor2d(landmarks.subarray(start * 136, (start + count) * 136), [
        count,
        LANDMARK_COUNT * 2,
      ]);
      const code = model.landmarkEncoder.predict(points) as tf.Tensor;
      let generated = model.generator.predict(
        generatorInputs(model.config, images, warped, code),
      ) as tf.Tensor4D;
      if (model.config.channels === 1) generated = tf.tile(generated, [1, 1, 1, 3]);
      return generated;
    });
    out.set(result.dataSync(), start * pixels * 3);
    result.dispose();
  }
  return out;
}
