// The library against the robustness corpus: the same bad inputs as the CLI cases, given to Mimic, the readers and
// the writers directly. Each must reject with a one-line MimicError (the CLI's exit code comes from it), write
// nothing and keep its inputs; the model folder, checkpoint and atomic-writer guarantees are checked here too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { reportError } from '../../src/cli/errorReport.js';
import { initBackend } from '../../src/engine/backend.js';
import { validateLandmarkFile, type LandmarkFile } from '../../src/face/landmarkFile.js';
import { decodeImage, writeImage } from '../../src/image/io.js';
import { Mimic } from '../../src/transfer/mimic.js';
import { addEdits, parseEdits, applyEdits } from '../../src/transfer/edits.js';
import { applyPreset, validatePresets } from '../../src/transfer/presets.js';
import { readPresets } from '../../src/transfer/presetsFile.js';
import { loadLatestCheckpoint, saveCheckpoint, type Checkpoint } from '../../src/model/checkpoint.js';
import { removeStaleTemps, writeDirAtomic, writeFileAtomic } from '../../src/util/atomic.js';
import { TINY_MODEL_CONFIG } from '../helpers/tinyModel.js';
import { tempDir } from '../helpers/paths.js';
import { syntheticFace } from '../helpers/syntheticFace.js';
import { buildCorpus, SHIPPED_MODEL, type Corpus } from './corpus.js';
import { assertMimicError, assertSameState, folderState } from './harness.js';

await initBackend();

const { dir, cleanup } = await tempDir('mimic-robust-lib-');
const corpus: Corpus = await buildCorpus(dir);
const mimic = await Mimic.load();
test.after(async () => {
  mimic.dispose();
  await cleanup();
});

/** Runs a case and checks that nothing under the corpus folder changed. */
async function untouched(what: string, run: () => Promise<void>): Promise<void> {
  const before = await folderState(dir);
  await run();
  assertSameState(before, await folderState(dir), what);
}

const face = syntheticFace(64);
const aligned = (points: LandmarkFile['points'], size = 64): LandmarkFile => ({
  scheme: 'ibug68',
  space: 'aligned',
  imageSize: { width: size, height: size },
  points,
});

test('targets with prototype names, bad amounts and degenerate landmarks are refused', async (t) => {
  const cases: [string, Parameters<Mimic['transfer']>[1], RegExp][] = [
    ['expression constructor', { expression: 'constructor' }, /unknown expression "constructor"/],
    [
      'expression with the CLI intensity',
      { expression: 'surprise@0.5' },
      /unknown expression "surprise@0\.5" .*intensity is its own field: \{ expression: 'surprise', intensity: 0\.5 \}/,
    ],
    ['expression __proto__', { expression: '__proto__' }, /unknown expression "__proto__"/],
    ['expression toString', { expression: 'toString' }, /unknown expression "toString"/],
    ['intensity NaN', { expression: 'smile', intensity: NaN }, /intensity must be a number from 0 to 1/],
    ['intensity 2', { expression: 'smile', intensity: 2 }, /intensity must be a number from 0 to 1/],
    [
      'edit constructor',
      { own: true, edits: { constructor: 1 } as never },
      /unknown landmark edit "constructor"/,
    ],
    ['edit Infinity', { own: true, edits: { mouthCorners: Infinity } }, /must be a finite number/],
    ['edit 1e9', { own: true, edits: { brows: 1e9 } }, /brows=1000000000 .* is over 16 crop pixels/],
    [
      'landmarks all equal',
      { landmarks: aligned(face.map(() => [32, 32])) },
      /points 39 and 42\) are 0 apart/,
    ],
    [
      'landmarks 1e300 scale',
      {
        landmarks: {
          ...aligned(face.map(([x, y]) => [x * 1e290, y * 1e290])),
          space: 'image',
          imageSize: { width: 1e300, height: 1e300 },
        },
      },
      /over the limit of 65536 pixels a side/,
    ],
    ['landmarks 3 points', { landmarks: aligned(face.slice(0, 3)) }, /must hold 68 points \(got 3\)/],
  ];
  for (const [name, target, message] of cases)
    await t.test(name, () =>
      untouched(name, () => assertMimicError(() => mimic.transfer(corpus.photo, target), message, 2)),
    );
  await t.test('animate with a prototype name as a key', () =>
    untouched('animate', () =>
      assertMimicError(
        () => mimic.animate(corpus.photo, [{ own: true }, { expression: 'valueOf' }]),
        /unknown expression "valueOf"/,
      ),
    ),
  );
});

