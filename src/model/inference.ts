/**
 * Inference with a Mimic model, the same code for the CLI, the library, the evaluation and the web page: load a
 * model folder (any ModelFolder: files on disk or over HTTP), check it, and generate faces in batches. Platform
 * neutral on purpose: no file system or image decoding here, only TF.js.
 *
 * Inference needs only the landmark encoder and the generator (the decoder and critic serve training), so only
 * those two networks are loaded.
 */
import tf from '../engine/tfjs.cjs';
import type { AlignmentConfig } from '../face/align.js';
import { LANDMARK_VALUES } from '../face/landmarks.js';
import { LUMA_WEIGHTS } from '../image/rgbImage.js';
import { MimicError } from '../util/errors.js';
import { compileInference, type CompiledInference } from './fastGenerator.js';
import { checkFiniteWeights, verifyChecksum } from './integrity.js';
import type { MimicModelConfig } from './config.js';
import { readModelManifest, type MimicModelManifest } from './manifest.js';
import { NETWORK_FOLDERS, type TrainingInfo } from './mimicModel.js';
import { parseJsonFile, readModelFile, type ModelFolder } from './modelFolder.js';
// networks.ts registers the custom layers (MaskedBlend, SampleNorm) that tf.loadLayersModel must know.
import { generatorInputs } from './networks.js';
import { warpCropsToTargets } from './warpedInput.js';

/**
 * What transfer and animation need from a trained model: its alignment (crops must be made exactly as in training),
 * and a generate function. Kept as an interface so the pipeline runs on any generator with this shape (a loaded
 * model folder, a model being trained, or a test's tiny network).
 */
export interface ExpressionModel {
  /** The alignment the model was trained with; its `size` is the crop side. */
  alignment: AlignmentConfig;
  /** Expression labels of the training data. */
  labels: string[];
  /**
   * N crops (N × size × size × 3 in [-1, 1]), each crop's own landmarks and N target landmark sets (N × 136 in
   * [-1, 1] each) → N generated crops (same layout as the input crops).
   */
  generate(
    crops: Float32Array,
    sources: Float32Array,
    targets: Float32Array,
    n: number,
  ): Float32Array | Promise<Float32Array>;
  /** Frees the model's tensors (weights), when it owns any; the model cannot generate afterwards. */
  dispose?(): void;
}

/** What generating needs of a model: its config and two of its networks (a MimicModel has them). */
export interface InferenceNetworks {
  config: MimicModelConfig;
  landmarkEncoder: tf.LayersModel;
  generator: tf.LayersModel;
  /**
   * The two networks compiled for inference (fastGenerator.ts): used instead of their `predict` when present. Only a
   * model loaded for inference has it (its weights no longer change); a model being trained keeps `predict`.
   */
  compiled?: CompiledInference;
}

/** A model folder loaded for inference. */
export interface InferenceModel extends ExpressionModel, InferenceNetworks {
  manifest: MimicModelManifest;
  training: TrainingInfo;
  generate(
    crops: Float32Array,
    sources: Float32Array,
    targets: Float32Array,
    n: number,
  ): Promise<Float32Array>;
  /** Why the networks could not be compiled (fastGenerator.ts) and generate uses `predict`; undefined when compiled. */
  notCompiled?: string;
  /** Frees the networks' weights. */
  dispose(): void;
}

/** Faces per generator call by default: bounds the memory a long animation takes (the output does not depend on it). */
export const GENERATE_BATCH = 16;

/** ExpressionModel['generate'] as a plain function. */
export type GenerateFn = ExpressionModel['generate'];

/** Runs `generate` over `n` inputs, `batch` at a time (any ExpressionModel: a loaded one, a test's, a bench's). */
export async function generateInBatches(
  generate: GenerateFn,
  crops: Float32Array,
  sources: Float32Array,
  targets: Float32Array,
  n: number,
  batch = GENERATE_BATCH,
): Promise<Float32Array> {
  const values = crops.length / n;
  const out = new Float32Array(crops.length);
  for (let start = 0; start < n; start += batch) {
    const count = Math.min(batch, n - start);
    const result = await generate(
      crops.subarray(start * values, (start + count) * values),
      sources.subarray(start * LANDMARK_VALUES, (start + count) * LANDMARK_VALUES),
      targets.subarray(start * LANDMARK_VALUES, (start + count) * LANDMARK_VALUES),
      count,
    );
    out.set(result, start * values);
  }
  return out;
}

