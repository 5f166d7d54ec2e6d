/**
 * The whole `mimic eval` run: picks the folds, finds each fold's model folder (skipping missing ones with a
 * notice), scores every fold, optionally runs the animation check, and writes the JSON and Markdown reports
 * atomically.
 */
import { existsSync } from 'node:fs';
import { writeImage } from '../image/io.js';
import type { RgbImage } from '../image/rgbImage.js';
import { imageGrid } from './grid.js';
import { foldSubjects } from '../data/split.js';
import { MOUTH_BANK_FILE, readMouthBank } from '../face/mouthBankFile.js';
import type { RatioImage } from '../face/ratioImage.js';
import { readRatioImages } from '../face/ratioImageFile.js';
import type { MouthBank } from '../face/mouthInterior.js';
import type { DataCache } from '../data/cache.js';
import { expressionForLabel } from './faceReadout.js';
import { writeFileAtomic } from '../util/atomic.js';
import { MimicError } from '../util/errors.js';
import { animationCheck, type AnimationCheckResult } from './animation.js';
import type { GenerateFn } from '../model/inference.js';
import { evaluateFold, type FoldResult, type PipelinePaste } from './evaluate.js';
import {
  compareToBaselines,
  CONVENTIONS,
  REPORT_FORMAT,
  REPORT_VERSION,
  reportMarkdown,
  summarizeFolds,
  type EvalReport,
} from './report.js';

export interface EvalModel {
  generate: GenerateFn;
  /** The fold the model was trained with held out; 'all' when it saw every person; undefined when unknown. */
  heldOutFold?: number | 'all';
  /** Crop side the model works at. */
  size: number;
  /** What the report names as the model (default: its folder). */
  description?: string;
}

export interface RunOptions {
  cache: DataCache;
  cachePath: string;
  folds: number[];
  /** Model folder, `{k}` replaced by the fold; absent: baselines only. */
  modelPattern?: string;
  loadModel?: (dir: string) => Promise<EvalModel>;
  out: string;
  animation?: { from?: string; to?: string; frames: number };
  batchSize?: number;
  /** A PNG of the first scored fold's triplets: input | model | warp | real target per row. */
  grid?: { path: string; rows: number };
  /** Mouth-interior bank folder, `{k}` replaced by the fold; it must leave the fold's people out. */
  mouthBankPattern?: string;
  /** Ratio-image folder, `{k}` replaced by the fold; its ratio images must leave the fold's people out. */
  ratioImagesPattern?: string;
  /** mimic transfer's paste on a crop (scores "what mimic transfer outputs"); see EvaluateOptions. */
  pipelinePaste?: PipelinePaste;
  /** The command line, printed in the Markdown report. */
  command?: string;
  log: (line: string) => void;
}

export const FOLD_PLACEHOLDER = '{k}';

export function modelDirFor(pattern: string, fold: number): string {
  return pattern.split(FOLD_PLACEHOLDER).join(String(fold));
}

/** The Markdown report's path: the JSON path with .md instead of .json (or .md appended). */
export function markdownPathFor(jsonPath: string): string {
  return /\.json$/i.test(jsonPath) ? jsonPath.replace(/\.json$/i, '.md') : `${jsonPath}.md`;
}

/** Animation end points: "neutral" → the first label read as happy (smile/smiling), unless given. */
export function animationLabels(labels: string[], from?: string, to?: string): { from: string; to: string } {
  const start = from ?? 'neutral';
  const end = to ?? labels.find((l) => expressionForLabel(l) === 'happy');
  for (const [flag, label] of [
    ['--from', start],
    ['--to', end],
  ] as const)
    if (label === undefined || !labels.includes(label))
      throw new MimicError(
        `${flag}: the data set has no expression "${label ?? 'smile'}" (it has ${labels.join(', ')})`,
      );
  return { from: start, to: end! };
}

