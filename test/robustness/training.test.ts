// `mimic train` when things go wrong around it: a full disk, temporaries left by a killed run, a damaged latest
// checkpoint. Runs the CLI's main(argv) in this process on a tiny synthetic data set and tiny networks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend } from '../../src/engine/backend.js';
import { tempDir } from '../helpers/paths.js';
import { TINY_NETWORK_SIZES } from '../helpers/tinyModel.js';
import { writeSyntheticCache } from '../train/syntheticCache.js';
import { assertCleanFailure, assertSameState, folderState, runMain } from './harness.js';

await initBackend();

const { dir, cleanup } = await tempDir('mimic-robust-train-');
const data = join(dir, 'data');
await writeSyntheticCache(data, 4, 2);
const config = join(dir, 'tiny.json');
await writeFile(config, JSON.stringify({ ...TINY_NETWORK_SIZES, batchSize: 4 }));
test.after(cleanup);

const trainArgs = (out: string, steps: number, ...rest: string[]): string[] => [
  'train',
  '--data',
  data,
  '--out',
  out,
  '--config',
  config,
  '--steps',
  String(steps),
  '--checkpoint-every',
  '1',
  '--sample-every',
  '1',
  '--backend',
  'cpu',
  ...rest,
];

/** Every hidden temporary (".NAME.tmp-PID-TIME") under `folder`. */
async function temporaries(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true });
  return entries.filter((e) => /(^|\/)\.[^/]*\.tmp-\d+-\d+/.test(e));
}

test('a full disk stops training with one line, leaves no temporaries and does not touch the data', async (t) => {
  const disk = join(dir, 'small-disk');
  await mkdir(disk);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48k', 'tmpfs', disk], { stdio: 'ignore' });
  } catch {
    t.skip('cannot mount a tmpfs here (needs root)');
    return;
  }
  try {
    const before = await folderState(data);
    const result = await runMain(trainArgs(join(disk, 'run'), 3));
    assertCleanFailure(result, 2, /^mimic train: cannot write .*: ENOSPC \(no space left on device\)$/);
    assert.deepEqual(await temporaries(disk), [], 'no temporary file or folder left');
    assertSameState(before, await folderState(data), 'the data set');
  } finally {
    execFileSync('umount', [disk]);
  }
});

test("a killed run's temporaries are removed at the next start; a damaged latest checkpoint falls back", async () => {
  const run = join(dir, 'run');
  const first = await runMain(trainArgs(run, 2));
  assert.equal(first.code, 0, first.stderr);
  // What a run killed while writing leaves: a half checkpoint folder, a half model export and its .old twin.
  await mkdir(join(run, 'checkpoints', '.step-0000003.tmp-999999999-1'));
  await writeFile(join(run, 'checkpoints', '.step-0000003.tmp-999999999-1', 'weights.bin'), 'half');
  await mkdir(join(run, '.model.tmp-999999999-2.old'));
  await writeFile(join(run, 'samples', '.latest.png.tmp-999999999-3'), 'half');
  // And the latest checkpoint damaged after it was written.
  await writeFile(join(run, 'checkpoints', 'step-0000002', 'weights.bin'), Buffer.alloc(8, 0xff));

  const resumed = await runMain(trainArgs(run, 3, '--resume'));
  assert.equal(resumed.code, 0, resumed.stderr + resumed.stdout);
  assert.match(resumed.stdout, /removed 1 leftover temporary file\(s\) of a killed run in .*checkpoints/);
  assert.match(resumed.stdout, /resuming from the newest complete checkpoint left, step-0000001 \(step 1\)/);
  assert.match(resumed.stdout, /resumed from step 1 /);
  assert.match(resumed.stdout, /done: 3 steps/);
  // A trained model has no data presets until they are measured: the last line says how.
  assert.match(resumed.stdout, /for --expression presets: mimic presets --data .* --out .*presets\.json/);
  assert.deepEqual(await temporaries(run), []);
});
