// mimic eval with a model: the fold it was trained without is found from the model folder, folds it was trained
// on are refused, and a training run's checkpoint is scored with exactly the weights it holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend } from '../../src/engine/backend.js';
import { saveMimicModel } from '../../src/model/io.js';
import { generateFaces } from '../../src/model/inference.js';
import { readWeights, weightVariables } from '../../src/model/weights.js';
import { saveCheckpoint } from '../../src/model/checkpoint.js';
import { loadCheckpointForEval } from '../../src/eval/checkpointModel.js';
import type { EvalReport } from '../../src/eval/report.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/paths.js';
import { TINY_MODEL_CONFIG as TINY, tinyModel } from '../helpers/tinyModel.js';

await initBackend();

const FIXTURE = 'test/fixtures/eval/frl-mini';

test('an untrained model is scored on the fold it was trained without, and loses to both baselines', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await saveMimicModel(join(dir, 'model'), tinyModel(11, { data: FIXTURE, fold: 1 }));
    const out = join(dir, 'report.json');
    const r = await runCli(['eval', '--data', FIXTURE, '--model', join(dir, 'model'), '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /scoring fold 1\b/);
    const report = JSON.parse(await readFile(out, 'utf8')) as EvalReport;
    assert.deepEqual(report.folds[0]!.subjects, ['003', '004']);
    assert.equal(report.models['1'], join(dir, 'model'));
    const model = report.summary.model!;
    assert.ok(model.ssimRgb!.mean < report.summary.identity!.ssimRgb!.mean);
    const vsWarp = report.comparisons.find((c) => c.baseline === 'warp' && c.metric === 'psnr')!;
    assert.ok(vsWarp.difference.mean < 0 && vsWarp.wins === 0, 'noise never beats the warp');
    assert.match(await readFile(join(dir, 'report.md'), 'utf8'), /\| Mimic model \|/);

    const seen = await runCli([
      'eval',
      '--data',
      FIXTURE,
      '--model',
      join(dir, 'model'),
      '--fold',
      '0',
      '--out',
      out,
    ]);
    assert.equal(seen.code, 2);
    assert.match(seen.stderr, /trained with fold 1 held out: the people of fold 0 were in its training data/);
  } finally {
    await cleanup();
  }
});

test('a checkpoint is evaluated with its own weights, BatchNorm statistics included', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const model = tinyModel(11, { data: FIXTURE, fold: 0 });
    await saveCheckpoint(dir, {
      state: {
        version: 1,
        step: 40,
        logLines: 40,
        wallSeconds: 1,
        rngState: 1,
        sampler: { epoch: 0, position: 0, order: [] },
        config: TINY,
        seed: 1,
        data: FIXTURE,
        fold: 0,
      },
      weights: readWeights(weightVariables(model)),
      optimizer: {},
    });
    const loaded = await loadCheckpointForEval(dir);
    assert.equal(loaded.heldOutFold, 0);
    assert.equal(loaded.step, 40);
    const crops = Float32Array.from({ length: 2 * 64 * 64 * 3 }, (_, i) => Math.sin(i) * 0.9);
    const marks = Float32Array.from({ length: 2 * 136 }, (_, i) => Math.cos(i) * 0.5);
    const sources = Float32Array.from({ length: 2 * 136 }, (_, i) => Math.sin(i) * 0.5);
    assert.deepEqual(
      await loaded.generate(crops, sources, marks, 2),
      await generateFaces(model, crops, sources, marks, 2),
    );
  } finally {
    await cleanup();
  }
});