export async function runEvaluation(options: RunOptions): Promise<EvalReport> {
  const started = performance.now();
  const { cache, log } = options;
  const labels = cache.manifest.labels;
  const animation = options.animation
    ? {
        ...animationLabels(labels, options.animation.from, options.animation.to),
        frames: options.animation.frames,
      }
    : undefined;
  const folds: FoldResult[] = [];
  const models: Record<string, string> = {};
  const skippedFolds: EvalReport['skippedFolds'] = [];
  const animations: AnimationCheckResult[] = [];

  for (const fold of options.folds) {
    let generate: GenerateFn | undefined;
    if (options.modelPattern !== undefined) {
      const dir = modelDirFor(options.modelPattern, fold);
      if (!existsSync(dir)) {
        log(`fold ${fold}: no model at ${dir}, skipped`);
        skippedFolds.push({ fold, reason: `no model at ${dir}` });
        continue;
      }
      if (!options.loadModel) throw new Error('runEvaluation: modelPattern needs loadModel');
      const model = await options.loadModel(dir);
      if (model.heldOutFold === 'all' || (model.heldOutFold !== undefined && model.heldOutFold !== fold))
        throw new MimicError(
          `${dir} was trained ${model.heldOutFold === 'all' ? 'on every person' : `with fold ${model.heldOutFold} held out`}: ` +
            `the people of fold ${fold} were in its training data, so its scores would not be held-out scores ` +
            '(score a model trained with that fold held out, or leave out --model to score the baselines alone)',
        );
      if (model.size !== cache.manifest.size)
        throw new MimicError(
          `${dir} works on ${model.size}-pixel crops, the data set has ${cache.manifest.size}`,
        );
      generate = model.generate;
      models[String(fold)] = model.description ?? dir;
    }
    const mouthBank = options.mouthBankPattern
      ? await heldOutMouthBank(modelDirFor(options.mouthBankPattern, fold), cache, fold)
      : undefined;
    const ratioImages = options.ratioImagesPattern
      ? await heldOutRatioImages(modelDirFor(options.ratioImagesPattern, fold), cache, fold)
      : undefined;
    const t0 = performance.now();
    let lastLogged = 0;
    const gridRows = options.grid && folds.length === 0 ? options.grid.rows : 0;
    const rows: RgbImage[][] = [];
    const result = await evaluateFold(cache, fold, {
      generate,
      mouthBank,
      ratioImages,
      pipelinePaste: options.pipelinePaste,
      batchSize: options.batchSize,
      onImages: (i, im) => {
        if (i < gridRows)
          rows.push([
            im.input,
            ...(im.pipeline ? [im.pipeline] : []),
            ...(im.model ? [im.model] : []),
            ...(im.warpMouth ? [im.warpMouth] : []),
            im.warp,
            im.target,
          ]);
      },
      onProgress: (done, total) => {
        const now = performance.now();
        if (done === total || now - lastLogged > 5000) {
          lastLogged = now;
          log(`fold ${fold}: ${done}/${total} triplets scored (${((now - t0) / 1000).toFixed(1)} s)`);
        }
      },
    });
    folds.push(result);
    if (rows.length > 0) {
      await writeImage(options.grid!.path, imageGrid(rows));
      log(`fold ${fold}: picture of ${rows.length} triplets in ${options.grid!.path}`);
    }
    if (animation) {
      log(`fold ${fold}: animation check ${animation.from} → ${animation.to}, ${animation.frames} frames`);
      animations.push(...(await animationCheck(cache, fold, { ...animation, generate })));
    }
  }
  if (folds.length === 0) throw new MimicError('no fold could be evaluated (no model folder found)', 3);

  const report: EvalReport = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    createdAt: new Date().toISOString(),
    data: options.cachePath,
    models,
    skippedFolds,
    conventions: CONVENTIONS,
    summary: folds.length === 1 ? folds[0]!.summary : summarizeFolds(folds),
    summaryOver: folds.length === 1 ? 'triplets' : 'folds',
    folds,
    comparisons: compareToBaselines(folds),
    ...(animation ? { animation: mergeAnimations(animations) } : {}),
    wallSeconds: (performance.now() - started) / 1000,
  };
  await writeFileAtomic(options.out, JSON.stringify(report, null, 1) + '\n');
  await writeFileAtomic(markdownPathFor(options.out), reportMarkdown(report, options.command));
  return report;
}

/** A mouth bank that holds none of the fold's held-out people (else their own teeth would be pasted back). */
async function heldOutMouthBank(dir: string, cache: DataCache, fold: number): Promise<MouthBank> {
  const bank = await readMouthBank(dir);
  if (!bank) throw new MimicError(`no mouth bank at ${dir} (${MOUTH_BANK_FILE} is missing)`, 3);
  const { test } = foldSubjects(cache.manifest.split.folds, fold);
  const leaked = [...new Set(bank.exemplars.filter((e) => test.has(e.subject)).map((e) => e.subject))];
  if (leaked.length > 0)
    throw new MimicError(
      `${dir} holds mouths of held-out people of fold ${fold} (${leaked.join(', ')}): build it with ` +
        `scripts/build-mouth-bank.ts --exclude-fold ${fold}`,
    );
  return bank;
}

/** Ratio images averaged over none of the fold's held-out people (else their own smiles would shade them). */
async function heldOutRatioImages(dir: string, cache: DataCache, fold: number): Promise<RatioImage[]> {
  const images = await readRatioImages(dir);
  if (images.size === 0) throw new MimicError(`no ratio images at ${dir} (no ratio-<expression>.json)`, 3);
  const { test } = foldSubjects(cache.manifest.split.folds, fold);
  for (const [name, image] of images) {
    const leaked = image.subjects.filter((s) => test.has(s));
    if (leaked.length > 0)
      throw new MimicError(
        `${dir}: ratio-${name}.json is averaged over held-out people of fold ${fold} (${leaked.join(', ')}): ` +
          `build it with scripts/build-ratio-image.ts --exclude-fold ${fold}`,
      );
  }
  return [...images.values()];
}

/** One animation result per method over all folds (sequence-weighted means). */
function mergeAnimations(results: AnimationCheckResult[]): AnimationCheckResult[] {
  const byMethod = new Map<string, AnimationCheckResult[]>();
  for (const r of results) byMethod.set(r.method, [...(byMethod.get(r.method) ?? []), r]);
  return [...byMethod.values()].map((list) => {
    const n = list.reduce((s, r) => s + r.sequences, 0);
    const weighted = (f: (r: AnimationCheckResult) => number): number =>
      list.reduce((s, r) => s + f(r) * r.sequences, 0) / n;
    return {
      ...list[0]!,
      sequences: n,
      meanFrameError: list[0]!.meanFrameError.map((_, k) => weighted((r) => r.meanFrameError[k]!)),
      meanNeighbourDifference: weighted((r) => r.meanNeighbourDifference),
      maxNeighbourDifference: Math.max(...list.map((r) => r.maxNeighbourDifference)),
    };
  });
}
