// A representative set of robustness cases through real child processes, where what a user sees is the process's
// exit code and stderr bytes: the CLI's top level, the library's import in a host program, and an MP4 write (whose
// encoder, an Emscripten build, used to install process-wide handlers that turned every error into exit 7).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';
import { buildCorpus } from './corpus.js';
import { assertCleanFailure, assertSameState, folderState } from './harness.js';

/** Runs a module as a host program would (node + tsx), with the environment given. */
function runScript(
  path: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const src = (path: string): string => pathToFileURL(join(REPO_ROOT, 'src', path)).href;

test('the mimic command in a child process: one short line and the exit code for bad input', async (t) => {
  const { dir, cleanup } = await tempDir('mimic-robust-cli-');
  try {
    const c = await buildCorpus(dir);
    const cases: [string, string[], number, RegExp][] = [
      [
        'a prototype name as a preset (was: exit 7 and 64 KiB of minified code)',
        ['transfer', c.photo, '--expression', 'constructor', '--out', join(dir, 'x.jpg')],
        2,
        /^mimic transfer: unknown expression "constructor"/,
      ],
      [
        'the output is the input photo',
        ['landmarks', c.photo, '--out', c.photo],
        2,
        /^mimic landmarks: refusing to write .*photo\.jpg: it is the input/,
      ],
      [
        'a degenerate landmark file as an animation key',
        ['animate', c.photo, '--keys', `input,${c.landmarks.allEqual}`, '--out', join(dir, 'a.mp4')],
        2,
        /^mimic animate: .*all-equal\.json: the inner eye corners/,
      ],
      [
        'corrupt generator weights of the right size',
        [
          'transfer',
          c.photo,
          '--expression',
          'smile',
          '--out',
          join(dir, 'x.jpg'),
          '--model',
          c.models.nanWeights,
        ],
        3,
        /^mimic transfer: .*generator\/weights\.bin: the file is corrupt/,
      ],
      [
        "an empty --intensity ''",
        ['transfer', c.photo, '--expression', 'smile', '--intensity', '', '--out', join(dir, 'x.jpg')],
        2,
        /^mimic transfer: --intensity must be a number from 0 to 1\.5 \(got ""\)/,
      ],
    ];
    for (const [name, argv, code, message] of cases)
      await t.test(name, async () => {
        const before = await folderState(dir);
        const result = await runCli(argv);
        assertCleanFailure(result, code, message);
        assert.ok(
          Buffer.byteLength(result.stderr) < 600,
          `${Buffer.byteLength(result.stderr)} bytes on stderr`,
        );
        assertSameState(before, await folderState(dir), 'nothing written, nothing changed');
      });
  } finally {
    await cleanup();
  }
});

test('an unexpected error in the CLI is one line with a hint, and the stack only with MIMIC_DEBUG=1', async () => {
  const { dir, cleanup } = await tempDir('mimic-robust-cli-');
  try {
    // A bug outside main's own await chain (a timer), in a process started the way bin/mimic.js starts it.
    const script = join(dir, 'bug.mts');
    await writeFile(
      script,
      `import { runAsProcess } from ${JSON.stringify(src('cli/main.ts'))};
setTimeout(() => { throw new TypeError('a bug in a timer'); }, 20);
await runAsProcess(['presets', '--list']);
await new Promise((r) => setTimeout(r, 1000));
`,
    );
    const plain = await runScript(script);
    assert.equal(plain.code, 1, plain.stderr);
    const lines = plain.stderr.split('\n').filter((l) => l.trim() !== '');
    assert.deepEqual(lines, [
      'mimic: unexpected error: TypeError: a bug in a timer (this is a bug; rerun with MIMIC_DEBUG=1 to see the stack)',
    ]);
    const debug = await runScript(script, { MIMIC_DEBUG: '1' });
    assert.equal(debug.code, 1);
    assert.match(
      debug.stderr,
      /unexpected error: TypeError: a bug in a timer[^\n]*\nTypeError: a bug in a timer\n\s+at /,
    );
  } finally {
    await cleanup();
  }
});

test('importing the library, writing an MP4 and loading a model leave the host process as it was', async () => {
  const { dir, cleanup } = await tempDir('mimic-robust-host-');
  try {
    const script = join(dir, 'host.mts');
    await writeFile(
      script,
      `const events = ['uncaughtException', 'unhandledRejection', 'exit'] as const;
const count = () => events.map((e) => process.listenerCount(e)).join(',');
const before = count();
const mimic = await import(${JSON.stringify(src('index.ts'))});
const afterImport = count();
const frames = [0, 1].map((k) => ({ width: 16, height: 16, data: new Uint8Array(16 * 16 * 3).fill(100 * k) }));
await mimic.writeAnimation(${JSON.stringify(join(dir, 'a.mp4'))}, frames, 12);
const afterMp4 = count();
// Loading a model starts TF.js's WASM backend, another Emscripten build.
(await mimic.Mimic.load()).dispose();
console.log(JSON.stringify({ before, afterImport, afterMp4, afterLoad: count() }));
process.exitCode = 42;
throw new Error('the host program failed on its own');
`,
    );
    const result = await runScript(script);
    const report = JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, string>;
    assert.equal(report.afterImport, report.before, 'no listeners added by import');
    assert.equal(report.afterMp4, report.before, 'no listeners left by the MP4 encoder');
    assert.equal(report.afterLoad, report.before, 'no listeners left by the WASM backend');
    // The host's own error keeps Node's own handling: exit code 1 and the host's message (not exit 7).
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Error: the host program failed on its own/);
  } finally {
    await cleanup();
  }
});
