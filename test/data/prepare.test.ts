import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, writeFile, access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { spawn } from 'node:child_process';
import { prepareDataset } from '../../src/data/prepare.js';
import { readDataCache, cacheLandmarks } from '../../src/data/cache.js';
import { canonicalPoints, DEFAULT_ALIGNMENT } from '../../src/face/align.js';
import { REPO_ROOT, sample, tempDir } from '../helpers/paths.js';

async function place(root: string, path: string, from: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await copyFile(from, join(root, path));
}

test('prepare: aligned crops, normalized landmarks, labels, split; bad files skipped and reported', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const data = join(dir, 'data');
    await place(data, 'ann/neutral/1.jpg', sample('canada-019f.jpg'));
    await place(data, 'ann/surprise/1.jpg', sample('canada-019f.jpg'));
    await place(data, 'bob/neutral/1.jpg', sample('canada-095m.jpg'));
    await place(data, 'cat/neutral/1.jpg', sample('composite-f_easian.jpg'));
    await mkdir(join(data, 'cat/smile'), { recursive: true });
    await writeFile(join(data, 'cat/smile/broken.jpg'), 'not a jpeg');
    const out = join(dir, 'cache');
    const progress: string[] = [];
    const { manifest } = await prepareDataset({
      root: data,
      layout: 'folders',
      out,
      folds: 3,
      onProgress: (d, t, s) => progress.push(`${d}/${t} ${s}`),
    });
    assert.equal(progress.length, 5);
    assert.equal(manifest.items.length, 4);
    assert.deepEqual(
      manifest.skipped.map((s) => s.source),
      ['cat/smile/broken.jpg'],
    );
    assert.match(manifest.skipped[0]!.reason, /not an image/);
    assert.deepEqual(manifest.labels, ['neutral', 'surprise']);
    assert.deepEqual(manifest.split.folds.flat().sort(), ['ann', 'bob', 'cat']);

    const cache = await readDataCache(out);
    assert.equal(cache.images.length, 4 * 64 * 64 * 3);
    const c = canonicalPoints(DEFAULT_ALIGNMENT);
    for (let i = 0; i < 4; i++) {
      const lm = cacheLandmarks(cache, i);
      // Point 39 (right inner eye corner) sits at its canonical position, in [-1, 1] coordinates.
      assert.ok(Math.abs(lm[78]! - (c.rightInnerEye[0] / 32 - 1)) < 0.01);
      assert.ok(Math.abs(lm[79]! - (c.rightInnerEye[1] / 32 - 1)) < 0.01);
      for (const v of lm) assert.ok(v > -1.5 && v < 1.5);
    }
    // The crops are faces, not empty: plenty of contrast.
    const crop = cache.images.subarray(0, 64 * 64 * 3);
    const mean = crop.reduce((a, b) => a + b, 0) / crop.length;
    const sd = Math.sqrt(crop.reduce((a, b) => a + (b - mean) ** 2, 0) / crop.length);
    assert.ok(sd > 20, `crop standard deviation ${sd}`);
  } finally {
    await cleanup();
  }
});

test('a prepare killed half-way leaves no cache that looks complete', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const data = join(dir, 'data');
    for (let i = 0; i < 12; i++) await place(data, `p${i}/neutral/1.jpg`, sample('canada-019f.jpg'));
    const out = join(dir, 'cache');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO_ROOT, 'src/cli/run-dev.ts'),
        'prepare',
        data,
        '--layout',
        'folders',
        '--out',
        out,
        '--folds',
        '2',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    // Kill it as soon as the first photos are done.
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        if (/prepare [1-3]\/12/.test(d.toString())) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('close', () => resolve());
    });
    await new Promise((r) => child.on('close', r));
    await assert.rejects(access(join(out, 'manifest.json')));
    await assert.rejects(readDataCache(out), /not a prepared data set/);
  } finally {
    await cleanup();
  }
});
