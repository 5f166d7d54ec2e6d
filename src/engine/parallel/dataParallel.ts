/**
 * Data-parallel training over worker threads (contract: replica.ts). One replica per worker (per core: the
 * Node WASM backend is single-threaded), the batch split into contiguous shards, each phase's gradients
 * averaged (weighted by shard size) in a fixed order and applied by every replica with its own optimizer.
 * Replicas start from replica 0's weights, so they stay bit-identical without ever shipping weights.
 *
 * Non-trainable weights (BatchNorm moving mean/variance) are updated by each replica from its own shard, so
 * they would drift apart; after every step they are replaced by their shard-size-weighted average. For the
 * moving mean that equals the single-process update exactly; for the moving variance it misses the
 * between-shard spread of the means (a small bias towards lower variance, as in DDP without SyncBatchNorm).
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { initBackend, type BackendName } from '../backend.js';
import type { BatchShard, NamedArrays } from './replica.js';
import { LocalReplicaHost, loadReplica, type ReplicaHost } from './replicaHost.js';
import { shardSizes, sliceShard, weightChecksum, weightedSum } from './shards.js';
import { WorkerReplicaHost } from './workerReplicaHost.js';
import { MimicError } from '../../util/errors.js';

export interface DataParallelOptions {
  /** Module exporting `createReplica(options)`: a file URL, or a path. */
  replicaModule: URL | string;
  replicaOptions?: unknown;
  /** Replicas; 1 runs in this thread. Default: one per core. */
  workers?: number;
  /** Backend of each replica's thread (default: initBackend's automatic choice). */
  backend?: BackendName;
  /** Run a single replica in a worker anyway (e.g. to use another backend than this thread's). */
  forceWorkers?: boolean;
}

/**
 * Where the time of the steps so far went (milliseconds, summed over steps). `computeMs` is the wall time of
 * the gradient phases; `slowestReplicaMs`/`fastestReplicaMs` sum each phase's slowest and fastest replica as
 * seen from this thread (compute + message transfer): their gap is load imbalance. The rest is serial work in
 * this thread while the workers wait: averaging gradients, applying them (Adam), syncing BatchNorm statistics.
 */
export interface EngineTimings {
  steps: number;
  computeMs: number;
  slowestReplicaMs: number;
  fastestReplicaMs: number;
  reduceMs: number;
  applyMs: number;
  syncMs: number;
}

/** Losses of one step: by phase, then by loss name (shard-size-weighted means over the whole batch). */
export type StepLosses = Record<string, Record<string, number>>;

export interface DataParallel {
  readonly workers: number;
  readonly phases: readonly string[];
  /** The backend the replicas run on. */
  readonly backend: string;
  /** One training step (all phases) on a batch whose arrays hold `batchSize` rows each. */
  step(batch: BatchShard, batchSize: number): Promise<StepLosses>;
  /** Replica 0's weights (all replicas hold the same). */
  getWeights(): Promise<NamedArrays>;
  /** Sets the weights of every replica (e.g. when resuming). */
  setWeights(weights: NamedArrays): Promise<void>;
  /** Replica 0's optimizer state (all replicas hold the same); needs the replica's getOptimizerState(). */
  getOptimizerState(): Promise<NamedArrays>;
  /** Sets every replica's optimizer state (resuming a checkpoint). */
  setOptimizerState(state: NamedArrays): Promise<void>;
  /** Cumulative time split of all steps so far. */
  timings(): EngineTimings;
  /** One checksum per replica; all equal while the replicas are bit-identical. */
  checksums(): Promise<string[]>;
  dispose(): Promise<void>;
}

function moduleSpecifier(module: URL | string): string {
  if (module instanceof URL) return module.href;
  return /^[a-z]+:/i.test(module) ? module : pathToFileURL(module).href;
}

export async function createDataParallel(options: DataParallelOptions): Promise<DataParallel> {
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1) throw new MimicError(`--workers must be a positive integer`);
  const spec = {
    replicaModule: moduleSpecifier(options.replicaModule),
    replicaOptions: options.replicaOptions,
    backend: options.backend,
  };
  let hosts: ReplicaHost[];
  let backend: string;
  if (workers === 1 && options.forceWorkers !== true) {
    backend = await initBackend({ backend: options.backend ?? 'auto' });
    hosts = [new LocalReplicaHost(await loadReplica(spec))];
  } else {
    const settled = await Promise.allSettled(
      Array.from({ length: workers }, () => WorkerReplicaHost.start(spec)),
    );
    const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed !== undefined) {
      // Do not leave the healthy workers running (they would keep the process alive).
      await Promise.all(started.map((h) => h.dispose()));
      throw failed.reason;
    }
    backend = started[0]!.backend;
    hosts = started;
  }
  const engine = new DataParallelEngine(hosts, backend);
  if (workers > 1) await engine.setWeights(await hosts[0]!.getWeights());
  return engine;
}

