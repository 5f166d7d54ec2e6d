import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  byDirection,
  compareToBaselines,
  reportMarkdown,
  summarizeFolds,
  summaryTable,
  CONVENTIONS,
  type EvalReport,
} from '../../src/eval/report.js';
import { summarize, type FoldResult, type Scores, type TripletResult } from '../../src/eval/evaluate.js';

function scores(ssim: number, psnr: number): Scores {
  return {
    ssimGray: ssim,
    ssimRgb: ssim,
    psnr,
    identityDistance: 0.3,
    sameIdentity: 1,
    expressionMatch: ssim > 0.5 ? 1 : 0,
    landmarkError: 0.05,
    mouthInterior: null,
  };
}

function fold(fold: number, modelSsims: number[]): FoldResult {
  const triplets: TripletResult[] = modelSsims.map((v, i) => ({
    subject: `${fold}-${i}`,
    input: 'a',
    target: 'b',
    from: 'neutral',
    to: 'smile',
    scores: { model: scores(v, 20 + v), identity: scores(0.5, 18) },
  }));
  return {
    fold,
    subjects: triplets.map((t) => t.subject),
    triplets,
    summary: summarize(triplets),
    wallSeconds: 1,
  };
}

test('one fold is summarised over triplets, several folds over per-fold means', () => {
  const a = fold(0, [0.6, 0.8]); // mean 0.7 over 2 triplets
  const b = fold(1, [0.9, 0.9, 0.9, 0.9]); // mean 0.9 over 4 triplets
  assert.ok(Math.abs(a.summary.model!.ssimRgb!.mean - 0.7) < 1e-12);
  assert.ok(Math.abs(a.summary.model!.ssimRgb!.std - Math.sqrt(0.02)) < 1e-12);
  const over = summarizeFolds([a, b]);
  // each fold counts once: (0.7 + 0.9) / 2, not the triplet mean 0.833…
  assert.ok(Math.abs(over.model!.ssimRgb!.mean - 0.8) < 1e-12);
  assert.ok(Math.abs(over.model!.ssimRgb!.std - Math.sqrt(0.02)) < 1e-12);
  assert.equal(over.model!.ssimRgb!.n, 2);
  assert.equal(over.warp, undefined);
});

test('the Markdown report has one table row per method with mean ± std, and the conventions', () => {
  const f = fold(0, [0.6, 0.8]);
  const table = summaryTable(f.summary);
  const lines = table.split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[2]!, /^\| Mimic model \| 0\.700 ± 0\.141 \| 0\.700 ± 0\.141 \| 20\.70 ± 0\.14 \|/);
  assert.match(lines[3]!, /^\| identity copy \(input\) \| 0\.500 ± 0\.000 .* \| 0 ± 0 % \|/);
  const report: EvalReport = {
    format: 'mimic-eval',
    version: 1,
    createdAt: 'now',
    data: 'cache/frl',
    models: { '0': 'runs/frl-fold0/model' },
    skippedFolds: [],
    conventions: CONVENTIONS,
    summary: f.summary,
    summaryOver: 'triplets',
    folds: [f],
    comparisons: compareToBaselines([f]),
    wallSeconds: 3,
  };
  const md = reportMarkdown(report, 'mimic eval --model m --data cache/frl --fold 0 --out r.json');
  assert.match(md, /fold 0: 2 held-out people, 2 triplets/);
  assert.match(md, /mimic eval --model m/);
  assert.match(md, /K1=0\.01, K2=0\.03/);
  assert.ok(md.includes(table));
  // model 0.6 and 0.8 vs identity copy 0.5: +0.2 ± 0.141 on average, better on both triplets
  assert.match(md, /- ssimRgb vs identity copy \(input\): \+0\.200 ± 0\.141; better on 100 % of 2/);
});

test('triplets are also summarised per expression change, pooled over folds', () => {
  const a = fold(0, [0.6, 0.8]);
  const b = fold(1, [0.9]);
  b.triplets[0]!.from = 'smile';
  b.triplets[0]!.to = 'neutral';
  const groups = byDirection([a, b]);
  assert.deepEqual(
    groups.map((g) => [g.direction, g.count]),
    [
      ['neutral → smile', 2],
      ['smile → neutral', 1],
    ],
  );
  assert.ok(Math.abs(groups[0]!.summary.model!.ssimRgb!.mean - 0.7) < 1e-12);
  assert.equal(groups[1]!.summary.model!.ssimRgb!.mean, 0.9);
});
