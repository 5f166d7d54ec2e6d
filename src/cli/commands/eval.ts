/** `mimic eval`: scores a trained model and two baselines on held-out people (see src/eval/). */
import { parseArgs } from 'node:util';
import { initBackend } from '../../engine/backend.js';
import { IMAGES_FILE, LANDMARKS_FILE, MANIFEST_FILE, readDataCache } from '../../data/cache.js';
import { MimicError } from '../../util/errors.js';
import { checkOutputs } from '../../transfer/output.js';
import { join } from 'node:path';
import { formatFromPath, resizeImage } from '../../image/io.js';
import { MODEL_MANIFEST } from '../../model/manifest.js';
import { DEFAULT_PASTE, pasteInMode } from '../../transfer/pasteModes.js';
import { summaryTable } from '../../eval/report.js';
import { FOLD_PLACEHOLDER, markdownPathFor, runEvaluation } from '../../eval/runEvaluation.js';
import { loadModelForEval } from '../../eval/modelGenerator.js';
import { loadCheckpointForEval } from '../../eval/checkpointModel.js';
import type { CliCommand } from '../command.js';
import { parseBackendFlag, parseIntFlag } from '../options.js';

const usage = `Usage: mimic eval --data <cache> [--model <dir>] [--fold k | --all-folds] --out report.json [--animation]

Generates every held-out triplet (input of a person with expression u, real target of the same person with
expression v ≠ u, target landmarks) and compares output and real target: SSIM (gray, RGB), PSNR, face-api
identity distance, expression read by face-api, landmark error. Baselines in the same run: the input itself
(identity copy) and a piecewise-affine warp of the input to the target landmarks.
  --data DIR       a data cache written by mimic prepare (its subject-wise split decides who is held out)
  --model DIR      the model folder; with --all-folds a pattern with {k} for the fold, e.g. runs/frl-fold{k}/model
                   (folds without a model folder are skipped). Without --model only the baselines are scored.
  --checkpoint     --model names a training run folder (runs/<name>): score its newest checkpoint, while it trains
  --fold K         the held-out fold to score (default: the fold the model was trained without)
  --all-folds      every fold of the split; mean ± std over folds
  --out FILE       the JSON report; the Markdown table goes next to it (FILE with .md)
  --animation      also the animation check: neutral → smile sequences of --frames frames (default 9)
  --from L, --to L expression labels of the animation's ends (default neutral → the smile label)
  --mouth-bank DIR a mouth-interior bank (scripts/build-mouth-bank.ts --exclude-fold K; {k} for the fold) that
                   leaves the fold's people out: adds the rows "warp + mouth interior" and, with --model, what
                   mimic transfer outputs (warp paste + generator change + mouth interior)
  --ratio-images DIR a folder of expression ratio images (scripts/build-ratio-image.ts --exclude-fold K; {k} for
                   the fold) averaged without the fold's people: the same rows with the expression's fine shading
  --grid FILE      a PNG of the first fold's triplets, one row each: input | [pipeline] | model | [warp + mouth] |
                   warp | real target
  --batch N        model batch size (default 32)
  --backend B      auto | tensorflow | wasm | cpu`;

