/**
 * A TF.js layers model in a folder of the standard layout (model.json + weights.bin), read and written with the
 * Node file system. Plain @tensorflow/tfjs has no file:// handler; this writes exactly what the browser's
 * `tf.loadLayersModel(url)` fetches, so the same folder serves both.
 */
import * as tf from '@tensorflow/tfjs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MimicError } from '../util/errors.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/** Writes `model` into `dir` (which must exist; callers make the surrounding folder atomic). */
export async function saveLayersFolder(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (artifacts.modelTopology === undefined || artifacts.weightSpecs === undefined)
        throw new Error('the model has no topology or weights to save');
      const weights = new Uint8Array(
        artifacts.weightData === undefined
          ? new ArrayBuffer(0)
          : tf.io.CompositeArrayBuffer.join(artifacts.weightData),
      );
      const json = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
      };
      await writeFile(join(dir, WEIGHTS_FILE), weights);
      await writeFile(join(dir, MODEL_JSON), JSON.stringify(json));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weights.length,
        },
      };
    }),
  );
}

interface ModelJson {
  modelTopology?: object;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

async function readOrFail(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new MimicError(
      `${path}: missing or unreadable (${(error as NodeJS.ErrnoException).code ?? error})`,
      3,
    );
  }
}

/** Loads a layers model from `dir`; a missing, truncated or corrupt file becomes a MimicError naming it. */
export async function loadLayersFolder(dir: string): Promise<tf.LayersModel> {
  const jsonPath = join(dir, MODEL_JSON);
  let json: ModelJson;
  try {
    json = JSON.parse((await readOrFail(jsonPath)).toString('utf8')) as ModelJson;
  } catch (error) {
    if (error instanceof MimicError) throw error;
    throw new MimicError(`${jsonPath}: not valid JSON (${(error as Error).message})`, 3);
  }
  if (typeof json.modelTopology !== 'object' || !Array.isArray(json.weightsManifest))
    throw new MimicError(`${jsonPath}: not a TF.js layers model (no modelTopology or weightsManifest)`, 3);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest) {
    for (const name of group.paths) buffers.push(await readOrFail(join(dir, name)));
    weightSpecs.push(...group.weights);
  }
  const data = Buffer.concat(buffers);
  const bytesPerValue = (dtype: string): number =>
    dtype === 'float16' ? 2 : dtype === 'bool' || dtype === 'uint8' ? 1 : 4;
  const expected = weightSpecs.reduce(
    (sum, spec) =>
      sum + spec.shape.reduce((a, b) => a * b, 1) * bytesPerValue(spec.quantization?.dtype ?? spec.dtype),
    0,
  );
  if (data.length !== expected)
    throw new MimicError(
      `${join(dir, json.weightsManifest[0]?.paths[0] ?? WEIGHTS_FILE)}: ${data.length} bytes of weights, expected ${expected} (truncated or corrupt)`,
      3,
    );
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }),
    );
  } catch (error) {
    throw new MimicError(
      `${jsonPath}: cannot build the model (${(error as Error).message.split('\n')[0]})`,
      3,
    );
  }
}
