/**
 * Runs training steps either in this thread on one MimicReplica, or on the engine's data-parallel worker pool
 * (src/engine/parallel/dataParallel.ts) with one replica per worker. The trainer sees one interface; the main thread always
 * keeps a replica of its own (`local`) for sample grids and the exported model, synchronised from the pool when
 * needed.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDataParallel, type DataParallel } from '../engine/parallel/dataParallel.js';
import type { BackendName } from '../engine/backend.js';
import type { BatchShard, NamedArrays } from '../engine/parallel/replica.js';
import type { MimicModelConfig } from '../model/config.js';
import { MimicError } from '../util/errors.js';
import { MimicReplica, type MimicReplicaOptions } from './mimicReplica.js';

export interface StepRunner {
  readonly workers: number;
  /** The replica in this thread, with current weights after `syncLocal()`. */
  readonly local: MimicReplica;
  /** One training step (all phases); losses by name. Throws a MimicError naming a non-finite loss. */
  step(batch: BatchShard, batchSize: number, stepNumber: number): Promise<Record<string, number>>;
  syncLocal(): Promise<void>;
  getWeights(): Promise<NamedArrays>;
  setWeights(weights: NamedArrays): Promise<void>;
  /** Adam's state (moments, step counters), for checkpoints. */
  getOptimizerState(): Promise<NamedArrays>;
  setOptimizerState(state: NamedArrays): Promise<void>;
  dispose(): Promise<void>;
}

export class NonFiniteLossError extends MimicError {
  constructor(
    readonly lossName: string,
    readonly value: number,
    readonly step: number,
  ) {
    super(`loss "${lossName}" became ${value} at step ${step}`, 4);
  }
}

function checkFinite(losses: Record<string, number>, step: number): void {
  for (const [name, value] of Object.entries(losses))
    if (!Number.isFinite(value)) throw new NonFiniteLossError(name, value, step);
}

class InProcessRunner implements StepRunner {
  readonly workers = 1;
  constructor(readonly local: MimicReplica) {}

  async step(batch: BatchShard, batchSize: number, stepNumber: number): Promise<Record<string, number>> {
    const losses: Record<string, number> = {};
    for (const phase of this.local.phases) {
      const result = await this.local.computeGradients(phase, batch, batchSize);
      // Checked before the update, so a bad step never reaches the weights.
      checkFinite(result.losses, stepNumber);
      Object.assign(losses, result.losses);
      await this.local.applyGradients(phase, result.gradients);
    }
    return losses;
  }

  async syncLocal(): Promise<void> {}
  async getWeights(): Promise<NamedArrays> {
    return this.local.getWeights();
  }
  async setWeights(weights: NamedArrays): Promise<void> {
    this.local.setWeights(weights);
  }
  async getOptimizerState(): Promise<NamedArrays> {
    return this.local.getOptimizerState();
  }
  async setOptimizerState(state: NamedArrays): Promise<void> {
    this.local.setOptimizerState(state);
  }
  async dispose(): Promise<void> {
    this.local.dispose();
  }
}

class PoolRunner implements StepRunner {
  constructor(
    private readonly pool: DataParallel,
    readonly local: MimicReplica,
  ) {}

  get workers(): number {
    return this.pool.workers;
  }

  async step(batch: BatchShard, batchSize: number, stepNumber: number): Promise<Record<string, number>> {
    const byPhase = await this.pool.step(batch, batchSize);
    const losses = Object.assign({}, ...Object.values(byPhase)) as Record<string, number>;
    checkFinite(losses, stepNumber);
    return losses;
  }

  async syncLocal(): Promise<void> {
    this.local.setWeights(await this.pool.getWeights());
  }
  getWeights(): Promise<NamedArrays> {
    return this.pool.getWeights();
  }
  setWeights(weights: NamedArrays): Promise<void> {
    return this.pool.setWeights(weights);
  }
  getOptimizerState(): Promise<NamedArrays> {
    return this.pool.getOptimizerState();
  }
  setOptimizerState(state: NamedArrays): Promise<void> {
    return this.pool.setOptimizerState(state);
  }
  async dispose(): Promise<void> {
    await this.pool.dispose();
    this.local.dispose();
  }
}

export interface RunnerOptions {
  config: MimicModelConfig;
  seed: number;
  workers: number;
  backend: BackendName;
  log: (line: string) => void;
}

export async function createStepRunner(options: RunnerOptions): Promise<StepRunner> {
  const local = new MimicReplica(options.config, options.seed);
  if (options.workers === 1) return new InProcessRunner(local);
  const replicaOptions: MimicReplicaOptions = { config: options.config, seed: options.seed };
  const pool = await createDataParallel({
    // The replica module next to this one, with this module's own extension (.ts under tsx, .js in dist/).
    replicaModule: new URL(`./mimicReplica${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
    replicaOptions,
    workers: options.workers,
    backend: options.backend,
  });
  return new PoolRunner(pool, local);
}
