/**
 * Output paths: checked before any work (a bad --out should fail in a second, not after the model ran) and written
 * atomically, with file-system errors turned into one-line messages.
 */
import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { MimicError } from '../util/errors.js';

/** Throws a MimicError unless `path` can be created: its nearest existing ancestor is a writable folder. */
export async function checkWritable(path: string): Promise<void> {
  const target = resolve(path);
  try {
    const info = await stat(target);
    if (info.isDirectory()) throw new MimicError(`cannot write ${path}: it is a folder`);
  } catch (error) {
    if (error instanceof MimicError) throw error;
  }
  let folder = dirname(target);
  for (;;) {
    try {
      const info = await stat(folder);
      if (!info.isDirectory()) throw new MimicError(`cannot write ${path}: ${folder} is not a folder`);
      await access(folder, constants.W_OK);
      return;
    } catch (error) {
      if (error instanceof MimicError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new MimicError(`cannot write ${path}: ${code ?? error}`);
      const parent = dirname(folder);
      if (parent === folder) throw new MimicError(`cannot write ${path}: no such folder`);
      folder = parent;
    }
  }
}

/** Runs a write; file-system errors become "cannot write <path>: <code>". */
export async function writeOrFail(path: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof MimicError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code) throw new MimicError(`cannot write ${path}: ${code}`);
    throw error;
  }
}
