import { MimicError } from '../../util/errors.js';
import { ownEntry } from '../../util/lookup.js';
import { ckplusReader } from './ckplus.js';
import { foldersReader } from './folders.js';
import { frlReader } from './frl.js';
import { multipieReader } from './multipie.js';
import type { DatasetReader } from './types.js';

export const READERS: Record<string, DatasetReader> = {
  frl: frlReader,
  ckplus: ckplusReader,
  multipie: multipieReader,
  folders: foldersReader,
};

export function readerFor(layout: string): DatasetReader {
  const reader = ownEntry(READERS, layout);
  if (!reader)
    throw new MimicError(`--layout must be one of ${Object.keys(READERS).join(', ')} (got "${layout}")`);
  return reader;
}

export type { DatasetEntry, DatasetReader } from './types.js';
