/**
 * The Mimic training loop: samples augmented triplet batches from a prepared data set, runs the replica's phases
 * (critic, generator), logs every loss, writes sample grids and checkpoints, stops cleanly on SIGINT/SIGTERM and
 * on a non-finite loss, resumes exactly (weights, Adam state, step, sampler and RNG position), and exports the
 * final model folder to `<out>/model/`.
 *
 * Run folder:
 *   <out>/log.jsonl            one JSON line per step: step, epoch, seconds, images/s and every loss
 *   <out>/samples/step-N.png   sample grids (input | [warped input] | generated | real target); latest.png = the newest
 *   <out>/checkpoints/         see checkpoint.ts
 *   <out>/model/               the exported model: refreshed with every checkpoint, final at the end
 *                              (training.complete in its mimic-model.json says which)
 */
import * as tf from '@tensorflow/tfjs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { initBackend, type BackendName } from '../engine/backend.js';
import { readDataCache, type DataCache } from '../data/cache.js';
import { writeImage } from '../image/io.js';
import {
  PAPER_MODEL_CONFIG,
  DEFAULT_MODEL_CONFIG,
  resolveModelConfig,
  type MimicModelConfig,
  type PartialModelConfig,
} from '../model/config.js';
import { saveMimicModel } from '../model/io.js';
import { generatorInputs } from '../model/networks.js';
import type { MimicModel } from '../model/mimicModel.js';
import { MimicError } from '../util/errors.js';
import { removeStaleTemps, writeError, writeFileAtomic } from '../util/atomic.js';
import { checkpointsDir, loadLatestCheckpoint, saveCheckpoint } from '../model/checkpoint.js';
import { createStepRunner, NonFiniteLossError } from './stepRunner.js';
import { Rng } from '../util/random.js';
import { sampleGrid } from './sampleGrid.js';
import { makeShard, splitTriplets, TripletSampler, type TrainingTriplet } from './trainingData.js';
import type { BatchShard } from '../engine/replica.js';
import { LANDMARK_VALUES } from '../face/landmarks.js';

export interface TrainOptions {
  data: string;
  /** Held-out fold; undefined = train on all subjects. */
  fold?: number;
  out: string;
  /** Overrides of the default config (a `base: "paper"` field starts from the paper preset). */
  config?: ConfigFile;
  resume?: boolean;
  /** Total generator steps of the run (a resumed run continues up to this). */
  steps: number;
  seed?: number;
  /** Data-parallel workers (1 = in this thread). */
  workers?: number;
  backend?: BackendName;
  checkpointEvery?: number;
  sampleEvery?: number;
  /** Where progress lines go (default: stdout). */
  log?: (line: string) => void;
  /** Stop after this many seconds (checkpoint + export as on a signal); for bounded runs and tests. */
  maxSeconds?: number;
}

export type ConfigFile = PartialModelConfig & { base?: 'default' | 'paper' };

export interface TrainResult {
  step: number;
  stopped: 'done' | 'signal' | 'time';
  wallSeconds: number;
}

export function configFromFile(file: ConfigFile = {}): MimicModelConfig {
  const { base, ...overrides } = file;
  if (base !== undefined && base !== 'default' && base !== 'paper')
    throw new MimicError(`config: base must be "default" or "paper" (got ${JSON.stringify(base)})`);
  return resolveModelConfig(overrides, base === 'paper' ? PAPER_MODEL_CONFIG : DEFAULT_MODEL_CONFIG);
}

const SAMPLE_ROWS = 8;

