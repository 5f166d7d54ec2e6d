/**
 * What every robustness case checks, whichever way it runs (the CLI's `main(argv)` in this process, the CLI as a
 * child process, or a library call): the exit code (or MimicError), one line on stderr with the expected message,
 * no stack trace and no dump of code, nothing written, the inputs untouched.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { MimicError } from '../../src/util/errors.js';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

type Writer = (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;

/**
 * Runs the CLI's `main(argv)` in this process with its console output captured: the same code path as the
 * `mimic` command without the second of start-up a child process costs.
 */
export async function runMain(argv: string[]): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const saved = {
    log: console.log,
    error: console.error,
    warn: console.warn,
    info: console.info,
    err: process.stderr.write.bind(process.stderr) as Writer,
  };
  const line =
    (sink: 'out' | 'err') =>
    (...args: unknown[]): void => {
      const text = args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ') + '\n';
      if (sink === 'out') stdout += text;
      else stderr += text;
    };
  console.log = line('out');
  console.info = line('out');
  console.error = line('err');
  console.warn = line('err');
  // process.stdout.write itself stays: node's test runner reports through it. (No command writes there directly.)
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as Writer;
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    console.log = saved.log;
    console.error = saved.error;
    console.warn = saved.warn;
    console.info = saved.info;
    process.stderr.write = saved.err as typeof process.stderr.write;
  }
}

/** The shape of a clean failure's stderr: exactly one line, the expected message, no stack, no code dump. */
export function assertOneLine(stderr: string, message: RegExp): void {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(
    lines.length,
    1,
    `expected one line on stderr, got ${lines.length}:\n${stderr.slice(0, 2000)}`,
  );
  assert.match(lines[0]!, message);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  assert.ok(lines[0]!.length < 600, `a readable line, not ${lines[0]!.length} characters of code`);
}

export function assertCleanFailure(result: RunResult, code: number, message: RegExp): void {
  assert.equal(result.code, code, `exit code (stderr: ${result.stderr.slice(0, 1000)})`);
  assertOneLine(result.stderr, message);
}

/** A library call that must reject with a one-line MimicError matching `message`. */
export async function assertMimicError(
  call: () => unknown,
  message: RegExp,
  exitCode?: number,
): Promise<void> {
  try {
    await call();
  } catch (error) {
    assert.ok(error instanceof MimicError, `expected a MimicError, got ${String(error)}`);
    assert.match(error.message, message);
    assert.doesNotMatch(error.message, /\n/, 'one line');
    if (exitCode !== undefined) assert.equal(error.exitCode, exitCode);
    return;
  }
  assert.fail(`expected a MimicError matching ${message}`);
}

/** Every file under `dir` (recursively, hidden ones included) with a hash of its bytes. */
export async function folderState(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        out.set(path + '/', 'folder');
        await walk(path);
      } else if (entry.isSymbolicLink()) out.set(path, 'link');
      else {
        const info = await stat(path);
        out.set(
          path,
          `${createHash('sha256')
            .update(await readFile(path))
            .digest('hex')} ${info.mtimeMs}`,
        );
      }
    }
  };
  await walk(dir);
  return out;
}

/** Nothing was written, removed or changed under the folder (inputs untouched, no output, no temporary file). */
export function assertSameState(before: Map<string, string>, after: Map<string, string>, what: string): void {
  const added = [...after.keys()].filter((k) => !before.has(k));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  const changed = [...before.keys()].filter((k) => after.has(k) && after.get(k) !== before.get(k));
  assert.deepEqual({ added, removed, changed }, { added: [], removed: [], changed: [] }, what);
}