/**
 * Runs L's encoder and G in inference mode (BatchNorm with its moving statistics), `batch` faces per call.
 * crops: n×size×size×3 RGB in [-1, 1]; sources: n×136 normalized landmarks of each crop (only a warp-refine G reads
 * them, to make its warped input); targets: n×136 normalized target landmarks. Returns n×size×size×3 in [-1, 1]
 * (a gray model's output repeated over the three channels). Leaves no tensors behind.
 */
export async function generateFaces(
  model: InferenceNetworks,
  crops: Float32Array,
  sources: Float32Array,
  targets: Float32Array,
  n: number,
  batch = GENERATE_BATCH,
): Promise<Float32Array> {
  const s = model.config.imageSize;
  if (crops.length !== n * s * s * 3)
    throw new MimicError(`generate: expected ${n}×${s}×${s}×3 crop values, got ${crops.length}`);
  if (targets.length !== n * LANDMARK_VALUES)
    throw new MimicError(`generate: expected ${n}×${LANDMARK_VALUES} landmark values, got ${targets.length}`);
  if (sources.length !== targets.length)
    throw new MimicError(
      `generate: expected as many source as target landmark values, got ${sources.length}`,
    );
  return generateInBatches(
    (c, o, t, count) => generateBatch(model, c, o, t, count),
    crops,
    sources,
    targets,
    n,
    batch,
  );
}

/** One generator call for n faces (inputs as generateFaces, checked there). */
async function generateBatch(
  model: InferenceNetworks,
  crops: Float32Array,
  sources: Float32Array,
  targets: Float32Array,
  n: number,
): Promise<Float32Array> {
  const { config } = model;
  const s = config.imageSize;
  // A warp-refine generator also sees the crop warped to the target landmarks, made as in training.
  const warpedCrops =
    config.generatorBase === 'warped' ? warpCropsToTargets(crops, sources, targets, n, s) : undefined;
  const result = tf.tidy(() => {
    const toTensor = (values: Float32Array): tf.Tensor4D => {
      const rgb = tf.tensor4d(values, [n, s, s, 3]);
      // A gray model sees luma.
      return config.channels === 1
        ? (tf.sum(tf.mul(rgb, tf.tensor1d([...LUMA_WEIGHTS])), 3, true) as tf.Tensor4D)
        : rgb;
    };
    const images = toTensor(crops);
    const warped = warpedCrops === undefined ? undefined : toTensor(warpedCrops);
    const targetTensor = tf.tensor2d(targets, [n, LANDMARK_VALUES]);
    let generated: tf.Tensor4D;
    if (model.compiled !== undefined) generated = model.compiled.generate(images, warped, targetTensor);
    else {
      const code = model.landmarkEncoder.predict(targetTensor) as tf.Tensor;
      generated = model.generator.predict(generatorInputs(config, images, warped, code)) as tf.Tensor4D;
    }
    return config.channels === 1 ? tf.tile(generated, [1, 1, 1, 3]) : generated;
  });
  try {
    // data(), not dataSync(): in the page the backend may be WebGL, where a synchronous read stalls the page.
    return (await result.data()) as Float32Array;
  } finally {
    result.dispose();
  }
}

