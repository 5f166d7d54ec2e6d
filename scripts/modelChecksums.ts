/**
 * Adds (or refreshes) the per-file checksums in a model folder's mimic-model.json without retraining: for model
 * folders written before `mimic train` recorded them (see src/model/integrity.ts). Only run it on a folder you
 * trust: it vouches for the files as they are now.
 *
 *   node --import tsx scripts/modelChecksums.ts models/default
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { disposeMimicModel, loadMimicModel, manifestWithChecksums, networkFiles } from '../src/model/io.js';
import { MODEL_MANIFEST } from '../src/model/manifest.js';
import { writeFileAtomic } from '../src/util/atomic.js';

const dir = process.argv[2];
if (dir === undefined) {
  console.error('usage: node --import tsx scripts/modelChecksums.ts <model folder>');
  process.exit(2);
}
// Load every network first: a folder whose weights are already damaged (NaN, wrong size) must not be vouched for.
disposeMimicModel(await loadMimicModel(dir));
const path = join(dir, MODEL_MANIFEST);
const before = await readFile(path, 'utf8');
const after = await manifestWithChecksums(before, (file) => readFile(join(dir, ...file.split('/'))));
await writeFileAtomic(path, after);
console.log(`${path}: ${networkFiles().length} checksums${before === after ? ' (unchanged)' : ''}`);
