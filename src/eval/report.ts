/**
 * The evaluation report: a JSON file with every triplet's scores and the summaries, and a Markdown table.
 * One fold: mean ± standard deviation over its triplets. Several folds: the mean over triplets is taken per
 * fold first, then mean ± standard deviation of those per-fold means (each fold counts once, whatever its size).
 */
import { LUMA_WEIGHTS } from '../image/rgbImage.js';
import { SSIM_K1, SSIM_K2, SSIM_RADIUS, SSIM_SIGMA } from './ssim.js';
import { READOUT_SIZE, SAME_PERSON_DISTANCE } from './faceReadout.js';
import {
  METHOD_TITLES,
  METHODS,
  METRICS,
  summarize,
  type FoldResult,
  type Method,
  type Metric,
} from './evaluate.js';
import { meanStd, type MeanStd } from './stats.js';
import type { AnimationCheckResult } from './animation.js';

export const REPORT_FORMAT = 'mimic-eval';
export const REPORT_VERSION = 1;

export type Summary = Partial<Record<Method, Record<Metric, MeanStd | null>>>;

export interface EvalReport {
  format: typeof REPORT_FORMAT;
  version: number;
  createdAt: string;
  data: string;
  /** Model folder per evaluated fold. */
  models: Record<string, string>;
  /** Folds asked for whose model folder did not exist. */
  skippedFolds: { fold: number; reason: string }[];
  conventions: Record<string, string>;
  /** Over folds (per-fold means) when several folds were scored, else over the one fold's triplets. */
  summary: Summary;
  summaryOver: 'triplets' | 'folds';
  folds: FoldResult[];
  /** Paired, per-triplet differences of the model against each baseline (all folds pooled). */
  comparisons: Comparison[];
  animation?: AnimationCheckResult[];
  wallSeconds: number;
}

export const CONVENTIONS: Record<string, string> = {
  resolution: 'all image metrics at the crop/model resolution (64×64 for the shipped model), 8-bit RGB',
  ssim:
    `Wang et al. 2004 as scikit-image structural_similarity(gaussian_weights=True, sigma=${SSIM_SIGMA}, ` +
    `use_sample_covariance=False, data_range=255): Gaussian window ${2 * SSIM_RADIUS + 1}×${2 * SSIM_RADIUS + 1}, ` +
    `σ=${SSIM_SIGMA}, K1=${SSIM_K1}, K2=${SSIM_K2}, L=255, population covariances; the SSIM map is averaged ` +
    `where the window lies fully inside the image (a ${SSIM_RADIUS}-pixel border dropped), so no padding enters`,
  ssimGray: `luma Y = ${LUMA_WEIGHTS[0]}·R + ${LUMA_WEIGHTS[1]}·G + ${LUMA_WEIGHTS[2]}·B (BT.601, floats, not rounded)`,
  ssimRgb: 'SSIM per R, G, B channel, averaged',
  psnr: '10·log10(255² / MSE), MSE over all pixels and the three channels',
  identity:
    `face-api face recognition net descriptor of the output vs of the real target, Euclidean distance; ` +
    `sameIdentity = share with distance < ${SAME_PERSON_DISTANCE}`,
  expression:
    "face-api expression net's top class on the output equals the target's label (smile/smiling → happy); " +
    'for the real target this share is the ceiling',
  landmarkError:
    "face-api 68-point landmark net on the output vs the target landmarks g_v, mean point distance / inter-ocular distance (eye centres) of g_v; for the real target it is the detector's floor",
  faceNets: `all face-api nets run on the whole aligned crop (no detector), upsampled to ${READOUT_SIZE}×${READOUT_SIZE} with Lanczos`,
  triplets:
    'held-out people only; every ordered pair of one person’s photos with different expressions (u → v, v ≠ u); same-expression pairs left out',
  warp: 'piecewise-affine warp of the input from its landmarks to g_v: Delaunay triangles over the 68 points plus the 4 crop corners and 4 edge midpoints, inverse mapping, bilinear sampling',
  pipeline:
    "what mimic transfer outputs, made at the crop's size: the warp paste (src/transfer/pasteModes.ts) with the crop as the photo, i.e. the warp plus the generator's change plus the mouth interior (--mouth-bank) and the expression ratio shading (--ratio-images, its strength from the target's landmark motion); warpMouth is the same without the generator, warpPaste without the generator, interior and shading",
  mouthInterior:
    'only where the target parts the lips beyond the input (interiorStrength > 0): share of pixels inside the target inner lips (60–67) that are teeth (luma ≥ 0.8× the skin ring around the mouth, low chroma) or cavity (luma < 0.5× the skin); a lip-coloured opening scores 0',
  spread:
    'one fold: mean ± sample standard deviation over triplets; several folds: mean ± sample standard deviation of the per-fold means',
};

