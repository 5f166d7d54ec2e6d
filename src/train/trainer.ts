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
import tf from '../engine/tfjs.cjs';
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
import {
  checkpointsDir,
  latestCheckpointStep,
  loadLatestCheckpoint,
  saveCheckpoint,
  type Checkpoint,
} from '../model/checkpoint.js';
import { createStepRunner, NonFiniteLossError, type StepRunner } from './stepRunner.js';
import { Rng } from '../util/random.js';
import { sampleGrid } from './sampleGrid.js';
import {
  makeShard,
  splitTriplets,
  TripletSampler,
  type TrainingSplit,
  type TrainingTriplet,
} from './trainingData.js';
import type { BatchShard } from '../engine/parallel/replica.js';
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
  refuseUnknownFields(overrides);
  return resolveModelConfig(overrides, base === 'paper' ? PAPER_MODEL_CONFIG : DEFAULT_MODEL_CONFIG);
}

/**
 * A misspelt field ("batchSiz") would be ignored and the run trained with the default in its place: a field the
 * config does not have is refused, named, with the fields it has (the nested lossWeights and augment alike).
 */
function refuseUnknownFields(overrides: PartialModelConfig): void {
  const known = DEFAULT_MODEL_CONFIG as unknown as Record<string, unknown>;
  const check = (given: object, reference: Record<string, unknown>, where: string): void => {
    for (const key of Object.keys(given)) {
      if (Object.hasOwn(reference, key)) continue;
      const fields = Object.keys(reference).join(', ');
      throw new MimicError(
        `config: unknown field "${where}${key}" (the fields${where ? ` of ${where.slice(0, -1)}` : ''}: ${fields})`,
      );
    }
  };
  check(overrides, { ...known, base: 'default' }, '');
  for (const nested of ['lossWeights', 'augment'] as const) {
    const value = overrides[nested];
    if (value !== null && typeof value === 'object')
      check(value, known[nested] as Record<string, unknown>, `${nested}.`);
  }
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

/** A run folder's log: one JSON line per step. */
const logPathOf = (runDir: string): string => join(runDir, 'log.jsonl');

/**
 * A new run (no --resume) in a folder that already holds one would replace its log, model and checkpoints, or mix
 * them with its own if it stopped before its first checkpoint: a forgotten --resume after Ctrl-C lost the progress
 * without a word. Such a folder is refused; one whose run logged no step yet (nothing to lose) is not.
 */
async function refuseEarlierRun(out: string): Promise<void> {
  const checkpointStep = await latestCheckpointStep(out);
  let logged = false;
  try {
    logged = (await readFile(logPathOf(out), 'utf8')).trim() !== '';
  } catch {
    // no log
  }
  if (checkpointStep === undefined && !logged) return;
  const what =
    checkpointStep === undefined
      ? 'logged steps'
      : checkpointStep === null
        ? 'a checkpoint'
        : `a checkpoint at step ${checkpointStep}`;
  throw new MimicError(
    `${out} already holds a training run (${what}): continue it with --resume, or give another --out`,
  );
}

/** Starts (or resumes) a training run, runs it to its end (or a signal, or maxSeconds), and releases it. */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const run = await TrainingRun.start(options);
  try {
    return await run.run();
  } finally {
    await run.dispose();
  }
}

/**
 * One training run: its data, config, random state, step runner and run folder. start() prepares (or resumes) it,
 * run() loops over the steps; checkpoint(), writeSamples() and exportModel() write the run folder, and SIGINT /
 * SIGTERM ask the loop to stop after the current step.
 */
export class TrainingRun {
  private step = 0;
  private wallBefore = 0;
  private logLines = 0;
  private lastCheckpointStep = -1;
  private started = Date.now();
  private stopRequested: 'signal' | undefined;
  private signals = 0;
  private grid: TrainingTriplet[] = [];
  private gridShard: BatchShard = {};

  private constructor(
    private readonly options: TrainOptions,
    private readonly log: (line: string) => void,
    private readonly out: string,
    private readonly dataDir: string,
    private readonly backend: string,
    private readonly cache: DataCache,
    private readonly config: MimicModelConfig,
    private readonly seed: number,
    private readonly split: TrainingSplit,
    private readonly rng: Rng,
    private readonly sampler: TripletSampler,
    private readonly runner: StepRunner,
  ) {}

  private get logPath(): string {
    return logPathOf(this.out);
  }

