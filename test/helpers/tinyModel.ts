/** A tiny, untrained Mimic model for tests of saving, loading, generating and evaluating. */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_ALIGNMENT } from '../../src/face/align.js';
import { resolveModelConfig, type PartialModelConfig } from '../../src/model/config.js';
import { buildMimicNetworks, type MimicModel } from '../../src/model/mimicModel.js';
import { initializeWeights, weightVariables } from '../../src/model/weights.js';

/** Network sizes of the tests' tiny models (also written as a --config file by the trainer tests). */
export const TINY_NETWORK_SIZES = {
  generatorChannels: [4, 8, 8, 8],
  criticChannels: [4, 4, 4, 4],
  imageCodeSize: 8,
  landmarkCodeSize: 4,
  landmarkEncoderUnits: [8],
  landmarkDecoderUnits: [8],
} satisfies PartialModelConfig;

export const TINY_MODEL_CONFIG = resolveModelConfig(TINY_NETWORK_SIZES);

/** Seeded weights and non-default BatchNorm statistics, so a loader that dropped them would change the output. */
export function tinyModel(
  seed: number,
  training: { data?: string; fold?: number | null } = {},
  overrides: PartialModelConfig = {},
): MimicModel {
  const config = resolveModelConfig(overrides, TINY_MODEL_CONFIG);
  const networks = buildMimicNetworks(config);
  initializeWeights(networks, seed);
  for (const [name, v] of weightVariables(networks))
    if (name.endsWith('moving_mean') || name.endsWith('moving_variance')) {
      const t = tf.randomUniform(v.shape as number[], 0.5, 1.5, 'float32', name.length);
      v.write(t);
      t.dispose();
    }
  return {
    ...networks,
    config,
    alignment: DEFAULT_ALIGNMENT,
    labels: ['neutral', 'smile'],
    training: { steps: 0, data: training.data ?? 'none', fold: training.fold ?? null, wallSeconds: 0 },
  };
}