/** Mean ± std over folds of the per-fold means. */
export function summarizeFolds(folds: FoldResult[]): Summary {
  const out: Summary = {};
  for (const method of METHODS) {
    if (!folds.some((f) => f.summary[method] !== undefined)) continue;
    const row = {} as Record<Metric, MeanStd | null>;
    for (const metric of METRICS) row[metric] = meanStd(folds.map((f) => f.summary[method]?.[metric]?.mean));
    out[method] = row;
  }
  return out;
}

export interface Comparison {
  method: Method;
  baseline: Method;
  metric: Metric;
  /** Mean ± std over triplets of (method − baseline). */
  difference: MeanStd;
  /** Share of triplets where the method scores higher. */
  wins: number;
}

const COMPARED_METRICS: Metric[] = ['ssimGray', 'ssimRgb', 'psnr'];

/**
 * Model (and the pipeline's output, and the warp with a mouth interior, where scored) vs identity copy and vs warp
 * on SSIM and PSNR, triplet by triplet (the same triplets for all).
 */
export function compareToBaselines(folds: FoldResult[]): Comparison[] {
  const out: Comparison[] = [];
  const triplets = folds.flatMap((f) => f.triplets);
  for (const method of ['model', 'pipeline', 'warpMouth'] as const)
    for (const baseline of ['identity', 'warp', 'warpPaste'] as const)
      for (const metric of COMPARED_METRICS) {
        const diffs: number[] = [];
        for (const t of triplets) {
          const a = t.scores[method]?.[metric];
          const b = t.scores[baseline]?.[metric];
          if (typeof a === 'number' && typeof b === 'number' && Number.isFinite(a - b)) diffs.push(a - b);
        }
        const difference = meanStd(diffs);
        if (difference)
          out.push({
            method,
            baseline,
            metric,
            difference,
            wins: diffs.filter((d) => d > 0).length / diffs.length,
          });
      }
  return out;
}

const COLUMNS: { metric: Metric; title: string; digits: number; percent?: boolean }[] = [
  { metric: 'ssimGray', title: 'SSIM gray ↑', digits: 3 },
  { metric: 'ssimRgb', title: 'SSIM RGB ↑', digits: 3 },
  { metric: 'psnr', title: 'PSNR dB ↑', digits: 2 },
  { metric: 'identityDistance', title: 'ID distance ↓', digits: 3 },
  { metric: 'sameIdentity', title: `ID < ${SAME_PERSON_DISTANCE} ↑`, digits: 0, percent: true },
  { metric: 'expressionMatch', title: 'expression read as target ↑', digits: 0, percent: true },
  { metric: 'landmarkError', title: 'landmark error / IOD ↓', digits: 3 },
  { metric: 'mouthInterior', title: 'teeth + cavity in opened lips ↑', digits: 0, percent: true },
];

function cell(value: MeanStd | null | undefined, digits: number, percent = false): string {
  if (!value) return '—';
  const k = percent ? 100 : 1;
  const unit = percent ? ' %' : '';
  return `${(value.mean * k).toFixed(digits)} ± ${(value.std * k).toFixed(digits)}${unit}`;
}

