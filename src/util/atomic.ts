/**
 * Atomic writes: write to a temporary sibling, then rename. A rename within one folder is atomic on POSIX file
 * systems, so a reader (or a killed run) sees either the old file/folder or the complete new one, never half.
 *
 * Every file Mimic writes goes through here, so this is also where a failed write (a full disk, a read-only
 * folder) becomes one MimicError, "cannot write <path>: ENOSPC (no space left on device)", and where temporary
 * siblings that a killed run left behind are removed the next time the same output is written.
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { MimicError } from './errors.js';
import { fsErrorText } from './fsErrors.js';

const TEMP_MARK = '.tmp-';

function tempSibling(path: string): string {
  return join(dirname(path), `.${basename(path)}${TEMP_MARK}${process.pid}-${Date.now()}`);
}

/** Whether process `pid` is still running (a temporary file of a live process may still be in use). */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary siblings (`.NAME.tmp-PID-TIME` and their `.old` folders) that a killed process left in
 * `folder`, for output `name` only, or for every name when `name` is undefined. Those of live processes are kept.
 * Returns the names removed.
 */
export async function removeStaleTemps(folder: string, name?: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch {
    return [];
  }
  const prefix = name === undefined ? '.' : `.${name}${TEMP_MARK}`;
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const match = /\.tmp-(\d+)-\d+(?:\.old)?$/.exec(entry);
    if (match === null || processAlive(Number(match[1]))) continue;
    await rm(join(folder, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}

/** A file-system failure while writing `path` as a one-line MimicError (a MimicError passes through). */
export function writeError(path: string, error: unknown): Error {
  if (error instanceof MimicError) return error;
  return new MimicError(`cannot write ${path}: ${fsErrorText(error)}`);
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  let tmp: string | undefined;
  try {
    await mkdir(dirname(path), { recursive: true });
    await removeStaleTemps(dirname(path), basename(path));
    tmp = tempSibling(path);
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    if (tmp !== undefined) await rm(tmp, { force: true }).catch(() => undefined);
    throw writeError(path, error);
  }
}

/**
 * Builds a folder through `fill(tmpDir)` and then moves it into place at `path`, replacing an existing folder.
 * If `fill` throws or the process dies, `path` is untouched and only a hidden temporary folder remains (removed
 * by the next write of the same folder).
 */
export async function writeDirAtomic(path: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  let tmp: string | undefined;
  try {
    await mkdir(dirname(path), { recursive: true });
    await removeStaleTemps(dirname(path), basename(path));
    tmp = tempSibling(path);
    await mkdir(tmp, { recursive: true });
    await fill(tmp);
    const old = `${tmp}.old`;
    let hadOld = false;
    try {
      await rename(path, old);
      hadOld = true;
    } catch {
      // no previous folder
    }
    try {
      await rename(tmp, path);
    } catch (error) {
      if (hadOld) await rename(old, path).catch(() => undefined); // put the previous folder back
      throw error;
    }
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (error) {
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw writeError(path, error);
  }
}