export const command: CliCommand = {
  name: 'eval',
  summary: 'score a model and two baselines on held-out people (SSIM, PSNR, identity, expression, landmarks)',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        data: { type: 'string' },
        model: { type: 'string' },
        fold: { type: 'string' },
        'all-folds': { type: 'boolean' },
        checkpoint: { type: 'boolean' },
        out: { type: 'string' },
        animation: { type: 'boolean' },
        frames: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        batch: { type: 'string' },
        grid: { type: 'string' },
        'mouth-bank': { type: 'string' },
        'ratio-images': { type: 'string' },
        backend: { type: 'string' },
      },
    });
    if (values.data === undefined) throw new MimicError(`--data is required\n\n${usage}`);
    if (values.out === undefined) throw new MimicError(`--out is required\n\n${usage}`);
    // The report is JSON, its Markdown table beside it: "--out r.md" wrote JSON into r.md and the table into r.md.md.
    if (!/\.json$/i.test(values.out))
      throw new MimicError(
        `--out names the JSON report, e.g. report.json (got ${values.out}); its table goes beside it as .md`,
      );
    if (values.fold !== undefined && values['all-folds'])
      throw new MimicError('choose either --fold or --all-folds');
    if (values['all-folds'] && values.model !== undefined && !values.model.includes(FOLD_PLACEHOLDER))
      throw new MimicError(
        `with --all-folds, --model must contain ${FOLD_PLACEHOLDER} (e.g. runs/frl-fold{k}/model)`,
      );
    if (values.checkpoint && values.model === undefined)
      throw new MimicError('--checkpoint needs --model <training run folder>');
    await checkOutputs(
      [values.out, markdownPathFor(values.out), ...(values.grid !== undefined ? [values.grid] : [])],
      [
        values.model === undefined ? undefined : join(values.model, MODEL_MANIFEST),
        ...[MANIFEST_FILE, IMAGES_FILE, LANDMARKS_FILE].map((f) => join(values.data!, f)),
      ],
    );
    const loadModel = values.checkpoint ? loadCheckpointForEval : loadModelForEval;
    if (values.grid !== undefined) formatFromPath(values.grid); // a bad extension fails now, not after the work
    const frames = parseIntFlag(values.frames, '--frames', 2, 100) ?? 9;
    const batchSize = parseIntFlag(values.batch, '--batch', 1, 1024) ?? 32;

    const backend = await initBackend({ backend: parseBackendFlag(values.backend) });
    console.log(`backend: ${backend}`);
    const cache = await readDataCache(values.data);
    const foldCount = cache.manifest.split.folds.length;
    let folds: number[];
    if (values['all-folds']) folds = Array.from({ length: foldCount }, (_, k) => k);
    else {
      let fold = parseIntFlag(values.fold, '--fold', 0, foldCount - 1);
      if (fold === undefined && values.model !== undefined && !values.model.includes(FOLD_PLACEHOLDER)) {
        const held = (await loadModel(values.model)).heldOutFold;
        if (typeof held === 'number') fold = held;
      }
      if (fold === undefined)
        throw new MimicError(
          `choose the fold to score: --fold K or --all-folds${values.model !== undefined ? ` (${values.model} names no held-out fold; without --model only the baselines are scored)` : ''}`,
        );
      folds = [fold];
    }
    console.log(
      `data: ${values.data} (${cache.manifest.items.length} photos, ${foldCount} folds); scoring fold${folds.length === 1 ? '' : 's'} ${folds.join(', ')}`,
    );

    const report = await runEvaluation({
      cache,
      cachePath: values.data,
      folds,
      modelPattern: values.model,
      loadModel,
      out: values.out,
      animation: values.animation ? { from: values.from, to: values.to, frames } : undefined,
      batchSize,
      mouthBankPattern: values['mouth-bank'],
      ratioImagesPattern: values['ratio-images'],
      // What mimic transfer outputs, at the crop's size: its default paste with the crop as the photo.
      pipelinePaste: (p) =>
        pasteInMode(DEFAULT_PASTE, {
          photo: p.crop,
          toCrop: [1, 0, 0, 0, 1, 0],
          inputCrop: p.crop,
          own: p.own,
          target: p.target,
          resize: resizeImage,
          ...(p.generated ? { generated: p.generated } : {}),
          ...(p.generatedOwn ? { generatedOwn: p.generatedOwn } : {}),
          ...(p.mouth ? { mouth: p.mouth } : {}),
          ...(p.ratios ? { ratios: p.ratios } : {}),
        }),
      grid: values.grid === undefined ? undefined : { path: values.grid, rows: 12 },
      command: ['mimic eval', ...argv].join(' '),
      log: (line) => console.log(line),
    });
    console.log('');
    console.log(summaryTable(report.summary));
    console.log('');
    console.log(
      `report: ${values.out} and ${markdownPathFor(values.out)} (${report.wallSeconds.toFixed(1)} s)`,
    );
    return 0;
  },
};
