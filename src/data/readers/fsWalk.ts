import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MimicError } from '../../util/errors.js';
import { fsErrorText } from '../../util/fsErrors.js';

export const IMAGE_EXTENSIONS = /\.(jpe?g|png|webp|tiff?|bmp|gif|avif)$/i;

/** Sorted names in a folder; a MimicError naming the folder when it cannot be read. */
export async function listDir(path: string): Promise<string[]> {
  try {
    return (await readdir(path)).filter((n) => !n.startsWith('.')).sort();
  } catch (error) {
    throw new MimicError(`cannot read folder ${path}: ${fsErrorText(error)}`, 3);
  }
}

export async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export async function subdirs(path: string): Promise<string[]> {
  const names = await listDir(path);
  const out: string[] = [];
  for (const n of names) if (await isDir(join(path, n))) out.push(n);
  return out;
}
