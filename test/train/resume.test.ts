// The trainer as a user runs it (a child process of the CLI) on a tiny synthetic cache: killed at an arbitrary
// moment after a checkpoint, `--resume` continues from the checkpoint and ends with exactly the losses of an
// uninterrupted run with the same seed; SIGTERM stops cleanly with a checkpoint and a loadable model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend } from '../../src/engine/backend.js';
import { loadMimicModel, disposeMimicModel } from '../../src/model/io.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';
import { TINY_NETWORK_SIZES } from '../helpers/tinyModel.js';
import { writeSyntheticCache } from './syntheticCache.js';

await initBackend();

const TINY_CONFIG = { ...TINY_NETWORK_SIZES, batchSize: 4 };

function startTrain(args: string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; out: string }>;
} {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'src/cli/run-dev.ts'), 'train', ...args],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  const done = new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    }),
  );
  return { child, done };
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

async function readLog(run: string): Promise<Record<string, number>[]> {
  const text = await readFile(join(run, 'log.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, number>);
}

/** The losses of a log line (time and speed differ between runs). */
function lossesOf(line: Record<string, number>): Record<string, number> {
  const rest = { ...line };
  delete rest.seconds;
  delete rest.imagesPerSecond;
  return rest;
}

test('a killed run resumes from its last checkpoint and continues exactly like an uninterrupted run', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const data = join(dir, 'cache');
    await writeSyntheticCache(data, 4, 2);
    const configPath = join(dir, 'tiny.json');
    await writeFile(configPath, JSON.stringify(TINY_CONFIG));
    const common = ['--data', data, '--fold', '0', '--config', configPath, '--steps', '10', '--seed', '3'];
    const options = ['--checkpoint-every', '2', '--sample-every', '4'];

    const reference = join(dir, 'reference');
    const whole = await startTrain([...common, ...options, '--out', reference]).done;
    assert.equal(whole.code, 0, whole.out);

    const run = join(dir, 'run');
    const first = startTrain([...common, ...options, '--out', run]);
    await waitFor(() => exists(join(run, 'checkpoints', 'latest.json')), 'a first checkpoint');
    // Let it go on a little, so the kill lands at some moment after the checkpoint, maybe while writing another.
    await new Promise((r) => setTimeout(r, 100));
    first.child.kill('SIGKILL');
    await first.done;
    const pointer = JSON.parse(await readFile(join(run, 'checkpoints', 'latest.json'), 'utf8'));
    assert.ok(pointer.step >= 2 && pointer.step < 10, `checkpoint at step ${pointer.step}`);

    const resumed = await startTrain([...common, ...options, '--out', run, '--resume']).done;
    assert.equal(resumed.code, 0, resumed.out);
    const resumedFrom = Number(/resumed from step (\d+)/.exec(resumed.out)?.[1]);
    assert.ok(resumedFrom >= pointer.step, resumed.out);
    assert.match(resumed.out, new RegExp(`step ${resumedFrom + 1}/10 `));

    const log = await readLog(run);
    assert.deepEqual(
      log.map((l) => l.step),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      'the log has every step exactly once',
    );
    const referenceLog = await readLog(reference);
    assert.deepEqual(log.map(lossesOf), referenceLog.map(lossesOf));
    const info = JSON.parse(await readFile(join(run, 'model', 'mimic-model.json'), 'utf8'));
    assert.equal(info.training.steps, 10);
    assert.equal(info.training.fold, 0);
  } finally {
    await cleanup();
  }
});

test('SIGTERM finishes the step, saves a checkpoint and a loadable model, and exits with 130', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const data = join(dir, 'cache');
    await writeSyntheticCache(data, 4, 2);
    const configPath = join(dir, 'tiny.json');
    await writeFile(configPath, JSON.stringify(TINY_CONFIG));
    const run = join(dir, 'run');
    const started = startTrain([
      '--data',
      data,
      '--all',
      '--config',
      configPath,
      '--steps',
      '1000',
      '--out',
      run,
    ]);
    await waitFor(
      async () => (await exists(join(run, 'log.jsonl'))) && (await readLog(run)).length >= 2,
      'two steps',
    );
    started.child.kill('SIGTERM');
    const { code, out } = await started.done;
    assert.equal(code, 130, out);
    const log = await readLog(run);
    const pointer = JSON.parse(await readFile(join(run, 'checkpoints', 'latest.json'), 'utf8'));
    assert.equal(pointer.step, log.at(-1)!.step);
    const model = await loadMimicModel(join(run, 'model'));
    assert.equal(model.training.steps, pointer.step);
    assert.equal(model.training.fold, null);
    disposeMimicModel(model);
  } finally {
    await cleanup();
  }
});

/** A synthetic data set, the tiny config and a run folder in `dir`, and the train arguments for all three. */
async function tinyRun(dir: string): Promise<{ data: string; run: string; args: string[] }> {
  const data = join(dir, 'cache');
  await writeSyntheticCache(data, 4, 2);
  const configPath = join(dir, 'tiny.json');
  await writeFile(configPath, JSON.stringify(TINY_CONFIG));
  const run = join(dir, 'run');
  return { data, run, args: ['--data', data, '--all', '--config', configPath, '--out', run] };
}

test('a non-finite loss stops the run with the loss and step named, keeping the last good checkpoint', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { data, run, args } = await tinyRun(dir);
    const good = await startTrain([...args, '--steps', '2']).done;
    assert.equal(good.code, 0, good.out);
    // Damage the data: every landmark becomes NaN, so the next step's losses are NaN.
    const landmarks = join(data, 'landmarks.f32');
    const bytes = await readFile(landmarks);
    await writeFile(landmarks, new Uint8Array(new Float32Array(bytes.length / 4).fill(NaN).buffer));
    const bad = await startTrain([...args, '--steps', '4', '--resume']).done;
    assert.equal(bad.code, 4, bad.out);
    assert.match(bad.out, /loss "\w+" became NaN at step 3.*last good checkpoint \(step 2\)/);
    const pointer = JSON.parse(await readFile(join(run, 'checkpoints', 'latest.json'), 'utf8'));
    assert.equal(pointer.step, 2);
  } finally {
    await cleanup();
  }
});

test('a new run refuses a folder that holds another run; --resume continues it; the old run is untouched', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { run, args } = await tinyRun(dir);
    const first = await startTrain([...args, '--steps', '2']).done;
    assert.equal(first.code, 0, first.out);
    const logBefore = await readFile(join(run, 'log.jsonl'), 'utf8');
    // Ctrl-C, then the same command again without --resume: refused, not started over.
    const again = await startTrain([...args, '--steps', '3']).done;
    assert.equal(again.code, 2, again.out);
    assert.match(
      again.out,
      /already holds a training run \(a checkpoint at step 2\): continue it with --resume/,
    );
    assert.equal(await readFile(join(run, 'log.jsonl'), 'utf8'), logBefore, 'the earlier log was touched');
    const resumed = await startTrain([...args, '--steps', '3', '--resume']).done;
    assert.equal(resumed.code, 0, resumed.out);
    assert.match(resumed.out, /resumed from step 2/);
  } finally {
    await cleanup();
  }
});
