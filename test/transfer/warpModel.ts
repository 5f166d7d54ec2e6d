/**
 * A real, deterministic stand-in for the trained generator in pipeline tests: the piecewise-affine warp of the
 * input crop from its own landmarks to the target landmarks (src/model/warpedInput.ts, the warp-refine
 * generator's base). It follows target landmarks the way a trained model should, so transfer, animation and
 * paste-back can be tested without training.
 */
import { DEFAULT_ALIGNMENT } from '../../src/face/align.js';
import { warpCropsToTargets } from '../../src/model/warpedInput.js';
import type { ExpressionModel } from '../../src/model/inference.js';

/** `calls` collects the batch size of every generate call. */
export function warpModel(calls: number[] = []): ExpressionModel {
  return {
    alignment: DEFAULT_ALIGNMENT,
    labels: ['neutral', 'smile'],
    generate(crops, sources, landmarks, n) {
      calls.push(n);
      return warpCropsToTargets(crops, sources, landmarks, n, DEFAULT_ALIGNMENT.size);
    },
  };
}