test('damaged model folders are refused with a message naming the file; older folders without checksums load', async (t) => {
  const cases: [keyof Corpus['models'], RegExp][] = [
    ['randomWeights', /generator\/weights\.bin: the file is corrupt/],
    ['nanWeights', /generator\/weights\.bin: the file is corrupt/],
    ['flippedByte', /generator\/weights\.bin: the file is corrupt/],
    ['garbageJson', /generator\/model\.json: the file is corrupt/],
    ['nanWeightsNoChecksums', /generator\/weights\.bin: weight ".*" holds NaN/],
    ['truncatedNoChecksums', /bytes of weights, expected \d+ \(truncated or corrupt\)/],
  ];
  const tensors = tf.memory().numTensors;
  for (const [kind, message] of cases)
    await t.test(kind, () =>
      untouched(kind, () => assertMimicError(() => Mimic.load(corpus.models[kind]), message, 3)),
    );
  assert.equal(tf.memory().numTensors, tensors, 'a refused model leaves no tensors behind');
  await t.test('a folder without checksums (written before they existed) still loads', async () => {
    const old = await Mimic.load(corpus.models.noChecksums);
    old.dispose();
  });
});

test('Mimic.dispose() frees the model: loading and disposing three times keeps the tensor count flat', async () => {
  const counts: number[] = [];
  for (let k = 0; k < 3; k++) {
    const m = await Mimic.load(SHIPPED_MODEL);
    m.dispose();
    counts.push(tf.memory().numTensors);
  }
  assert.deepEqual(counts, [counts[0], counts[0], counts[0]]);
});

test('damaged photos and bombs by header are refused before decoding', async (t) => {
  const cases: [keyof Corpus['bad'], RegExp][] = [
    ['empty', /the file is empty/],
    ['truncated', /damaged or truncated/],
    ['random', /not an image Mimic can read/],
    ['text', /not an image Mimic can read/],
    ['pngBomb', /100000×100000 .* over the limit of 40\.0/],
    ['jpegBomb', /65000×65000 .* over the limit of 40\.0/],
    ['folder', /not a file/],
  ];
  for (const [kind, message] of cases) {
    await t.test(`${kind} (path)`, () => assertMimicError(() => decodeImage(corpus.bad[kind]), message));
    if (kind !== 'folder' && kind !== 'empty')
      await t.test(`${kind} (bytes)`, async () => {
        const bytes = await readFile(corpus.bad[kind]);
        await assertMimicError(() => decodeImage(bytes, {}, 'upload'), message);
      });
  }
});

test('landmark files: degenerate geometry and prototype keys are refused by the one validator', async (t) => {
  const file = (points: LandmarkFile['points'], extra: Partial<LandmarkFile> = {}): unknown => ({
    ...aligned(points),
    ...extra,
  });
  const [rx, ry] = face[39]!;
  const [lx, ly] = face[42]!;
  const cases: [string, unknown, RegExp][] = [
    ['all points equal', file(face.map(() => [10, 10])), /are 0 apart/],
    ['39 = 42', file(face.map((p, i) => (i === 42 ? face[39]! : p))), /are 0 apart/],
    [
      'eyes 0.5 px apart',
      file(face.map((p, i) => (i === 42 ? [rx + 0.5, ry] : p))),
      /are 0\.5 apart, less than 3\.2/,
    ],
    [
      'a photo face 2 px between the eyes',
      file(
        face.map(([x, y]) => [x / 4, y / 4]),
        { space: 'image' },
      ),
      /are 2 apart, less than 8 \(pixels, the smallest face Mimic aligns\)/,
    ],
    [
      'lip on the eye line',
      file(face.map((p, i) => (i === 57 ? [(rx + lx) / 2, (ry + ly) / 2] : p))),
      /lower lip/,
    ],
    ['imageSize Infinity', file(face, { imageSize: { width: Infinity, height: 64 } }), /over the limit/],
    ['imageSize 1e300', file(face, { imageSize: { width: 1e300, height: 1e300 } }), /over the limit/],
    ['a NaN point', file(face.map((p, i) => (i === 5 ? [NaN, 1] : p))), /point 5 is not a finite number/],
    [
      'an object point',
      file(face.map((p, i) => (i === 5 ? ({} as never) : p))),
      /point 5 must be an \[x, y\] pair/,
    ],
    ['prototype keys only', JSON.parse('{"__proto__": {"scheme": "ibug68"}}'), /"scheme" must be "ibug68"/],
    ['an array', [], /expected a JSON object/],
  ];
  for (const [name, value, message] of cases)
    await t.test(name, () => assertMimicError(() => validateLandmarkFile(value, 'pose.json'), message));
  await t.test('a real face passes', () => {
    validateLandmarkFile(file(face));
  });
});

