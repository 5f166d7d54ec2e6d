/**
 * Which way of using another person's landmarks reproduces a real expression better: measured on held-out people
 * of a prepared data set. For every ordered pair (i, j) of held-out people with both expressions, the input is
 * i's `from` photo (neutral) and the "like" photo is j's `to` photo (smile); the output is compared with i's real
 * `to` photo:
 * - absolute: j's landmarks as they are (the paper);
 * - relative (preset): i's landmarks + (j's − the mean neutral of the training people);
 * - relative (like-neutral): i's landmarks + (j's − j's own neutral landmarks);
 * and two references: i's own real `to` landmarks (the best any landmark choice can do) and the input copied.
 */
import { cacheImage, cacheLandmarks, type DataCache } from '../../src/data/cache.js';
import { foldSubjects } from '../../src/data/split.js';
import { psnr } from '../../src/eval/psnr.js';
import { ssimGray, ssimRgb } from '../../src/eval/ssim.js';
import { meanStd, type MeanStd } from '../../src/eval/stats.js';
import { imageToUnitRange, unitRangeToImage, type RgbImage } from '../../src/image/rgbImage.js';
import { generateInBatches, type ExpressionModel } from '../../src/model/inference.js';
import { LANDMARK_VALUES } from '../../src/face/landmarks.js';

export const COMPARED = [
  'absolute',
  'relativePreset',
  'relativeLikeNeutral',
  'ownTarget',
  'inputCopy',
] as const;
export type Compared = (typeof COMPARED)[number];

export interface ModeScores {
  ssimGray: MeanStd;
  ssimRgb: MeanStd;
  psnr: MeanStd;
}

export interface ModeComparison {
  fold: number;
  people: number;
  pairs: number;
  scores: Record<Compared, ModeScores>;
  /** Share of pairs where relative (preset) beats absolute, by SSIM (gray). */
  relativeWinShare: number;
}

type Generate = ExpressionModel['generate'];

export async function compareLikeModes(
  cache: DataCache,
  fold: number,
  generate: Generate,
  from = 'neutral',
  to = 'smile',
): Promise<ModeComparison> {
  const { manifest } = cache;
  const size = manifest.size;
  const { train, test } = foldSubjects(manifest.split.folds, fold);
  // The neutral mean of the training people only: held-out faces must not shape the preset.
  const neutralMean = new Float64Array(LANDMARK_VALUES);
  let count = 0;
  for (const item of manifest.items)
    if (train.has(item.subject) && item.expression === from) {
      cacheLandmarks(cache, item.index).forEach((v, i) => (neutralMean[i]! += v));
      count++;
    }
  neutralMean.forEach((v, i) => (neutralMean[i] = v / count));

  const people: { from: number; to: number }[] = [];
  for (const subject of [...test].sort()) {
    const a = manifest.items.find((i) => i.subject === subject && i.expression === from);
    const b = manifest.items.find((i) => i.subject === subject && i.expression === to);
    if (a && b) people.push({ from: a.index, to: b.index });
  }
  const generated: Exclude<Compared, 'inputCopy'>[] = [
    'absolute',
    'relativePreset',
    'relativeLikeNeutral',
    'ownTarget',
  ];
  const inputs: Float32Array[] = [];
  const sources: Float32Array[] = [];
  const targets: Float32Array[] = [];
  const reals: RgbImage[] = [];
  const copies: RgbImage[] = [];
  for (const i of people)
    for (const j of people) {
      if (i === j) continue;
      const own = cacheLandmarks(cache, i.from);
      const theirs = cacheLandmarks(cache, j.to);
      const theirNeutral = cacheLandmarks(cache, j.from);
      const byMethod: Record<(typeof generated)[number], Float32Array> = {
        absolute: Float32Array.from(theirs),
        relativePreset: own.map((v, k) => v + theirs[k]! - neutralMean[k]!),
        relativeLikeNeutral: own.map((v, k) => v + theirs[k]! - theirNeutral[k]!),
        ownTarget: Float32Array.from(cacheLandmarks(cache, i.to)),
      };
      const crop = imageToUnitRange(cacheImage(cache, i.from));
      for (const method of generated) {
        inputs.push(crop);
        sources.push(own);
        targets.push(byMethod[method]);
      }
      reals.push(cacheImage(cache, i.to));
      copies.push(cacheImage(cache, i.from));
    }
  const pixels = size * size * 3;
  const crops = new Float32Array(inputs.length * pixels);
  const marks = new Float32Array(inputs.length * LANDMARK_VALUES);
  const owns = new Float32Array(inputs.length * LANDMARK_VALUES);
  inputs.forEach((c, k) => crops.set(c, k * pixels));
  sources.forEach((o, k) => owns.set(o, k * LANDMARK_VALUES));
  targets.forEach((t, k) => marks.set(t, k * LANDMARK_VALUES));
  const out = await generateInBatches(generate, crops, owns, marks, inputs.length);
  const image = (k: number): RgbImage =>
    unitRangeToImage(out.subarray(k * pixels, (k + 1) * pixels), size, size);

  const values: Record<Compared, { ssimGray: number[]; ssimRgb: number[]; psnr: number[] }> =
    Object.fromEntries(COMPARED.map((m) => [m, { ssimGray: [], ssimRgb: [], psnr: [] }])) as never;
  let wins = 0;
  reals.forEach((real, p) => {
    const add = (method: Compared, img: RgbImage): number => {
      const s = ssimGray(img, real);
      values[method].ssimGray.push(s);
      values[method].ssimRgb.push(ssimRgb(img, real));
      values[method].psnr.push(psnr(img, real));
      return s;
    };
    const scores = generated.map((method, m) => add(method, image(p * generated.length + m)));
    if (scores[1]! > scores[0]!) wins++;
    add('inputCopy', copies[p]!);
  });
  const summary = (xs: number[]): MeanStd => meanStd(xs) ?? { mean: NaN, std: NaN, n: 0 };
  return {
    fold,
    people: people.length,
    pairs: reals.length,
    scores: Object.fromEntries(
      COMPARED.map((m) => [
        m,
        {
          ssimGray: summary(values[m].ssimGray),
          ssimRgb: summary(values[m].ssimRgb),
          psnr: summary(values[m].psnr),
        },
      ]),
    ) as Record<Compared, ModeScores>,
    relativeWinShare: reals.length ? wins / reals.length : NaN,
  };
}

export function comparisonTable(c: ModeComparison): string {
  const f = (s: MeanStd, digits: number): string => `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}`;
  const lines = [
    `fold ${c.fold}: ${c.people} held-out people, ${c.pairs} ordered pairs (input i neutral, like = j smile, vs i's real smile)`,
    '| landmarks | SSIM gray | SSIM RGB | PSNR (dB) |',
    '| --- | --- | --- | --- |',
    ...COMPARED.map((m) => {
      const s = c.scores[m];
      return `| ${m} | ${f(s.ssimGray, 4)} | ${f(s.ssimRgb, 4)} | ${f(s.psnr, 2)} |`;
    }),
    `relative (preset) beats absolute on SSIM gray in ${(100 * c.relativeWinShare).toFixed(0)}% of pairs`,
  ];
  return lines.join('\n');
}
