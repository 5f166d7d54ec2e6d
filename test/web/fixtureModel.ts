/**
 * A Mimic model folder for the web tests, in the format the CLI and the page share (mimic-model.json,
 * landmark-encoder/, landmark-decoder/, generator/, critic/, presets.json), written from the project's own
 * network builders (src/model/networks.ts) and preset code (src/transfer/presets.ts) on the FRL mini fixture.
 *
 * The networks are untrained. The landmark code's weights are scaled up so that a landmark edit visibly changes the
 * output: the test checks the page's wiring (edit → encoder → generator → canvas), not the model's quality.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readDataCache } from '../../src/data/cache.js';
import { DEFAULT_ALIGNMENT } from '../../src/face/align.js';
import { resolveModelConfig } from '../../src/model/config.js';
import {
  buildCritic,
  buildGenerator,
  buildLandmarkDecoder,
  buildLandmarkEncoder,
} from '../../src/model/networks.js';
import { computePresets, PRESETS_FILE, writePresets } from '../../src/transfer/presets.js';
import { REPO_ROOT } from '../helpers/paths.js';

/** Saves a layers model as model.json + weights.bin, the layout tf.loadLayersModel(url) reads. */
async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData as ArrayBuffer;
      await writeFile(join(dir, 'weights.bin'), new Uint8Array(weights));
      await writeFile(
        join(dir, 'model.json'),
        JSON.stringify({
          format: artifacts.format,
          generatedBy: artifacts.generatedBy,
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/** Multiplies the weights of the layer named `name` by `factor`. */
function scaleLayer(model: tf.LayersModel, name: string, factor: number): void {
  const layer = model.getLayer(name);
  const scaled = layer.getWeights().map((w) => tf.tidy(() => w.mul(factor)));
  layer.setWeights(scaled);
  tf.dispose(scaled);
}

export const LANDMARK_CODE_GAIN = 200;

export async function writeFixtureModel(dir: string, options: { presets?: boolean } = {}): Promise<void> {
  const config = resolveModelConfig();
  const encoder = buildLandmarkEncoder(config);
  scaleLayer(encoder, 'lenc_code', LANDMARK_CODE_GAIN);
  const networks: Record<string, tf.LayersModel> = {
    'landmark-encoder': encoder,
    'landmark-decoder': buildLandmarkDecoder(config),
    generator: buildGenerator(config),
    critic: buildCritic(config),
  };
  for (const [name, model] of Object.entries(networks)) await saveLayersModel(model, join(dir, name));
  const cache = await readDataCache(join(REPO_ROOT, 'test', 'fixtures', 'eval', 'frl-mini'));
  await writeFile(
    join(dir, 'mimic-model.json'),
    JSON.stringify({
      format: 'mimic-model',
      version: 1,
      config,
      alignment: DEFAULT_ALIGNMENT,
      labels: cache.manifest.labels,
      training: { note: 'untrained web-test fixture' },
    }),
  );
  if (options.presets !== false)
    await writePresets(join(dir, PRESETS_FILE), computePresets(cache, 'test/fixtures/eval/frl-mini'));
  for (const model of Object.values(networks)) model.dispose();
}