/** model.json of a TF.js layers folder: the topology and the weight files with their layout. */
export interface LayersModelJson {
  modelTopology?: object;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

export const LAYERS_MODEL_JSON = 'model.json';
/** The one weight file Mimic's writer puts beside model.json (layersFolder.ts); a folder from elsewhere may have more. */
export const WEIGHTS_FILE = 'weights.bin';

/** The files of the network folder `sub` as Mimic writes it ("generator/model.json", "generator/weights.bin"). */
export function networkFolderFiles(sub: string): string[] {
  return [LAYERS_MODEL_JSON, WEIGHTS_FILE].map((file) => `${sub}/${file}`);
}

const bytesPerValue = (dtype: string): number =>
  dtype === 'float16' ? 2 : dtype === 'bool' || dtype === 'uint8' ? 1 : 4;

/**
 * Loads the TF.js layers model in `sub`/ (model.json + its weight files, the layout `tf.loadLayersModel` reads);
 * a missing, truncated or corrupt file is a MimicError naming it.
 */
export async function loadNetwork(
  folder: ModelFolder,
  sub: string,
  checksums: Readonly<Record<string, string>> = {},
): Promise<tf.LayersModel> {
  // Every file is checked against the manifest's checksum when it has one (integrity.ts).
  const readChecked = async (path: string): Promise<Uint8Array> => {
    const bytes = await readModelFile(folder, path);
    await verifyChecksum(
      folder.where(path),
      bytes,
      Object.hasOwn(checksums, path) ? checksums[path] : undefined,
    );
    return bytes;
  };
  const jsonPath = `${sub}/${LAYERS_MODEL_JSON}`;
  const json = parseJsonFile(await readChecked(jsonPath), folder.where(jsonPath)) as LayersModelJson;
  if (typeof json?.modelTopology !== 'object' || !Array.isArray(json.weightsManifest))
    throw new MimicError(
      `${folder.where(jsonPath)}: not a TF.js layers model (no modelTopology or weightsManifest)`,
      3,
    );
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    for (const name of group.paths) parts.push(await readChecked(`${sub}/${name}`));
    weightSpecs.push(...group.weights);
  }
  const weightData = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  parts.reduce((offset, p) => (weightData.set(p, offset), offset + p.length), 0);
  const expected = weightSpecs.reduce(
    (sum, spec) =>
      sum + spec.shape.reduce((a, b) => a * b, 1) * bytesPerValue(spec.quantization?.dtype ?? spec.dtype),
    0,
  );
  if (weightData.length !== expected) {
    const first = json.weightsManifest[0]?.paths[0];
    throw new MimicError(
      `${folder.where(first === undefined ? sub : `${sub}/${first}`)}: ${weightData.length} bytes of weights, expected ${expected} (truncated or corrupt)`,
      3,
    );
  }
  const first = json.weightsManifest[0]?.paths[0];
  checkFiniteWeights(folder.where(first === undefined ? sub : `${sub}/${first}`), weightData, weightSpecs);
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData: weightData.buffer }),
    );
  } catch (error) {
    throw new MimicError(
      `${folder.where(jsonPath)}: cannot build the model (${(error as Error).message.split('\n')[0]})`,
      3,
    );
  }
}

export interface InferenceOptions {
  /** The folder's manifest when the caller has read it already (read from the folder otherwise). */
  manifest?: MimicModelManifest;
  /** Faces per generator call (default GENERATE_BATCH). */
  batch?: number;
  /** false: generate with the layers models' `predict` instead of the compiled networks (for comparisons). */
  compile?: boolean;
}

/** Loads a model folder for inference: its manifest (checked), the landmark encoder and the generator. */
export async function loadInferenceModel(
  folder: ModelFolder,
  options: InferenceOptions = {},
): Promise<InferenceModel> {
  const manifest = options.manifest ?? (await readModelManifest(folder));
  const checksums = manifest.checksums ?? {};
  const landmarkEncoder = await loadNetwork(folder, NETWORK_FOLDERS.landmarkEncoder, checksums);
  let generator: tf.LayersModel;
  try {
    generator = await loadNetwork(folder, NETWORK_FOLDERS.generator, checksums);
  } catch (error) {
    landmarkEncoder.dispose();
    throw error;
  }
  let compilation: Awaited<ReturnType<typeof compileInference>>;
  try {
    compilation =
      options.compile === false
        ? { reason: 'compile: false' }
        : await compileInference(manifest.config, landmarkEncoder, generator);
  } catch (error) {
    landmarkEncoder.dispose();
    generator.dispose();
    throw error;
  }
  const compiled = 'compiled' in compilation ? compilation.compiled : undefined;
  const model: InferenceModel = {
    manifest,
    config: manifest.config,
    alignment: manifest.alignment,
    labels: manifest.labels,
    training: manifest.training,
    landmarkEncoder,
    generator,
    ...('compiled' in compilation ? { compiled } : { notCompiled: compilation.reason }),
    generate: (crops, sources, targets, n) =>
      generateFaces(model, crops, sources, targets, n, options.batch ?? GENERATE_BATCH),
    dispose() {
      compiled?.dispose();
      landmarkEncoder.dispose();
      generator.dispose();
    },
  };
  return model;
}
