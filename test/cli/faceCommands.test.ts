import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { runCli } from '../helpers/cli.js';
import { sample, tempDir } from '../helpers/paths.js';
import { readLandmarkFile } from '../../src/face/landmarkFile.js';

test('mimic landmarks and mimic align write the overlay, crop and landmark files', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const overlay = join(dir, 'overlay.png');
    const lm = join(dir, 'lm.json');
    const r1 = await runCli(['landmarks', sample('canada-019f.jpg'), '--out', overlay, '--json', lm]);
    assert.equal(r1.code, 0, r1.stderr);
    assert.match(r1.stdout, /1 face found/);
    assert.equal((await sharp(overlay).metadata()).width, 675);
    const file = await readLandmarkFile(lm);
    assert.equal(file.space, 'image');

    const crop = join(dir, 'crop.png');
    const aligned = join(dir, 'aligned.json');
    const r2 = await runCli([
      'align',
      sample('canada-019f.jpg'),
      '--out',
      crop,
      '--json',
      aligned,
      '--size',
      '128',
      '--align',
      'affine3',
    ]);
    assert.equal(r2.code, 0, r2.stderr);
    const meta = await sharp(crop).metadata();
    assert.deepEqual([meta.width, meta.height], [128, 128]);
    assert.equal((await readLandmarkFile(aligned)).space, 'normalized');

    // Without --out, both write to the current folder, never beside the photo (its folder is not theirs to fill).
    const photos = join(dir, 'photos');
    const work = join(dir, 'work');
    await mkdir(photos);
    await mkdir(work);
    await copyFile(sample('canada-019f.jpg'), join(photos, 'me.jpg'));
    for (const command of ['align', 'landmarks']) {
      const r = await runCli([command, join(photos, 'me.jpg')], { cwd: work });
      assert.equal(r.code, 0, r.stderr);
    }
    assert.deepEqual(await readdir(photos), ['me.jpg']);
    assert.deepEqual((await readdir(work)).sort(), ['me.aligned.png', 'me.landmarks.png']);
  } finally {
    await cleanup();
  }
});

test('bad input on the command line: one clear line, non-zero exit, no stack trace, nothing written', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const notImage = join(dir, 'notes.jpg');
    await writeFile(notImage, 'hello');
    const blank = join(dir, 'blank.png');
    await sharp({ create: { width: 200, height: 200, channels: 3, background: '#888' } })
      .png()
      .toFile(blank);
    const cases: [string[], RegExp][] = [
      [['align', notImage, '--out', join(dir, 'a.png')], /not an image/],
      [['align', blank, '--out', join(dir, 'b.png')], /no face found/],
      [
        ['align', join(dir, 'missing.jpg'), '--out', join(dir, 'c.png')],
        /cannot read: ENOENT \(no such file or folder\)/,
      ],
      [
        ['align', sample('canada-019f.jpg'), '--out', join(dir, 'd.png'), '--face', '3'],
        /out of range: 1 face found/,
      ],
      [['align', sample('canada-019f.jpg'), '--out', join(dir, 'e.gif')], /unsupported image extension/],
      [['align', sample('canada-019f.jpg'), '--size', 'big'], /--size must be a whole number/],
      [['prepare', dir, '--layout', 'frl', '--out', join(dir, 'cache')], /not the FRL layout/],
      [
        ['align', sample('canada-019f.jpg'), '--bogus'],
        /unknown option --bogus; `mimic align --help` lists the options/,
      ],
      // A folder as the output is said to be one (it was: unsupported image extension, with an empty one).
      [
        ['align', sample('canada-019f.jpg'), '--out', dir],
        /cannot write .*: it is a folder \(name a file in it\)/,
      ],
      [['landmarks', sample('canada-019f.jpg'), '--out', `${dir}/`], /it is a folder/],
      [['transfer', sample('canada-019f.jpg'), '--expression', 'smile', '--out', dir], /it is a folder/],
      [['animate', sample('canada-019f.jpg'), '--keys', 'input,smile', '--out', dir], /it is a folder/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      assert.notEqual(r.code, 0, args.join(' '));
      assert.match(r.stderr, message, args.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    for (const name of ['a.png', 'b.png', 'c.png', 'd.png', 'e.gif', 'cache'])
      await assert.rejects(access(join(dir, name)));
    assert.ok((await readFile(notImage, 'utf8')) === 'hello');
  } finally {
    await cleanup();
  }
});

test('MIMIC_DETECTOR=ssd switches back to the SSD detector; a value it does not know is one clear line', async () => {
  const { dir, cleanup } = await tempDir();
  const saved = process.env.MIMIC_DETECTOR;
  try {
    const points: Record<string, [number, number][]> = {};
    for (const detector of ['tiny', 'ssd']) {
      process.env.MIMIC_DETECTOR = detector;
      const json = join(dir, `${detector}.json`);
      const r = await runCli(['landmarks', sample('canada-095m.jpg'), '--json', json]);
      assert.equal(r.code, 0, r.stderr);
      points[detector] = (await readLandmarkFile(json)).points;
    }
    // Both find the face; the switch really changes which detector placed the points.
    const apart = points.tiny!.map((p, i) =>
      Math.hypot(p[0] - points.ssd![i]![0], p[1] - points.ssd![i]![1]),
    );
    const mean = apart.reduce((s, d) => s + d, 0) / apart.length;
    assert.ok(mean > 0.1 && mean < 8, `the two detectors' points ${mean.toFixed(2)} px apart on average`);

    process.env.MIMIC_DETECTOR = 'yolo';
    const out = join(dir, 'x.png');
    const r = await runCli(['align', sample('canada-095m.jpg'), '--out', out]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /MIMIC_DETECTOR must be one of tiny, ssd \(got "yolo"\)/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    await assert.rejects(access(out));
  } finally {
    if (saved === undefined) delete process.env.MIMIC_DETECTOR;
    else process.env.MIMIC_DETECTOR = saved;
    await cleanup();
  }
});
