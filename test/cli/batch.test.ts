import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { expandPhotos, planBatch } from '../../src/cli/batch.js';
import { readLandmarkFile } from '../../src/face/landmarkFile.js';
import { runCli } from '../helpers/cli.js';
import { sample, tempDir } from '../helpers/paths.js';

test('transfer over a folder: a bad file among good photos is named, the others are written, exit 1', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const photos = join(dir, 'photos');
    await mkdir(photos);
    await copyFile(sample('canada-019f.jpg'), join(photos, 'a.jpg'));
    await writeFile(join(photos, 'b-broken.jpg'), 'not a photo');
    await copyFile(sample('canada-095m.jpg'), join(photos, 'c.jpg'));
    await writeFile(join(photos, 'notes.txt'), 'not a photo either, and not taken: not an image extension');
    const out = join(dir, 'out');
    const r = await runCli(['transfer', photos, '--expression', 'smile', '--out-dir', out], {
      timeoutMs: 600_000,
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /\[2\/3\] \S*b-broken\.jpg: failed: not an image/);
    assert.match(r.stderr, /2 of 3 photos done/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual((await readdir(out)).sort(), ['a.jpg', 'c.jpg']);
    // each output is its own photo at its own size, changed by the smile
    for (const [name, source] of [
      ['a.jpg', 'canada-019f.jpg'],
      ['c.jpg', 'canada-095m.jpg'],
    ] as const) {
      const written = await sharp(join(out, name)).metadata();
      const original = await sharp(sample(source)).metadata();
      assert.deepEqual([written.width, written.height], [original.width, original.height]);
    }
    assert.equal(
      await readFile(join(photos, 'b-broken.jpg'), 'utf8'),
      'not a photo',
      'the input is untouched',
    );
  } finally {
    await cleanup();
  }
});

test('a batch detected in a worker thread writes the same bytes as detection in the main thread', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    // a face, a photo without one (fails by name, the others go on), another face (a PNG)
    const blank = join(dir, 'blank.png');
    await sharp({ create: { width: 200, height: 160, channels: 3, background: { r: 120, g: 130, b: 140 } } })
      .png()
      .toFile(blank);
    const photos = [sample('canada-095m.jpg'), blank, sample('astronaut.png')];
    const run = async (worker: boolean): Promise<{ lines: string[]; code: number | null; out: string }> => {
      const out = join(dir, worker ? 'worker' : 'main');
      const before = process.env.MIMIC_DETECTION_WORKER;
      process.env.MIMIC_DETECTION_WORKER = worker ? '1' : '0';
      try {
        const r = await runCli(['transfer', ...photos, '--expression', 'smile', '--out-dir', out], {
          timeoutMs: 600_000,
        });
        // the progress lines without their timings
        const lines = r.stderr
          .split('\n')
          .filter((line) => line.startsWith('['))
          .map((line) => line.replace(/ \(\d+\.\d+ s\)$/, '').replaceAll(out, 'OUT'));
        return { lines, code: r.code, out };
      } finally {
        if (before === undefined) delete process.env.MIMIC_DETECTION_WORKER;
        else process.env.MIMIC_DETECTION_WORKER = before;
      }
    };
    const inWorker = await run(true);
    const inMain = await run(false);
    assert.equal(inWorker.code, 1);
    assert.equal(inMain.code, 1);
    assert.deepEqual(inWorker.lines, inMain.lines);
    assert.match(inWorker.lines[1]!, /blank\.png: failed: no face found/);
    assert.deepEqual((await readdir(inWorker.out)).sort(), ['astronaut.png', 'canada-095m.jpg']);
    assert.deepEqual((await readdir(inMain.out)).sort(), ['astronaut.png', 'canada-095m.jpg']);
    for (const name of await readdir(inMain.out))
      assert.ok(
        (await readFile(join(inWorker.out, name))).equals(await readFile(join(inMain.out, name))),
        `${name}: the same bytes`,
      );
  } finally {
    await cleanup();
  }
});

test('landmarks and align over a list: a missing photo fails by name, the rest are written', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const missing = join(dir, 'missing.jpg');
    const lm = await runCli([
      'landmarks',
      sample('canada-019f.jpg'),
      missing,
      sample('cc0-lisa1.jpg'),
      '--out-dir',
      join(dir, 'lm'),
    ]);
    assert.equal(lm.code, 1, lm.stderr);
    assert.match(lm.stderr, /missing\.jpg: failed: cannot read: ENOENT \(no such file or folder\)/);
    assert.deepEqual((await readdir(join(dir, 'lm'))).sort(), [
      'canada-019f.landmarks.json',
      'canada-019f.landmarks.png',
      'cc0-lisa1.landmarks.json',
      'cc0-lisa1.landmarks.png',
    ]);
    assert.equal((await readLandmarkFile(join(dir, 'lm', 'cc0-lisa1.landmarks.json'))).points.length, 68);

    const al = await runCli([
      'align',
      sample('canada-019f.jpg'),
      sample('canada-095m.jpg'),
      '--out-dir',
      join(dir, 'al'),
    ]);
    assert.equal(al.code, 0, al.stderr);
    assert.match(al.stderr, /2 of 2 photos done/);
    const crop = await sharp(join(dir, 'al', 'canada-095m.aligned.png')).metadata();
    assert.deepEqual([crop.width, crop.height], [64, 64]);
  } finally {
    await cleanup();
  }
});

test('batch usage mistakes fail before any work, with one line', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const two = [sample('canada-019f.jpg'), sample('canada-095m.jpg')];
    const r1 = await runCli(['align', ...two, '--out', join(dir, 'x.png')]);
    assert.equal(r1.code, 2);
    assert.match(r1.stderr, /--out names one file; for several photos or a folder use --out-dir/);
    const r2 = await runCli(['transfer', ...two, '--expression', 'smile']);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /several photos need --out-dir/);
    const empty = join(dir, 'empty');
    await mkdir(empty);
    const r3 = await runCli(['landmarks', empty, '--out-dir', join(dir, 'o')]);
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /empty: no photos in this folder/);
    assert.deepEqual(await readdir(dir), ['empty']);
  } finally {
    await cleanup();
  }
});

test('a batch never writes over one of its photos, nor two photos to one file', () => {
  assert.throws(() => planBatch(['in/a.jpg'], 'in', () => '.jpg'), /would replace the photo in\/a\.jpg/);
  assert.throws(
    () => planBatch(['x/a.jpg', 'y/a.png'], 'out', () => '.png'),
    /x\/a\.jpg and y\/a\.png would both write out\/a\.png/,
  );
  assert.deepEqual(
    planBatch(['x/a.jpg', 'y/b.webp'], 'out', (p) => (p.endsWith('.jpg') ? '.jpg' : '.png')).map(
      (j) => j.out,
    ),
    ['out/a.jpg', 'out/b.png'],
  );
});

test('a photo named twice (a folder and a file in it) is done once', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await copyFile(sample('canada-019f.jpg'), join(dir, 'a.jpg'));
    await copyFile(sample('canada-095m.jpg'), join(dir, 'b.jpg'));
    assert.deepEqual(await expandPhotos([dir, join(dir, 'a.jpg'), `${dir}/./b.jpg`]), [
      join(dir, 'a.jpg'),
      join(dir, 'b.jpg'),
    ]);
  } finally {
    await cleanup();
  }
});
