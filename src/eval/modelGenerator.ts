/**
 * A trained model folder as the evaluation sees it: a generate function, the fold it was trained without and
 * its crop size. The folder is read by src/model/io.ts (loadMimicModel / generate), imported when first needed,
 * as src/transfer/load.ts does, so that `mimic eval` of the baselines alone never loads the model code.
 */
import type { MimicModel } from '../model/mimicModel.js';
import { MimicError } from '../util/errors.js';
import type { LoadedModel } from './runEvaluation.js';

/** The part of src/model/io.ts the evaluation needs. */
interface ModelIo {
  loadMimicModel(dir: string): Promise<MimicModel>;
  generate(model: MimicModel, crops: Float32Array, landmarks: Float32Array, n: number): Float32Array;
}

async function modelIo(): Promise<ModelIo> {
  try {
    return (await import('../model/io.js' as string)) as ModelIo;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND')
      throw new MimicError('this build cannot read model folders (src/model/io.ts is missing)', 3);
    throw error;
  }
}

/** Gray models give one channel: repeat it so that every metric sees RGB, like the baselines. */
function toRgb(values: Float32Array, n: number, size: number): Float32Array {
  const pixels = size * size;
  if (values.length === n * pixels * 3) return values;
  if (values.length !== n * pixels)
    throw new Error(`the model returned ${values.length} values for ${n} crops of ${size}×${size}`);
  const out = new Float32Array(n * pixels * 3);
  for (let i = 0; i < n * pixels; i++) out.fill(values[i]!, 3 * i, 3 * i + 3);
  return out;
}

const loaded = new Map<string, LoadedModel>();

/** Loads a model folder once per process. */
export async function loadModelForEval(dir: string): Promise<LoadedModel> {
  const known = loaded.get(dir);
  if (known) return known;
  const io = await modelIo();
  const model = await io.loadMimicModel(dir);
  const size = model.config.imageSize;
  const fold = model.training?.fold;
  const result: LoadedModel = {
    generate: (crops, landmarks, n) => toRgb(io.generate(model, crops, landmarks, n), n, size),
    heldOutFold: fold === null ? 'all' : typeof fold === 'number' ? fold : undefined,
    size,
  };
  loaded.set(dir, result);
  return result;
}
