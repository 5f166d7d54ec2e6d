/**
 * Training presets and random shards for the speed benchmarks and profiles of the trainer's step
 * (src/train/benchmark.ts, bench/profileStep.ts): the shapes MimicReplica consumes, filled with noise.
 */
import type { BatchShard } from '../../src/engine/parallel/replica.js';
import {
  DEFAULT_MODEL_CONFIG,
  PAPER_MODEL_CONFIG,
  resolveModelConfig,
  type MimicModelConfig,
} from '../../src/model/config.js';
import type { Rng } from '../../src/util/random.js';
import { LANDMARK_VALUES } from '../../src/face/landmarks.js';

export const TRAINING_PRESETS: Record<string, MimicModelConfig> = {
  default: DEFAULT_MODEL_CONFIG,
  paper: PAPER_MODEL_CONFIG,
  // The shipped model's recipe (configs/warp-refine.json): G also sees the warped photo and outputs a masked blend.
  'warp-refine': resolveModelConfig({ generatorBase: 'warped' }),
};

/** A shard of `size` random triplets with every field MimicReplica reads for this config. */
export function randomTrainingShard(config: MimicModelConfig, size: number, rng: Rng): BatchShard {
  const image = size * config.imageSize * config.imageSize * config.channels;
  const fill = (length: number, lo = -1, hi = 1) => Float32Array.from({ length }, () => rng.uniform(lo, hi));
  return {
    input: fill(image),
    target: fill(image),
    targetLandmarks: fill(size * LANDMARK_VALUES),
    referenceLandmarks: fill(size * LANDMARK_VALUES),
    different: Float32Array.from({ length: size }, () => (rng.next() < 0.5 ? 1 : 0)),
    gpEpsilon: fill(size, 0, 1),
    ...(config.generatorBase === 'warped' ? { warped: fill(image) } : {}),
  };
}
