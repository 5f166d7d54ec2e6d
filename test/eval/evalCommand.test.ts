import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/paths.js';
import type { EvalReport } from '../../src/eval/report.js';

const FIXTURE = 'test/fixtures/eval/frl-mini';

test('mimic eval without a model scores the baselines on every fold and writes JSON + Markdown', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const out = join(dir, 'report.json');
    const grid = join(dir, 'grid.png');
    const r = await runCli(['eval', '--data', FIXTURE, '--all-folds', '--out', out, '--grid', grid]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /fold 0: 4\/4 triplets scored/);
    assert.match(r.stdout, /fold 1: 4\/4 triplets scored/);
    const report = JSON.parse(await readFile(out, 'utf8')) as EvalReport;
    assert.equal(report.summaryOver, 'folds');
    assert.deepEqual(
      report.folds.map((f) => f.triplets.length),
      [4, 4],
    );
    assert.equal(report.summary.model, undefined);
    assert.equal(report.summary.warp!.ssimRgb!.n, 2);
    // fold 0's 4 triplets, columns input | warp | target (no model), 64-pixel crops with 2-pixel gaps
    const picture = await sharp(grid).metadata();
    assert.deepEqual([picture.width, picture.height], [3 * 64 + 2 * 2, 4 * 64 + 3 * 2]);
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    assert.match(md, /\| piecewise-affine warp \| 0\.\d{3} ± 0\.\d{3} \|/);
    assert.match(md, /### Fold 1 \(2 people, 4 triplets\)/);
  } finally {
    await cleanup();
  }
});

test('mimic eval: clear one-line errors, missing model folders skipped with a notice', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const out = join(dir, 'r.json');
    const noData = await runCli(['eval', '--fold', '0', '--out', out]);
    assert.equal(noData.code, 2);
    assert.match(noData.stderr, /--data is required/);
    const noPattern = await runCli([
      'eval',
      '--data',
      FIXTURE,
      '--all-folds',
      '--model',
      'runs/x',
      '--out',
      out,
    ]);
    assert.equal(noPattern.code, 2);
    assert.match(noPattern.stderr, /must contain \{k\}/);
    // The report is JSON (its table goes beside it as .md): a Markdown name for it is refused, nothing written.
    const markdown = await runCli(['eval', '--data', FIXTURE, '--fold', '0', '--out', join(dir, 'r.md')]);
    assert.equal(markdown.code, 2);
    assert.match(markdown.stderr, /--out names the JSON report, e\.g\. report\.json/);
    assert.deepEqual(await readdir(dir), []);
    // The shipped model saw every person: said, with what can be scored instead.
    const shipped = await runCli([
      'eval',
      '--data',
      FIXTURE,
      '--fold',
      '0',
      '--model',
      'models/default',
      '--out',
      out,
    ]);
    assert.equal(shipped.code, 2);
    assert.match(shipped.stderr, /trained on every person.*leave out --model to score the baselines alone/);
    const missing = await runCli([
      'eval',
      '--data',
      FIXTURE,
      '--all-folds',
      '--model',
      join(dir, 'fold{k}/model'),
      '--out',
      out,
    ]);
    assert.equal(missing.code, 3);
    assert.match(missing.stdout, /fold 0: no model at .*fold0\/model, skipped/);
    assert.match(missing.stderr, /no fold could be evaluated/);
    assert.doesNotMatch(missing.stderr, /at .*\.ts:\d+/, 'no stack trace');
  } finally {
    await cleanup();
  }
});

test('mimic eval refuses ratio images averaged over the held-out people, and scores ones made without them', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const out = join(dir, 'r.json');
    // The shipped ratio image is averaged over every FRL person, the fixture's held-out ones included.
    const leaked = await runCli([
      'eval',
      '--data',
      FIXTURE,
      '--fold',
      '0',
      '--ratio-images',
      'models/default',
      '--out',
      out,
    ]);
    assert.equal(leaked.code, 2);
    assert.match(leaked.stderr, /averaged over held-out people of fold 0 \(001, 002\).*--exclude-fold 0/);
    assert.equal(existsSync(out), false, 'no report written');
    // The same image with the held-out people removed from its list is accepted and adds the shaded row.
    const ratio = JSON.parse(await readFile('models/default/ratio-smile.json', 'utf8')) as {
      subjects: string[];
    };
    ratio.subjects = ratio.subjects.filter((s) => s !== '001' && s !== '002');
    const clean = join(dir, 'ratios');
    await mkdir(clean);
    await writeFile(join(clean, 'ratio-smile.json'), JSON.stringify(ratio));
    const ok = await runCli([
      'eval',
      '--data',
      FIXTURE,
      '--fold',
      '0',
      '--ratio-images',
      clean,
      '--out',
      out,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    const report = JSON.parse(await readFile(out, 'utf8')) as EvalReport;
    assert.equal(report.summary.warpMouth!.ssimRgb!.n, 4);
  } finally {
    await cleanup();
  }
});