  /** Checks the options, reads the data, builds the step runner and restores the checkpoint when resuming. */
  static async start(options: TrainOptions): Promise<TrainingRun> {
    const log = options.log ?? ((line: string) => console.log(line));
    const out = resolve(options.out);
    const dataDir = resolve(options.data);
    if (!Number.isInteger(options.steps) || options.steps < 1)
      throw new MimicError('--steps must be a positive integer');

    const backend = await initBackend({ backend: options.backend ?? 'auto' });
    if (tf.getKernel('Conv2DBackpropFilter', backend) === undefined && backend !== 'cpu')
      throw new MimicError(
        `the ${backend} backend cannot train (no Conv2DBackpropFilter kernel); use --backend cpu`,
      );

    if (!options.resume) await refuseEarlierRun(out);
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
    const run = new TrainingRun(
      options,
      log,
      out,
      dataDir,
      backend,
      cache,
      config,
      seed,
      split,
      rng,
      sampler,
      runner,
    );
    // From here on the runner (and its worker threads, if any) is released whatever happens.
    try {
      await run.prepare(previous);
    } catch (error) {
      await run.dispose();
      throw error;
    }
    return run;
  }

  /** Restores the checkpoint (or starts the log and config.json) and makes the sample grid's fixed examples. */
  private async prepare(previous: Checkpoint | undefined): Promise<void> {
    const { out, config, rng, sampler, runner } = this;
    if (previous !== undefined) {
      await runner.setWeights(previous.weights);
      if (Object.keys(previous.optimizer).length > 0) await runner.setOptimizerState(previous.optimizer);
      else this.log('the checkpoint has no optimizer state: Adam starts afresh');
      rng.setState(previous.state.rngState);
      sampler.setState(previous.state.sampler);
      this.step = previous.state.step;
      this.wallBefore = previous.state.wallSeconds;
      this.logLines = previous.state.logLines;
      this.lastCheckpointStep = previous.state.step;
      await truncateLog(this.logPath, this.logLines);
      this.log(`resumed from step ${this.step} (${out}/checkpoints)`);
    } else {
      await writeFileAtomic(this.logPath, '');
      await writeFileAtomic(join(out, 'config.json'), JSON.stringify(config, null, 1) + '\n');
    }
    const gridRng = new Rng(this.seed + 1);
    this.grid = gridTriplets(this.split.test, this.split.train);
    this.gridShard = makeShard(this.cache, this.grid, config, gridRng, this.split.trainItems, false);
  }

  private wallSeconds(): number {
    return this.wallBefore + (Date.now() - this.started) / 1000;
  }

  /** Runs the steps; a checkpoint, samples and the model folder are written at the end whatever stopped it. */
  async run(): Promise<TrainResult> {
    const { options, config, sampler } = this;
    const checkpointEvery = options.checkpointEvery ?? 25;
    const sampleEvery = options.sampleEvery ?? 50;
    const foldText = options.fold === undefined ? 'all subjects' : `fold ${options.fold} held out`;
    this.log(
      `training on ${this.dataDir} (${foldText}: ${this.split.train.length} training triplets, ${this.split.test.length} held out), ` +
        `backend ${this.backend}, ${this.runner.workers} worker(s), batch ${config.batchSize}, ${this.step}/${options.steps} steps, seed ${this.seed}`,
    );
    const stopListening = this.listenForSignals();
    this.started = Date.now();
    let stopped: TrainResult['stopped'] = 'done';
    let emaSecondsPerStep: number | undefined;
    try {
      while (this.step < options.steps) {
        if (this.stopRequested !== undefined) {
          stopped = 'signal';
          break;
        }
        if (options.maxSeconds !== undefined && (Date.now() - this.started) / 1000 >= options.maxSeconds) {
          stopped = 'time';
          break;
        }
        const t0 = Date.now();
        const losses = await this.runStep(sampler.nextBatch(config.batchSize));
        const seconds = (Date.now() - t0) / 1000;
        emaSecondsPerStep =
          emaSecondsPerStep === undefined ? seconds : 0.9 * emaSecondsPerStep + 0.1 * seconds;
        await this.record(losses, seconds, (options.steps - this.step) * emaSecondsPerStep);
        if (this.step % sampleEvery === 0 || this.step === 1) await this.writeSamples();
        if (this.step % checkpointEvery === 0) {
          await this.checkpoint();
          // The model folder follows the checkpoints, so others can use the newest weights while the run goes on.
          await this.exportModel();
        }
        // Let signal handlers run: the step itself never yields to the event loop.
        await new Promise((r) => setImmediate(r));
      }
      await this.checkpoint();
      await this.writeSamples();
      await this.exportModel();
      this.log(
        stopped === 'done'
          ? `done: ${this.step} steps in ${formatDuration(this.wallSeconds())}; model in ${join(this.out, 'model')}` +
              // The data presets (--expression smile) are measured apart, from the prepared data.
              ` (for --expression presets: mimic presets --data ${this.dataDir} --out ${join(this.out, 'model', 'presets.json')})`
          : `stopped at step ${this.step} (${stopped}); checkpoint and model saved; continue with --resume`,
      );
    } finally {
      stopListening();
    }
    return { step: this.step, stopped, wallSeconds: this.wallSeconds() };
  }

