/**
 * A trained model folder as the evaluation sees it: a generate function, the fold it was trained without and
 * its crop size. Interim: model folders are read by src/model/io.ts, which has not landed yet.
 */
import { MimicError } from '../util/errors.js';
import type { LoadedModel } from './runEvaluation.js';

export async function loadModelForEval(dir: string): Promise<LoadedModel> {
  throw new MimicError(`${dir}: this build cannot read model folders yet (src/model/io.ts is missing)`, 3);
}
