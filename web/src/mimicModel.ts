/**
 * The Mimic model in the page, loaded from the same folder the CLI uses (served under /model/):
 * mimic-model.json (config, alignment, labels), landmark-encoder/ and generator/ (tf.loadLayersModel folders) and
 * the optional presets.json. Only the two networks inference needs are fetched.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_ALIGNMENT, type AlignmentConfig } from '../../src/face/align.js';
import { LANDMARK_COUNT } from '../../src/face/landmarks.js';
import { imageToUnitRange, luma, unitRangeToImage, type RgbImage } from '../../src/image/rgbImage.js';
// Registers the generator's custom output layer (generatorBase "input"/"warped") before tf.loadLayersModel.
import '../../src/model/maskedBlend.js';
import { warpCropToTarget } from '../../src/model/warpedInput.js';
import { sameAlignment, validatePresets, type PresetsFile } from '../../src/transfer/presets.js';
import { urlOf, URLS } from './urls.js';

export interface ModelManifest {
  format: 'mimic-model';
  version: 1;
  config: { imageSize: number; channels: 1 | 3; landmarkCodeSize: number; generatorBase?: string };
  alignment: AlignmentConfig;
  labels?: string[];
}

export interface PageModel {
  manifest: ModelManifest;
  alignment: AlignmentConfig;
  presets: PresetsFile | undefined;
  /** A problem with presets.json that did not stop the model from loading (shown to the user). */
  presetsProblem: string | undefined;
  /**
   * Generated faces for one input crop (with its own landmarks) and several target landmark sets (136 normalized
   * coordinates each).
   */
  generate(crop: RgbImage, own: Float32Array, targets: Float32Array[]): Promise<RgbImage[]>;
}

/** Live TF.js tensors: the page shows it (data-tensors) so a test can check that editing does not leak. */
export function tensorCount(): number {
  return tf.memory().numTensors;
}

/** A failure the page reports as "the model failed to load", with the reason. */
export class ModelLoadError extends Error {}

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new ModelLoadError(`${new URL(url).pathname}: HTTP ${response.status}`);
  try {
    return await response.json();
  } catch {
    throw new ModelLoadError(`${new URL(url).pathname} is not valid JSON`);
  }
}

function checkManifest(value: unknown): ModelManifest {
  const m = value as Partial<ModelManifest> | null;
  if (typeof m !== 'object' || m === null || m.format !== 'mimic-model')
    throw new ModelLoadError('mimic-model.json is not a Mimic model manifest');
  if (m.version !== 1) throw new ModelLoadError(`model format version ${String(m.version)} is not supported`);
  if (typeof m.config !== 'object' || m.config === null)
    throw new ModelLoadError('mimic-model.json has no config');
  return m as ModelManifest;
}

async function loadPresets(
  folder: string,
  alignment: AlignmentConfig,
): Promise<{ presets?: PresetsFile; problem?: string }> {
  const response = await fetch(folder + 'presets.json');
  if (response.status === 404) return {};
  try {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const presets = validatePresets(await response.json(), 'presets.json');
    // The CLI refuses such presets too (src/transfer/load.ts): their means live in other crop coordinates.
    if (!sameAlignment(presets.alignment, alignment))
      throw new Error("measured with another alignment than the model's");
    return { presets };
  } catch (error) {
    return { problem: `presets.json was ignored: ${(error as Error).message}` };
  }
}

/** Gray models see luma. */
function toModelChannels(values: Float32Array, channels: 1 | 3): Float32Array {
  if (channels === 3) return values;
  const n = values.length / 3;
  const gray = new Float32Array(n);
  for (let i = 0; i < n; i++) gray[i] = luma(values[3 * i]!, values[3 * i + 1]!, values[3 * i + 2]!);
  return gray;
}

function fromModelChannels(values: Float32Array, channels: 1 | 3): Float32Array {
  if (channels === 3) return values;
  const out = new Float32Array(values.length * 3);
  for (let i = 0; i < values.length; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = values[i]!;
  return out;
}

/** How many faces one generator call makes: bounds the memory a long animation takes. */
const BATCH = 8;

export async function loadModel(): Promise<PageModel> {
  const folder = urlOf(URLS.modelFolder);
  const manifest = checkManifest(await fetchJson(folder + 'mimic-model.json'));
  let encoder: tf.LayersModel;
  let generator: tf.LayersModel;
  try {
    [encoder, generator] = await Promise.all([
      tf.loadLayersModel(folder + 'landmark-encoder/model.json'),
      tf.loadLayersModel(folder + 'generator/model.json'),
    ]);
  } catch (error) {
    throw new ModelLoadError(`cannot load the networks: ${(error as Error).message}`);
  }
  const size = manifest.config.imageSize;
  const channels = manifest.config.channels;
  const alignment = manifest.alignment ?? DEFAULT_ALIGNMENT;
  const { presets, problem } = await loadPresets(folder, alignment);
  if (alignment.size !== size)
    throw new ModelLoadError(
      `the model's alignment size ${alignment.size} differs from its image size ${size}`,
    );

  // A warp-refine generator (src/model/config.ts) also takes the crop warped to each target.
  const warpRefine = manifest.config.generatorBase === 'warped';

  async function generate(crop: RgbImage, own: Float32Array, targets: Float32Array[]): Promise<RgbImage[]> {
    const pixels = toModelChannels(imageToUnitRange(crop), channels);
    const per = size * size * channels;
    const faces: RgbImage[] = [];
    for (let start = 0; start < targets.length; start += BATCH) {
      const chunk = targets.slice(start, start + BATCH);
      const output = tf.tidy(() => {
        const image = tf.tensor4d(pixels, [1, size, size, channels]).tile([chunk.length, 1, 1, 1]);
        const flat = new Float32Array(chunk.length * LANDMARK_COUNT * 2);
        chunk.forEach((t, i) => flat.set(t, i * LANDMARK_COUNT * 2));
        const code = encoder.predict(tf.tensor2d(flat, [chunk.length, LANDMARK_COUNT * 2])) as tf.Tensor;
        if (!warpRefine) return generator.predict([image, code]) as tf.Tensor;
        const warped = new Float32Array(chunk.length * per);
        chunk.forEach((t, i) =>
          warped.set(toModelChannels(imageToUnitRange(warpCropToTarget(crop, own, t)), channels), i * per),
        );
        const warpedImages = tf.tensor4d(warped, [chunk.length, size, size, channels]);
        return generator.predict([image, warpedImages, code]) as tf.Tensor;
      });
      const values = (await output.data()) as Float32Array;
      output.dispose();
      for (let i = 0; i < chunk.length; i++)
        faces.push(
          unitRangeToImage(fromModelChannels(values.subarray(i * per, (i + 1) * per), channels), size, size),
        );
    }
    return faces;
  }

  return { manifest, alignment, presets, presetsProblem: problem, generate };
}