test('edits and presets: prototype names and totals over the limit', async (t) => {
  const presets = await readPresets(join(SHIPPED_MODEL, 'presets.json'));
  const input = new Float32Array(136);
  const cases: [string, () => unknown, RegExp][] = [
    ['parseEdits constructor=1', () => parseEdits('constructor=1'), /unknown landmark edit "constructor"/],
    ['parseEdits valueOf=1', () => parseEdits('valueOf=1'), /unknown landmark edit "valueOf"/],
    ['parseEdits repeated', () => parseEdits('brows=9,brows=+8'), /brows=17 .* is over 16/],
    ['addEdits total', () => addEdits({ eyelids: 10 }, { eyelids: 7 }), /eyelids=17/],
    [
      'applyEdits toString',
      () => applyEdits(input, { toString: 1 } as never, 64),
      /unknown landmark edit "toString"/,
    ],
    [
      'applyPreset constructor',
      () => applyPreset(presets, input, 'constructor'),
      /unknown expression "constructor"/,
    ],
    [
      'applyPreset __proto__',
      () => applyPreset(presets, input, '__proto__'),
      /unknown expression "__proto__"/,
    ],
    [
      'presets whose neutral label is inherited',
      () => validatePresets({ ...presets, neutral: 'constructor' }, 'presets.json'),
      /the neutral label "constructor" has no preset/,
    ],
  ];
  for (const [name, call, message] of cases) await t.test(name, () => assertMimicError(call, message));
});

test('the atomic writer: failures are one line, the previous file stays, temporaries of killed runs go', async (t) => {
  await t.test('an impossible path', () =>
    assertMimicError(
      () => writeImage('/proc/robust-test.png', { width: 1, height: 1, data: new Uint8Array(3) }),
      /^cannot write \/proc\/robust-test\.png: (ENOENT|EACCES)/,
    ),
  );
  await t.test('a folder that fails while being filled keeps the previous folder', async () => {
    const target = join(dir, 'out', 'folder');
    await writeDirAtomic(target, async (tmp) => writeFile(join(tmp, 'a.txt'), 'first'));
    await assertMimicError(
      () =>
        writeDirAtomic(target, async (tmp) => {
          await writeFile(join(tmp, 'a.txt'), 'second');
          await readFile(join(tmp, 'missing'));
        }),
      /^cannot write .*folder: ENOENT/,
    );
    assert.equal(await readFile(join(target, 'a.txt'), 'utf8'), 'first');
    assert.deepEqual(await readdir(join(dir, 'out')), ['folder'], 'no temporary folder left');
    await rm(join(dir, 'out'), { recursive: true });
  });
  await t.test("a killed run's temporaries are removed by the next write of the same output", async () => {
    const folder = join(dir, 'leftovers');
    await mkdir(folder);
    const dead = `.x.png.tmp-999999999-1`; // no such process
    const live = `.x.png.tmp-${process.pid}-1`; // this process: may still be in use
    await writeFile(join(folder, dead), 'half');
    await mkdir(join(folder, `.x.png.tmp-999999999-2.old`));
    await writeFile(join(folder, live), 'in use');
    await writeFile(join(folder, '.other.png.tmp-999999999-1'), 'another output');
    await writeFileAtomic(join(folder, 'x.png'), 'done');
    assert.deepEqual((await readdir(folder)).sort(), [live, '.other.png.tmp-999999999-1', 'x.png'].sort());
    assert.deepEqual(await removeStaleTemps(folder), ['.other.png.tmp-999999999-1']);
    await rm(folder, { recursive: true });
  });
  await t.test('a full disk (a 64 KiB tmpfs)', async (t2) => {
    const mountPoint = join(dir, 'full');
    await mkdir(mountPoint);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { stdio: 'ignore' });
    } catch {
      t2.skip('cannot mount a tmpfs here (needs root)');
      await rm(mountPoint, { recursive: true });
      return;
    }
    try {
      await writeFileAtomic(join(mountPoint, 'a.bin'), new Uint8Array(1000).fill(1));
      await assertMimicError(
        () => writeFileAtomic(join(mountPoint, 'a.bin'), new Uint8Array(200_000)),
        /^cannot write .*a\.bin: ENOSPC \(no space left on device\)$/,
      );
      assert.deepEqual(await readdir(mountPoint), ['a.bin'], 'no temporary file left');
      assert.deepEqual(await readFile(join(mountPoint, 'a.bin')), Buffer.alloc(1000, 1), 'the previous file');
    } finally {
      execFileSync('umount', [mountPoint]);
      await rm(mountPoint, { recursive: true });
    }
  });
});