/** Examples for the sample grid: held-out expression changes when there are any, else training ones. */
function gridTriplets(test: TrainingTriplet[], train: TrainingTriplet[]): TrainingTriplet[] {
  const changes = (list: TrainingTriplet[]) => list.filter((t) => t.input !== t.target);
  const pool = changes(test).length > 0 ? changes(test) : changes(train).length > 0 ? changes(train) : train;
  const count = Math.min(SAMPLE_ROWS, pool.length);
  return Array.from({ length: count }, (_, i) => pool[Math.floor((i * pool.length) / count)]!);
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s).padStart(2, '0')}s`;
}

const fmt = (v: number | undefined): string =>
  v === undefined ? '-' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(4);

/** Rewrites the log so it holds exactly its first `lines` lines (a resumed run drops steps after its checkpoint). */
async function truncateLog(path: string, lines: number): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return;
  }
  const kept = text
    .split('\n')
    .filter((l) => l.length > 0)
    .slice(0, lines);
  await writeFileAtomic(path, kept.map((l) => l + '\n').join(''));
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const out = resolve(options.out);
  const dataDir = resolve(options.data);
  const checkpointEvery = options.checkpointEvery ?? 25;
  const sampleEvery = options.sampleEvery ?? 50;
  if (!Number.isInteger(options.steps) || options.steps < 1)
    throw new MimicError('--steps must be a positive integer');

  const backend = await initBackend({ backend: options.backend ?? 'auto' });
  if (tf.getKernel('Conv2DBackpropFilter', backend) === undefined && backend !== 'cpu')
    throw new MimicError(
      `the ${backend} backend cannot train (no Conv2DBackpropFilter kernel); use --backend cpu`,
    );

  const cache: DataCache = await readDataCache(dataDir);
  const previous = options.resume ? await loadLatestCheckpoint(out) : undefined;
  if (options.resume && previous === undefined)
    log(`no checkpoint in ${out}/checkpoints: starting a new run`);
  if (previous?.notice !== undefined) log(previous.notice);
  if (previous !== undefined) {
    const wantFold = options.fold ?? null;
    if (previous.state.fold !== wantFold)
      throw new MimicError(
        `the checkpoint in ${out} is for ${previous.state.fold === null ? '--all' : `--fold ${previous.state.fold}`}; resume with the same option`,
      );
    if (options.config !== undefined) log("resuming: the checkpoint's config is used, --config is ignored");
  }
  // Through resolveModelConfig: a checkpoint from before a config field existed gets that field's default.
  const config =
    previous !== undefined ? resolveModelConfig(previous.state.config) : configFromFile(options.config);
  const seed = previous?.state.seed ?? options.seed ?? 1;
  const split = splitTriplets(cache, options.fold);
  const rng = new Rng(seed);
  const sampler = new TripletSampler(cache, split, config, rng);
  let step = 0;
  let wallBefore = 0;
  const logPath = join(out, 'log.jsonl');
  let logLines = 0;
  await mkdir(out, { recursive: true }).catch((error: unknown) => {
    throw writeError(out, error);
  });
  // Temporary files and folders a killed run left (half-written checkpoints, samples, model exports).
  for (const folder of [out, checkpointsDir(out), join(out, 'samples')]) {
    const removed = await removeStaleTemps(folder);
    if (removed.length > 0)
      log(`removed ${removed.length} leftover temporary file(s) of a killed run in ${folder}`);
  }
  const runner = await createStepRunner({
    config,
    seed,
    workers: options.workers ?? 1,
    backend: options.backend ?? 'auto',
    log,
  });
  // From here on the runner (and its worker threads, if any) is released whatever happens.
  try {
    if (previous !== undefined) {
      await runner.setWeights(previous.weights);
      if (Object.keys(previous.optimizer).length > 0) await runner.setOptimizerState(previous.optimizer);
      else log('the checkpoint has no optimizer state: Adam starts afresh');
      rng.setState(previous.state.rngState);
      sampler.setState(previous.state.sampler);
      step = previous.state.step;
      wallBefore = previous.state.wallSeconds;
      logLines = previous.state.logLines;
      await truncateLog(logPath, logLines);
      log(`resumed from step ${step} (${out}/checkpoints)`);
    } else {
      await writeFileAtomic(logPath, '');
      await writeFileAtomic(join(out, 'config.json'), JSON.stringify(config, null, 1) + '\n');
    }

    const gridRng = new Rng(seed + 1);
    const grid = gridTriplets(split.test, split.train);
    const gridShard = makeShard(cache, grid, config, gridRng, split.trainItems, false);

    const foldText = options.fold === undefined ? 'all subjects' : `fold ${options.fold} held out`;
    log(
      `training on ${dataDir} (${foldText}: ${split.train.length} training triplets, ${split.test.length} held out), ` +
        `backend ${backend}, ${runner.workers} worker(s), batch ${config.batchSize}, ${step}/${options.steps} steps, seed ${seed}`,
    );

    let stopRequested: 'signal' | undefined;
    let signals = 0;
    const onSignal = (name: string) => {
      signals += 1;
      if (signals > 1) {
        log(`${name} again: exiting without a final checkpoint (the last complete one is kept)`);
        process.exit(130);
      }
      log(`${name}: finishing this step, then saving a checkpoint (send again to exit at once)`);
      stopRequested = 'signal';
    };
    const sigint = () => onSignal('SIGINT');
    const sigterm = () => onSignal('SIGTERM');
    process.on('SIGINT', sigint);
    process.on('SIGTERM', sigterm);

    const started = Date.now();
    const wallSeconds = () => wallBefore + (Date.now() - started) / 1000;
    let lastCheckpointStep = previous?.state.step ?? -1;

    const checkpoint = async () => {
      if (lastCheckpointStep === step) return;
      await saveCheckpoint(out, {
        state: {
          version: 1,
          step,
          logLines,
          wallSeconds: wallSeconds(),
          rngState: rng.getState(),
          sampler: sampler.getState(),
          config,
          seed,
          data: dataDir,
          fold: options.fold ?? null,
        },
        weights: await runner.getWeights(),
        optimizer: (await runner.getOptimizerState()) ?? {},
      });
      lastCheckpointStep = step;
    };

    const writeSamples = async () => {
      await runner.syncLocal();
      const networks = runner.local.networks;
      const generated = tf.tidy(() => {
        const n = grid.length;
        const s = config.imageSize;
        const crops = (name: string) =>
          tf.tensor4d(gridShard[name] as Float32Array, [n, s, s, config.channels]);
        const code = networks.landmarkEncoder.predict(
          tf.tensor2d(gridShard.targetLandmarks as Float32Array, [n, LANDMARK_VALUES]),
        ) as tf.Tensor;
        const warped = config.generatorBase === 'warped' ? crops('warped') : undefined;
        return networks.generator.predict(generatorInputs(config, crops('input'), warped, code)) as tf.Tensor;
      });
      const values = generated.dataSync() as Float32Array;
      generated.dispose();
      // input | (its warp to the target landmarks, for a warp-refine G) | generated | real target
      const columns = [gridShard.input as Float32Array, values, gridShard.target as Float32Array];
      if (gridShard.warped !== undefined) columns.splice(1, 0, gridShard.warped as Float32Array);
      const image = sampleGrid(columns, grid.length, config.imageSize, config.channels);
      const name = `step-${String(step).padStart(7, '0')}.png`;
      await writeImage(join(out, 'samples', name), image);
      await writeImage(join(out, 'samples', 'latest.png'), image);
    };

    const exportModel = async () => {
      await runner.syncLocal();
      const model: MimicModel = {
        ...runner.local.networks,
        config,
        alignment: cache.manifest.alignment,
        labels: cache.manifest.labels,
        training: {
          steps: step,
          data: dataDir,
          fold: options.fold ?? null,
          wallSeconds: Math.round(wallSeconds()),
          seed,
          backend,
          workers: runner.workers,
          batchSize: config.batchSize,
          trainingTriplets: split.train.length,
          epochs: Number(sampler.epoch.toFixed(3)),
          targetSteps: options.steps,
          complete: step >= options.steps,
        },
      };
      await saveMimicModel(join(out, 'model'), model);
    };

    let stopped: TrainResult['stopped'] = 'done';
    let emaSecondsPerStep: number | undefined;
    try {
      while (step < options.steps) {
        if (stopRequested !== undefined) {
          stopped = 'signal';
          break;
        }
        if (options.maxSeconds !== undefined && (Date.now() - started) / 1000 >= options.maxSeconds) {
          stopped = 'time';
          break;
        }
        const t0 = Date.now();
        const batch: BatchShard = sampler.nextBatch(config.batchSize);
        let losses: Record<string, number>;
        try {
          losses = await runner.step(batch, config.batchSize, step + 1);
        } catch (error) {
          if (!(error instanceof NonFiniteLossError)) throw error;
          throw new MimicError(
            `${error.message}; stopped. The last good checkpoint` +
              (lastCheckpointStep >= 0
                ? ` (step ${lastCheckpointStep}) is kept in ${out}/checkpoints`
                : ' does not exist yet'),
            4,
          );
        }
        step += 1;
        const seconds = (Date.now() - t0) / 1000;
        emaSecondsPerStep =
          emaSecondsPerStep === undefined ? seconds : 0.9 * emaSecondsPerStep + 0.1 * seconds;
        const imagesPerSecond = config.batchSize / seconds;
        const record = {
          step,
          epoch: Number(sampler.epoch.toFixed(4)),
          seconds: Number(wallSeconds().toFixed(1)),
          imagesPerSecond: Number(imagesPerSecond.toFixed(2)),
          ...losses,
        };
        await appendFile(logPath, JSON.stringify(record) + '\n').catch((error: unknown) => {
          throw writeError(logPath, error);
        });
        logLines += 1;
        const eta = (options.steps - step) * emaSecondsPerStep;
        log(
          `step ${step}/${options.steps} epoch ${sampler.epoch.toFixed(2)} | D ${fmt(losses.critic)} ` +
            `(W ${fmt(losses.wasserstein)} gp ${fmt(losses.gradientPenalty)}) | G ${fmt(losses.generator)} ` +
            `(contr ${fmt(losses.contrastive)} adv ${fmt(losses.adversarial)} L1 ${fmt(losses.imageL1)} ` +
            `lm ${fmt(losses.landmarkL2)}) | ${imagesPerSecond.toFixed(1)} img/s | ETA ${formatDuration(eta)}`,
        );
        if (step % sampleEvery === 0 || step === 1) await writeSamples();
        if (step % checkpointEvery === 0) {
          await checkpoint();
          // The model folder follows the checkpoints, so others can use the newest weights while the run goes on.
          await exportModel();
        }
        // Let signal handlers run: the step itself never yields to the event loop.
        await new Promise((r) => setImmediate(r));
      }
      await checkpoint();
      await writeSamples();
      await exportModel();
      log(
        stopped === 'done'
          ? `done: ${step} steps in ${formatDuration(wallSeconds())}; model in ${join(out, 'model')}`
          : `stopped at step ${step} (${stopped}); checkpoint and model saved; continue with --resume`,
      );
    } finally {
      process.off('SIGINT', sigint);
      process.off('SIGTERM', sigterm);
    }
    return { step, stopped, wallSeconds: wallSeconds() };
  } finally {
    await runner.dispose();
  }
}
