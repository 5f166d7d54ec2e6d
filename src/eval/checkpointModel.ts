/**
 * A training run's newest checkpoint as a model to evaluate (`mimic eval --model runs/<name> --checkpoint`), so
 * a run can be scored while it trains, before it exports `<run>/model/`. The networks are rebuilt from the
 * checkpoint's config and given its weights (BatchNorm moving statistics included); the held-out fold comes
 * from the checkpoint's state.
 */
import { loadLatestCheckpoint } from '../model/checkpoint.js';
import { buildMimicNetworks, disposeMimicNetworks, type MimicModel } from '../model/mimicModel.js';
import { generateFaces } from '../model/inference.js';
import { weightVariables, writeWeights } from '../model/weights.js';
import { MimicError } from '../util/errors.js';
import { DEFAULT_ALIGNMENT } from '../face/align.js';
import type { EvalModel } from './runEvaluation.js';

export async function loadCheckpointForEval(runDir: string): Promise<EvalModel & { step: number }> {
  const checkpoint = await loadLatestCheckpoint(runDir);
  if (checkpoint === undefined)
    throw new MimicError(`${runDir}: no checkpoint yet (checkpoints/latest.json)`, 3);
  const { config, fold, step, data } = checkpoint.state;
  const networks = buildMimicNetworks(config);
  try {
    writeWeights(weightVariables(networks), checkpoint.weights);
  } catch (error) {
    disposeMimicNetworks(networks);
    throw new MimicError(
      `${runDir}: the checkpoint does not fit its own config (${(error as Error).message})`,
      3,
    );
  }
  const model: MimicModel = {
    ...networks,
    config,
    alignment: { ...DEFAULT_ALIGNMENT, size: config.imageSize }, // generate does not read it
    labels: [],
    training: { steps: step, data, fold, wallSeconds: checkpoint.state.wallSeconds },
  };
  return {
    generate: (crops, sources, targets, n) => generateFaces(model, crops, sources, targets, n, n),
    heldOutFold: fold === null ? 'all' : fold,
    size: config.imageSize,
    description: `${runDir} (checkpoint of step ${step})`,
    step,
  };
}
