/**
 * A training run's folder (runs/<name>) as the CLI meets it where a model folder is expected. Kept apart from io.ts,
 * which loads the networks' code: `mimic presets --list` names a run folder without loading TF.js.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_MANIFEST } from './manifest.js';

/**
 * Where `dir` has no model manifest but is a training run (runs/<name>, whose model is in its model/ folder): the
 * words that say so, to follow a "no model" message; else ''. Naming the run instead of its model is the usual slip.
 */
export function trainingRunHint(dir: string): string {
  if (existsSync(join(dir, MODEL_MANIFEST)) || !existsSync(join(dir, 'model', MODEL_MANIFEST))) return '';
  return `; ${dir} is a training run: its model is ${join(dir, 'model')}`;
}
