/**
 * Writes a TF.js layers model as a folder of the standard layout (model.json + weights.bin) with the Node file
 * system. Plain @tensorflow/tfjs has no file:// handler; this writes exactly what `tf.loadLayersModel(url)` fetches
 * and what loadNetwork (src/model/inference.ts) reads, so the same folder serves the CLI and the browser.
 */
import tf from '../engine/tfjs.cjs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LAYERS_MODEL_JSON, WEIGHTS_FILE } from './inference.js';

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
      await writeFile(join(dir, LAYERS_MODEL_JSON), JSON.stringify(json));
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
