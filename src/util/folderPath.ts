/**
 * The one check that an output path names a folder (an existing one, or one written with a trailing slash):
 * checkWritable (src/transfer/output.ts) makes it first, and so do the readers of an output's format from its name,
 * so that a folder is said to be one before its missing extension is ("unsupported image extension" with an empty
 * one sent people looking for the wrong mistake).
 */
import { statSync } from 'node:fs';
import { sep } from 'node:path';
import { MimicError } from './errors.js';

export function refuseFolderPath(path: string): void {
  if (path.endsWith('/') || path.endsWith(sep) || isFolder(path))
    throw new MimicError(`cannot write ${path}: it is a folder (name a file in it)`);
}

/** Whether `path` is an existing folder; any other answer (missing, a path through a file) is for the writer to give. */
function isFolder(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}
