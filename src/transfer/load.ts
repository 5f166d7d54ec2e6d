/**
 * Loading a saved model folder from disk as an ExpressionModel (through the one loader, src/model/inference.ts),
 * with the presets that ship beside it (`presets.json`, optional: without it only preset targets are unavailable).
 */
import { initBackend, type BackendName } from '../engine/backend.js';
import type { InferenceModel } from '../model/inference.js';
import { MODEL_MANIFEST, parseModelManifest } from '../model/manifest.js';
import { readOptionalModelFile } from '../model/modelFolder.js';
import { trainingRunHint } from '../model/runFolder.js';
import { MimicError } from '../util/errors.js';
import { DEFAULT_MODEL_DIR } from './defaultModel.js';
import { loadModelPresets, type PresetsFile } from './presets.js';

type ModelCode = typeof import('../model/inference.js') & typeof import('../model/io.js');

async function modelCode(): Promise<ModelCode> {
  // Imported when first needed: every CLI command module is loaded at start, and only the commands that generate
  // faces should pay for loading the network code.
  const [inference, io] = await Promise.all([import('../model/inference.js'), import('../model/io.js')]);
  return { ...inference, ...io };
}

export interface LoadOptions {
  backend?: BackendName;
}

/** A model folder loaded for transfer: the model, its presets and where it came from. */
export interface LoadedModel {
  model: InferenceModel;
  presets?: PresetsFile;
  dir: string;
}

export async function loadExpressionModel(
  dir = DEFAULT_MODEL_DIR,
  options: LoadOptions = {},
): Promise<LoadedModel> {
  const code = await modelCode();
  const folder = code.nodeModelFolder(dir);
  const manifestBytes = await readOptionalModelFile(folder, MODEL_MANIFEST);
  if (manifestBytes === undefined)
    throw new MimicError(
      `no model at ${dir} (${MODEL_MANIFEST} is missing)${dir === DEFAULT_MODEL_DIR ? '' : trainingRunHint(dir) || '; pass a folder written by mimic train (<run>/model)'}`,
      3,
    );
  const manifest = parseModelManifest(manifestBytes, folder.where(MODEL_MANIFEST));
  await initBackend({ backend: options.backend });
  const model = await code.loadInferenceModel(folder, { manifest });
  try {
    return { model, presets: await loadModelPresets(folder, manifest.alignment), dir };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
