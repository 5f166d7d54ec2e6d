/**
 * A Mimic model folder for the web tests, written by the project's own model code (src/model/io.ts, the writer
 * `mimic train` uses) plus presets.json from the preset code (src/transfer/presets.ts) on the FRL mini fixture.
 *
 * The networks are untrained, with the shipped model's generator kind (generatorBase "warped"). The landmark code's weights are scaled up so that a landmark edit visibly changes the
 * output: the test checks the page's wiring (edit → encoder → generator → canvas), not the model's quality.
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { readDataCache } from '../../src/data/cache.js';
import { DEFAULT_ALIGNMENT } from '../../src/face/align.js';
import { resolveModelConfig } from '../../src/model/config.js';
import { saveMimicModel } from '../../src/model/io.js';
import { buildMimicNetworks, disposeMimicNetworks } from '../../src/model/mimicModel.js';
import { initializeWeights } from '../../src/model/weights.js';
import { computePresets, PRESETS_FILE } from '../../src/transfer/presets.js';
import { writePresets } from '../../src/transfer/presetsFile.js';
import { REPO_ROOT } from '../helpers/paths.js';

/** Multiplies the weights of the layer named `name` by `factor`. */
function scaleLayer(model: tf.LayersModel, name: string, factor: number): void {
  const layer = model.getLayer(name);
  const scaled = layer.getWeights().map((w) => tf.tidy(() => w.mul(factor)));
  layer.setWeights(scaled);
  tf.dispose(scaled);
}

export const LANDMARK_CODE_GAIN = 200;

export async function writeFixtureModel(dir: string, options: { presets?: boolean } = {}): Promise<void> {
  // The shipped model's generator kind (warp-refine), so the page's warp path is what CI exercises.
  const config = resolveModelConfig({ generatorBase: 'warped' });
  const networks = buildMimicNetworks(config);
  try {
    // Seeded: every run of the tests sees the same network.
    initializeWeights(networks, 7);
    scaleLayer(networks.landmarkEncoder, 'lenc_code', LANDMARK_CODE_GAIN);
    const cache = await readDataCache(join(REPO_ROOT, 'test', 'fixtures', 'eval', 'frl-mini'));
    await saveMimicModel(dir, {
      ...networks,
      config,
      alignment: DEFAULT_ALIGNMENT,
      labels: cache.manifest.labels,
      training: { steps: 0, data: 'none: untrained web-test fixture', fold: null, wallSeconds: 0 },
    });
    if (options.presets !== false)
      await writePresets(join(dir, PRESETS_FILE), computePresets(cache, 'test/fixtures/eval/frl-mini'));
  } finally {
    disposeMimicNetworks(networks);
  }
}