export function summaryTable(summary: Summary): string {
  const header = `| method | ${COLUMNS.map((c) => c.title).join(' | ')} |`;
  const rule = `|---|${COLUMNS.map(() => '---:').join('|')}|`;
  const rows = METHODS.filter((m) => summary[m] !== undefined).map(
    (m) =>
      `| ${METHOD_TITLES[m]} | ${COLUMNS.map((c) => cell(summary[m]![c.metric], c.digits, c.percent)).join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}

export function reportMarkdown(report: EvalReport, command?: string): string {
  const lines: string[] = [];
  const foldList = report.folds.map((f) => f.fold).join(', ');
  const triplets = report.folds.reduce((s, f) => s + f.triplets.length, 0);
  const people = report.folds.reduce((s, f) => s + f.subjects.length, 0);
  lines.push(`# Mimic evaluation`, '');
  lines.push(
    `Data: \`${report.data}\`; fold${report.folds.length === 1 ? '' : 's'} ${foldList}: ${people} held-out people, ${triplets} triplets. ` +
      `Spread: ${report.summaryOver === 'folds' ? `± std over ${report.folds.length} folds (per-fold means)` : '± std over triplets'}.`,
    '',
  );
  if (command) lines.push('```', command, '```', '');
  lines.push(summaryTable(report.summary), '');
  if (report.comparisons.length > 0) {
    lines.push(
      'Method minus baseline, triplet by triplet (mean ± std; share of triplets where the method is better):',
      '',
    );
    for (const c of report.comparisons)
      lines.push(
        `- ${c.method === 'model' ? '' : `${METHOD_TITLES[c.method]}: `}${c.metric} vs ${METHOD_TITLES[c.baseline]}: ${c.difference.mean >= 0 ? '+' : ''}${c.difference.mean.toFixed(c.metric === 'psnr' ? 2 : 3)} ± ${c.difference.std.toFixed(c.metric === 'psnr' ? 2 : 3)}; better on ${(c.wins * 100).toFixed(0)} % of ${c.difference.n}`,
      );
    lines.push('');
  }
  const selfLines = report.folds.flatMap((f) =>
    f.selfReconstruction
      ? [
          `- fold ${f.fold}: model given ${f.selfReconstruction.photos} held-out photos with their own landmarks (u = v), vs the photo itself: ` +
            `SSIM gray ${cell(f.selfReconstruction.ssimGray, 3)}, SSIM RGB ${cell(f.selfReconstruction.ssimRgb, 3)}, PSNR ${cell(f.selfReconstruction.psnr, 2)} dB`,
        ]
      : [],
  );
  if (selfLines.length > 0)
    lines.push(
      'Diagnostic (not in the table): how closely the model reproduces a photo when nothing has to change, its reconstruction fidelity.',
      '',
      ...selfLines,
      '',
    );
  const directions = byDirection(report.folds);
  if (directions.length > 1) {
    lines.push('## By direction', '', 'All triplets of the scored folds pooled; ± std over triplets.', '');
    for (const d of directions)
      lines.push(`### ${d.direction} (${d.count} triplets)`, '', summaryTable(d.summary), '');
  }
  if (report.folds.length > 1) {
    lines.push('## Per fold', '');
    for (const f of report.folds) {
      lines.push(`### Fold ${f.fold} (${f.subjects.length} people, ${f.triplets.length} triplets)`, '');
      lines.push(summaryTable(f.summary), '');
    }
  }
  if (report.skippedFolds.length > 0) {
    lines.push('Skipped: ' + report.skippedFolds.map((s) => `fold ${s.fold} (${s.reason})`).join('; '), '');
  }
  if (report.animation && report.animation.length > 0) {
    lines.push('## Animation check', '');
    lines.push(...animationLines(report.animation));
  }
  lines.push('## Conventions', '');
  for (const [k, v] of Object.entries(report.conventions)) lines.push(`- **${k}**: ${v}`);
  lines.push('', `Wall time: ${report.wallSeconds.toFixed(1)} s.`, '');
  return lines.join('\n');
}

/** Summaries per expression change (e.g. neutral → smile), triplets of all folds pooled. */
export function byDirection(folds: FoldResult[]): { direction: string; count: number; summary: Summary }[] {
  const groups = new Map<string, FoldResult['triplets']>();
  for (const t of folds.flatMap((f) => f.triplets)) {
    const key = `${t.from} → ${t.to}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([direction, triplets]) => ({ direction, count: triplets.length, summary: summarize(triplets) }));
}

function animationLines(results: AnimationCheckResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(
      `**${r.method}**, ${r.sequences} sequence${r.sequences === 1 ? '' : 's'} ${r.from} → ${r.to}, ${r.frames} frames: ` +
        `landmark error / IOD per frame (t = 0 … 1): ${r.meanFrameError.map((e) => e.toFixed(3)).join(', ')}; ` +
        `mean |frame − next frame| (0..255): ${r.meanNeighbourDifference.toFixed(2)} ` +
        `(largest step ${r.maxNeighbourDifference.toFixed(2)}).`,
      '',
    );
  }
  return lines;
}