  /** One step on `batch`; a non-finite loss stops the run, naming the last good checkpoint. */
  private async runStep(batch: BatchShard): Promise<Record<string, number>> {
    let losses: Record<string, number>;
    try {
      losses = await this.runner.step(batch, this.config.batchSize, this.step + 1);
    } catch (error) {
      if (!(error instanceof NonFiniteLossError)) throw error;
      throw new MimicError(
        `${error.message}; stopped. The last good checkpoint` +
          (this.lastCheckpointStep >= 0
            ? ` (step ${this.lastCheckpointStep}) is kept in ${this.out}/checkpoints`
            : ' does not exist yet'),
        4,
      );
    }
    this.step += 1;
    return losses;
  }

  /** The step's line in log.jsonl and its progress line. */
  private async record(losses: Record<string, number>, seconds: number, etaSeconds: number): Promise<void> {
    const { step, sampler, options } = this;
    const imagesPerSecond = this.config.batchSize / seconds;
    const record = {
      step,
      epoch: Number(sampler.epoch.toFixed(4)),
      seconds: Number(this.wallSeconds().toFixed(1)),
      imagesPerSecond: Number(imagesPerSecond.toFixed(2)),
      ...losses,
    };
    await appendFile(this.logPath, JSON.stringify(record) + '\n').catch((error: unknown) => {
      throw writeError(this.logPath, error);
    });
    this.logLines += 1;
    this.log(
      `step ${step}/${options.steps} epoch ${sampler.epoch.toFixed(2)} | D ${fmt(losses.critic)} ` +
        `(W ${fmt(losses.wasserstein)} gp ${fmt(losses.gradientPenalty)}) | G ${fmt(losses.generator)} ` +
        `(contr ${fmt(losses.contrastive)} adv ${fmt(losses.adversarial)} L1 ${fmt(losses.imageL1)} ` +
        `lm ${fmt(losses.landmarkL2)}) | ${imagesPerSecond.toFixed(1)} img/s | ETA ${formatDuration(etaSeconds)}`,
    );
  }

  /**
   * SIGINT / SIGTERM: the first asks the loop to stop after this step (checkpoint and export follow), a second
   * exits at once. Returns the function that removes the handlers.
   */
  private listenForSignals(): () => void {
    const onSignal = (name: string) => {
      this.signals += 1;
      if (this.signals > 1) {
        this.log(`${name} again: exiting without a final checkpoint (the last complete one is kept)`);
        process.exit(130);
      }
      this.log(`${name}: finishing this step, then saving a checkpoint (send again to exit at once)`);
      this.stopRequested = 'signal';
    };
    const sigint = () => onSignal('SIGINT');
    const sigterm = () => onSignal('SIGTERM');
    process.on('SIGINT', sigint);
    process.on('SIGTERM', sigterm);
    return () => {
      process.off('SIGINT', sigint);
      process.off('SIGTERM', sigterm);
    };
  }

  /** A checkpoint of the current step (none when this step already has one). */
  async checkpoint(): Promise<void> {
    const { step, runner } = this;
    if (this.lastCheckpointStep === step) return;
    await saveCheckpoint(this.out, {
      state: {
        version: 1,
        step,
        logLines: this.logLines,
        wallSeconds: this.wallSeconds(),
        rngState: this.rng.getState(),
        sampler: this.sampler.getState(),
        config: this.config,
        seed: this.seed,
        data: this.dataDir,
        fold: this.options.fold ?? null,
      },
      weights: await runner.getWeights(),
      optimizer: await runner.getOptimizerState(),
    });
    this.lastCheckpointStep = step;
  }

  /** The sample grid of the current weights: samples/step-N.png and samples/latest.png. */
  async writeSamples(): Promise<void> {
    const { config, grid, gridShard, runner } = this;
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
    const name = `step-${String(this.step).padStart(7, '0')}.png`;
    await writeImage(join(this.out, 'samples', name), image);
    await writeImage(join(this.out, 'samples', 'latest.png'), image);
  }

  /** The model folder `<out>/model/` from the current weights. */
  async exportModel(): Promise<void> {
    const { config, runner, options } = this;
    await runner.syncLocal();
    const model: MimicModel = {
      ...runner.local.networks,
      config,
      alignment: this.cache.manifest.alignment,
      labels: this.cache.manifest.labels,
      training: {
        steps: this.step,
        data: this.dataDir,
        fold: options.fold ?? null,
        wallSeconds: Math.round(this.wallSeconds()),
        seed: this.seed,
        backend: this.backend,
        workers: runner.workers,
        batchSize: config.batchSize,
        trainingTriplets: this.split.train.length,
        epochs: Number(this.sampler.epoch.toFixed(3)),
        targetSteps: options.steps,
        complete: this.step >= options.steps,
      },
    };
    await saveMimicModel(join(this.out, 'model'), model);
  }

  /** Releases the step runner (and its worker threads). */
  async dispose(): Promise<void> {
    await this.runner.dispose();
  }
}