test('a damaged latest checkpoint falls back to the previous complete one, with a notice', async (t) => {
  const run = join(dir, 'run');
  const checkpoint = (step: number): Checkpoint => ({
    state: {
      version: 1,
      step,
      logLines: step,
      wallSeconds: step,
      rngState: 7,
      sampler: { epoch: 0, position: step, order: [0, 1] },
      config: TINY_MODEL_CONFIG,
      seed: 1,
      data: 'data',
      fold: 0,
    },
    weights: { w: Float32Array.from([step, 2, 3]) },
    optimizer: { m: Float32Array.from([0.5]) },
  });
  await saveCheckpoint(run, checkpoint(25));
  await saveCheckpoint(run, checkpoint(50));
  const latest = join(run, 'checkpoints', 'step-0000050');
  const spoilWeights = (folder: string) => () =>
    writeFile(join(run, 'checkpoints', folder, 'weights.bin'), Buffer.alloc(12, 0xff));
  // [damage, the problem the notice names, the step resumed from]
  const damage: [string, () => Promise<void>, RegExp, number][] = [
    ['NaN weights of the right size', spoilWeights('step-0000050'), /corrupt/, 25],
    [
      'flipped bit',
      async () => {
        const b = await readFile(join(latest, 'weights.bin'));
        b[0] = b[0]! ^ 1;
        await writeFile(join(latest, 'weights.bin'), b);
      },
      /checksum does not match/,
      25,
    ],
    [
      'truncated optimizer state',
      () => writeFile(join(latest, 'optimizer.bin'), Buffer.alloc(2)),
      /optimizer\.bin/,
      25,
    ],
    ['state.json not JSON', () => writeFile(join(latest, 'state.json'), '{"step": '), /not valid JSON/, 25],
    // The pointer itself damaged: the newest step folder that reads cleanly is still step 50.
    [
      'latest.json not JSON',
      () => writeFile(join(run, 'checkpoints', 'latest.json'), '{'),
      /latest\.json: unreadable/,
      50,
    ],
  ];
  const fresh = async (): Promise<void> => {
    await rm(join(run, 'checkpoints'), { recursive: true, force: true });
    await saveCheckpoint(run, checkpoint(25));
    await saveCheckpoint(run, checkpoint(50));
  };
  for (const [name, spoil, problem, step] of damage)
    await t.test(name, async () => {
      await fresh();
      await spoil();
      const loaded = await loadLatestCheckpoint(run);
      assert.equal(loaded?.state.step, step);
      assert.deepEqual(Array.from(loaded!.weights.w!), [step, 2, 3]);
      assert.match(loaded!.notice ?? '', problem);
      assert.match(
        loaded!.notice ?? '',
        new RegExp(`resuming from the newest complete checkpoint left, step-00000${step} \\(step ${step}\\)`),
      );
    });
  await t.test('an intact run resumes from its latest checkpoint without a notice', async () => {
    await fresh();
    const loaded = await loadLatestCheckpoint(run);
    assert.equal(loaded?.state.step, 50);
    assert.equal(loaded?.notice, undefined);
  });
  await t.test('with every checkpoint damaged, one clear error', async () => {
    await fresh();
    await spoilWeights('step-0000050')();
    await spoilWeights('step-0000025')();
    await assertMimicError(() => loadLatestCheckpoint(run), /no complete checkpoint is left/, 3);
  });
  await rm(run, { recursive: true });
});

test("the CLI's top level: every error becomes one line and an exit code", () => {
  const full = Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
    syscall: 'write',
    path: '/runs/a/log.jsonl',
  });
  assert.deepEqual(reportError(full, 'mimic train'), {
    message: 'mimic train: cannot write /runs/a/log.jsonl: ENOSPC',
    exitCode: 3,
  });
  const bug = reportError(new RangeError('first line\n' + 'x'.repeat(70_000)), 'mimic transfer');
  assert.equal(bug.exitCode, 1);
  assert.equal(
    bug.message,
    'mimic transfer: unexpected error: RangeError: first line (this is a bug; rerun with MIMIC_DEBUG=1 to see the stack)',
  );
  const long = reportError(new Error('y'.repeat(70_000)), 'mimic');
  assert.ok(long.message.length < 450, 'a minified-code-sized message is cut to one readable line');
  assert.equal(reportError('a thrown string', 'mimic').exitCode, 1);
});
