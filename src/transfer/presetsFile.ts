/** Presets files (format: presets.ts) read and written with the Node file system. */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../util/atomic.js';
import { MimicError } from '../util/errors.js';
import { fsErrorText } from '../util/fsErrors.js';
import { parsePresets, type PresetsFile } from './presets.js';

export async function readPresets(path: string): Promise<PresetsFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new MimicError(`cannot read presets ${path}: ${fsErrorText(error)}`, 3);
  }
  return parsePresets(bytes, path);
}

export async function writePresets(path: string, presets: PresetsFile): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(presets) + '\n');
}
