/**
 * A trained model folder as the evaluation sees it: a generate function, the fold it was trained without and its
 * crop size (loaded through the one loader, src/model/inference.ts).
 */
import { generateFaces, loadInferenceModel } from '../model/inference.js';
import { nodeModelFolder } from '../model/io.js';
import { trainingRunHint } from '../model/runFolder.js';
import { MimicError } from '../util/errors.js';
import type { EvalModel } from './runEvaluation.js';

const loaded = new Map<string, EvalModel>();

/** Loads a model folder once per process. */
export async function loadModelForEval(dir: string): Promise<EvalModel> {
  const known = loaded.get(dir);
  if (known) return known;
  const hint = trainingRunHint(dir);
  if (hint)
    throw new MimicError(`no model at ${dir}${hint} (or score its newest checkpoint with --checkpoint)`, 3);
  const model = await loadInferenceModel(nodeModelFolder(dir));
  const fold = model.training?.fold;
  const result: EvalModel = {
    // The evaluation's own batches (--batch) go to the generator whole.
    generate: (crops, sources, targets, n) => generateFaces(model, crops, sources, targets, n, n),
    heldOutFold: fold === null ? 'all' : typeof fold === 'number' ? fold : undefined,
    size: model.config.imageSize,
  };
  loaded.set(dir, result);
  return result;
}
