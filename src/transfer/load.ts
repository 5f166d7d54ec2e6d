/**
 * Loading a saved model folder (format: src/model/io.ts) as an ExpressionModel, with the presets that ship beside
 * it (`presets.json`, optional: without it only preset targets are unavailable).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend, type BackendName } from '../engine/backend.js';
import type { AlignmentConfig } from '../face/align.js';
import { MimicError } from '../util/errors.js';
import type { ExpressionModel } from './model.js';
import { PRESETS_FILE, readPresets, sameAlignment, type PresetsFile } from './presets.js';

/** models/default in the package: two folders above this module both in src/transfer and in dist/transfer. */
export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../../models/default', import.meta.url));
export const MODEL_FILE = 'mimic-model.json';

type ModelIo = typeof import('../model/io.js');

async function modelIo(): Promise<ModelIo> {
  // Imported when first needed: every CLI command module is loaded at start, and only the commands that generate
  // faces should pay for loading the network code.
  return import('../model/io.js');
}

export interface LoadOptions {
  backend?: BackendName;
}

export interface LoadedModel {
  model: ExpressionModel;
  presets?: PresetsFile;
  dir: string;
}

export async function loadExpressionModel(
  dir = DEFAULT_MODEL_DIR,
  options: LoadOptions = {},
): Promise<LoadedModel> {
  let meta: { format?: string; alignment?: AlignmentConfig; labels?: string[] };
  try {
    meta = JSON.parse(await readFile(join(dir, MODEL_FILE), 'utf8')) as typeof meta;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MimicError(
      code === 'ENOENT'
        ? `no model at ${dir} (${MODEL_FILE} is missing)${dir === DEFAULT_MODEL_DIR ? '' : '; pass a folder written by mimic train (<run>/model)'}`
        : `${join(dir, MODEL_FILE)}: unreadable (${(error as Error).message})`,
      3,
    );
  }
  if (meta.format !== 'mimic-model' || !meta.alignment)
    throw new MimicError(`${join(dir, MODEL_FILE)}: not a Mimic model file`, 3);
  await initBackend({ backend: options.backend });
  const io = await modelIo();
  const loaded = await io.loadMimicModel(dir);
  const model: ExpressionModel = {
    alignment: meta.alignment,
    labels: meta.labels ?? [],
    generate: (crops, sources, targets, n) => io.generate(loaded, crops, sources, targets, n),
  };
  const presetsPath = join(dir, PRESETS_FILE);
  let presets: PresetsFile | undefined;
  if (await exists(presetsPath)) {
    presets = await readPresets(presetsPath);
    if (!sameAlignment(presets.alignment, meta.alignment))
      throw new MimicError(
        `${presetsPath}: measured with another alignment than the model's; make them again from the model's data set`,
        3,
      );
  }
  return { model, presets, dir };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
