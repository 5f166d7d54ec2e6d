/**
 * Output paths, checked before any work (a bad --out should fail in a second, not after the model ran): writable,
 * distinct, and never one of the command's inputs. The writing itself, atomic and with one-line errors, is
 * src/util/atomic.ts.
 */
import { access, constants, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { MimicError } from '../util/errors.js';
import { fsErrorText } from '../util/fsErrors.js';
import { refuseFolderPath } from '../util/folderPath.js';

/** Throws a MimicError unless `path` can be created: its nearest existing ancestor is a writable folder. */
export async function checkWritable(path: string): Promise<void> {
  refuseFolderPath(path);
  const target = resolve(path);
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
      if (code !== 'ENOENT') throw new MimicError(`cannot write ${path}: ${fsErrorText(error)}`);
      const parent = dirname(folder);
      if (parent === folder) throw new MimicError(`cannot write ${path}: no such folder`);
      folder = parent;
    }
  }
}

/** The identity of an existing file (device + inode), or undefined when there is none. */
async function fileIdentity(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    return `${info.dev}:${info.ino}`;
  } catch {
    return undefined;
  }
}

/** What makes two paths one file: the same inode when it exists, else the same real path of the folder + name. */
async function sameFile(a: string, b: string): Promise<boolean> {
  const [idA, idB] = await Promise.all([fileIdentity(a), fileIdentity(b)]);
  if (idA !== undefined && idB !== undefined) return idA === idB;
  return (await canonicalPath(a)) === (await canonicalPath(b));
}

/** The path with its nearest existing ancestor resolved through symbolic links. */
async function canonicalPath(path: string): Promise<string> {
  const full = resolve(path);
  let head = full;
  let tail = '';
  for (;;) {
    try {
      return join(await realpath(head), tail);
    } catch {
      const parent = dirname(head);
      if (parent === head) return full;
      tail = join(basename(head), tail);
      head = parent;
    }
  }
}

/**
 * Every check on a command's outputs, before any work: each can be written (checkWritable), no two name the same
 * file, and none is one of the command's inputs (same inode or same real path), so no command can overwrite the
 * photo, landmark file or key it reads. `inputs` may hold undefined for options not given.
 */
export async function checkOutputs(outputs: string[], inputs: (string | undefined)[]): Promise<void> {
  const given = inputs.filter((p): p is string => p !== undefined);
  for (let i = 0; i < outputs.length; i++) {
    const out = outputs[i]!;
    for (const input of given)
      if (await sameFile(out, input))
        throw new MimicError(
          `refusing to write ${out}: it is the input ${input} (choose another output path)`,
        );
    for (const earlier of outputs.slice(0, i))
      if (await sameFile(out, earlier))
        throw new MimicError(`${out} is given as two outputs (${earlier}); choose different paths`);
    await checkWritable(out);
  }
}

/**
 * An output folder (a training run, a prepared cache) must not be an input folder or contain one: writing it would
 * write among the data being read or (prepare replaces its whole output folder) delete it. An output folder inside
 * an input folder is allowed: its files are all new.
 */
export async function checkOutputFolder(out: string, inputs: (string | undefined)[]): Promise<void> {
  const target = await canonicalPath(out);
  for (const input of inputs) {
    if (input === undefined) continue;
    const source = await canonicalPath(input);
    const inside = (a: string, b: string): boolean => a === b || a.startsWith(b.endsWith(sep) ? b : b + sep);
    if (inside(source, target))
      throw new MimicError(
        `refusing to write ${out}: ${source === target ? 'it is' : 'it contains'} the input folder ${input} (choose another --out)`,
      );
  }
}