class DataParallelEngine implements DataParallel {
  /** Weights that no phase has gradients for (found after the first step). */
  private nonTrainable: string[] | undefined;
  private readonly time: EngineTimings = {
    steps: 0,
    computeMs: 0,
    slowestReplicaMs: 0,
    fastestReplicaMs: 0,
    reduceMs: 0,
    applyMs: 0,
    syncMs: 0,
  };

  constructor(
    private readonly hosts: ReplicaHost[],
    readonly backend: string,
  ) {}

  get workers(): number {
    return this.hosts.length;
  }

  get phases(): readonly string[] {
    return this.hosts[0]!.phases;
  }

  async step(batch: BatchShard, batchSize: number): Promise<StepLosses> {
    const sizes = shardSizes(batchSize, this.hosts.length);
    const hosts = this.hosts.slice(0, sizes.length);
    const starts = sizes.map((_, k) => sizes.slice(0, k).reduce((a, b) => a + b, 0));
    const shards =
      hosts.length === 1 ? [batch] : sizes.map((size, k) => sliceShard(batch, batchSize, starts[k]!, size));
    const weights = sizes.map((size) => size / batchSize);
    const losses: StepLosses = {};
    const trainable = new Set<string>();
    for (const phase of this.phases) {
      const computeStart = performance.now();
      const durations: number[] = [];
      const results = await Promise.all(
        hosts.map(async (h, k) => {
          const result = await h.computeGradients(phase, shards[k]!, sizes[k]!);
          durations.push(performance.now() - computeStart);
          return result;
        }),
      );
      const reduceStart = performance.now();
      this.time.computeMs += reduceStart - computeStart;
      this.time.slowestReplicaMs += Math.max(...durations);
      this.time.fastestReplicaMs += Math.min(...durations);
      const gradients =
        results.length === 1
          ? results[0]!.gradients
          : weightedSum(
              results.map((r) => r.gradients),
              weights,
            );
      Object.keys(gradients).forEach((name) => trainable.add(name));
      losses[phase] = averageLosses(
        results.map((r) => r.losses),
        weights,
      );
      const applyStart = performance.now();
      this.time.reduceMs += applyStart - reduceStart;
      await Promise.all(this.hosts.map((h) => h.applyGradients(phase, gradients)));
      this.time.applyMs += performance.now() - applyStart;
    }
    const syncStart = performance.now();
    if (this.hosts.length > 1) await this.averageNonTrainable(hosts, weights, trainable);
    this.time.syncMs += performance.now() - syncStart;
    this.time.steps++;
    return losses;
  }

  private async averageNonTrainable(hosts: ReplicaHost[], weights: number[], trainable: Set<string>) {
    if (this.nonTrainable === undefined) {
      const all = Object.keys(await this.hosts[0]!.getWeights());
      this.nonTrainable = all.filter((name) => !trainable.has(name));
    }
    if (this.nonTrainable.length === 0) return;
    const names = this.nonTrainable;
    const parts = await Promise.all(hosts.map((h) => h.getWeights(names)));
    const averaged = weightedSum(parts, weights);
    await Promise.all(this.hosts.map((h) => h.setWeights(averaged)));
  }

  getOptimizerState(): Promise<NamedArrays> {
    return this.hosts[0]!.getOptimizerState();
  }

  async setOptimizerState(state: NamedArrays): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.setOptimizerState(state)));
  }

  timings(): EngineTimings {
    return { ...this.time };
  }

  getWeights(): Promise<NamedArrays> {
    return this.hosts[0]!.getWeights();
  }

  async setWeights(weights: NamedArrays): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.setWeights(weights)));
  }

  async checksums(): Promise<string[]> {
    const all = await Promise.all(this.hosts.map((h) => h.getWeights()));
    return all.map(weightChecksum);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.dispose()));
  }
}

function averageLosses(parts: Record<string, number>[], weights: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  parts.forEach((losses, k) => {
    for (const [name, value] of Object.entries(losses)) out[name] = (out[name] ?? 0) + weights[k]! * value;
  });
  return out;
}
