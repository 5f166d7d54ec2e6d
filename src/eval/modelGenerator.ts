/**
 * A trained model folder as the evaluation sees it: a generate function, the fold it was trained without and
 * its crop size (src/model/io.ts reads the folder).
 */
import { generate, loadMimicModel } from '../model/io.js';
import type { LoadedModel } from './runEvaluation.js';

const loaded = new Map<string, LoadedModel>();

/** Loads a model folder once per process. */
export async function loadModelForEval(dir: string): Promise<LoadedModel> {
  const known = loaded.get(dir);
  if (known) return known;
  const model = await loadMimicModel(dir);
  const fold = model.training?.fold;
  const result: LoadedModel = {
    generate: (crops, sources, targets, n) => generate(model, crops, sources, targets, n),
    heldOutFold: fold === null ? 'all' : typeof fold === 'number' ? fold : undefined,
    size: model.config.imageSize,
  };
  loaded.set(dir, result);
  return result;
}
