import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readerFor } from '../../src/data/readers/index.js';
import { sample, tempDir } from '../helpers/paths.js';

async function place(root: string, path: string, from = sample('canada-019f.jpg')): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await copyFile(from, join(root, path));
}

async function text(root: string, path: string, content: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
}

test('frl reader: neutral and smiling folders, subject from the file number', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await place(dir, 'neutral/001_03.jpg');
    await place(dir, 'neutral/002_03.jpg');
    await place(dir, 'smiling/001_08.jpg');
    await text(dir, 'neutral/notes.txt', 'ignored');
    const entries = await readerFor('frl').read(dir);
    assert.deepEqual(
      entries.map((e) => [e.source, e.subject, e.expression]),
      [
        ['neutral/001_03.jpg', '001', 'neutral'],
        ['neutral/002_03.jpg', '002', 'neutral'],
        ['smiling/001_08.jpg', '001', 'smile'],
      ],
    );
    await assert.rejects(readerFor('frl').read(join(dir, 'neutral')), /not the FRL layout/);
  } finally {
    await cleanup();
  }
});

test('ckplus reader: first frame neutral, last frame labelled, shipped landmarks used, unlabelled skipped', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    for (const f of [1, 2, 3]) await place(dir, `cohn-kanade-images/S005/001/S005_001_0000000${f}.png`);
    await text(dir, 'Emotion/S005/001/S005_001_00000003_emotion.txt', '   5.0000000e+00\n');
    const lm = Array.from(
      { length: 68 },
      (_, i) => `   ${(100 + i).toFixed(7)}e+00   ${(200 + i / 2).toFixed(7)}e+00`,
    ).join('\n');
    await text(dir, 'Landmarks/S005/001/S005_001_00000001_landmarks.txt', lm + '\n');
    // Sequence without a label: skipped, as CK+ labels only prototypic sequences.
    for (const f of [1, 2]) await place(dir, `cohn-kanade-images/S010/002/S010_002_0000000${f}.png`);
    const entries = await readerFor('ckplus').read(dir);
    assert.equal(entries.length, 2);
    assert.deepEqual([entries[0]!.expression, entries[1]!.expression], ['neutral', 'happy']);
    assert.equal(entries[0]!.source, 'cohn-kanade-images/S005/001/S005_001_00000001.png');
    assert.equal(entries[1]!.source, 'cohn-kanade-images/S005/001/S005_001_00000003.png');
    assert.deepEqual(entries[0]!.landmarks![3], [103, 201.5]);
    assert.equal(entries[1]!.landmarks, undefined);
    await text(dir, 'Emotion/S005/001/S005_001_00000003_emotion.txt', '9\n');
    await assert.rejects(readerFor('ckplus').read(dir), /label must be 0–7/);
  } finally {
    await cleanup();
  }
});

test('multipie reader: expression from session and recording, only the chosen cameras and illumination', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await place(dir, 'data/session01/multiview/001/01/05_1/001_01_01_051_07.png');
    await place(dir, 'data/session01/multiview/001/02/05_1/001_01_02_051_07.png');
    await place(dir, 'data/session01/multiview/001/02/05_1/001_01_02_051_03.png'); // other illumination
    await place(dir, 'data/session01/multiview/001/02/19_0/001_01_02_190_07.png'); // profile camera
    await place(dir, 'data/session02/multiview/002/02/14_0/002_02_02_140_07.png');
    await place(dir, 'data/session03/multiview/002/03/05_0/002_03_03_050_07.png');
    const entries = await readerFor('multipie').read(dir);
    assert.deepEqual(
      entries.map((e) => [e.subject, e.expression]),
      [
        ['001', 'neutral'],
        ['001', 'smile'],
        ['002', 'surprise'],
        ['002', 'disgust'],
      ],
    );
    const profile = await readerFor('multipie').read(dir, { cameras: '19_0' });
    assert.deepEqual(
      profile.map((e) => e.expression),
      ['smile'],
    );
  } finally {
    await cleanup();
  }
});

test('folders reader: <subject>/<expression>/<images>', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await place(dir, 'ann/neutral/a.jpg');
    await place(dir, 'ann/surprise/b.jpg');
    await place(dir, 'bob/neutral/c.png');
    await text(dir, 'bob/neutral/readme.md', 'not an image');
    const entries = await readerFor('folders').read(dir);
    assert.deepEqual(
      entries.map((e) => `${e.subject}:${e.expression}`),
      ['ann:neutral', 'ann:surprise', 'bob:neutral'],
    );
    assert.throws(() => readerFor('celeba'), /--layout must be one of frl, ckplus, multipie, folders/);
  } finally {
    await cleanup();
  }
});
