/**
 * What the data-parallel engine talks to: one replica, either in this thread or in a worker thread. Both sides
 * speak the same small async interface, so the engine's step logic is identical for 1 and N workers.
 */
import type { BatchShard, NamedArrays, PhaseResult, Replica, ReplicaFactory } from './replica.js';
import type { BackendName } from '../backend.js';

export interface ReplicaHost {
  readonly phases: readonly string[];
  computeGradients(phase: string, shard: BatchShard, shardSize: number): Promise<PhaseResult>;
  applyGradients(phase: string, gradients: NamedArrays): Promise<void>;
  /** All weights, or only the named ones. */
  getWeights(names?: readonly string[]): Promise<NamedArrays>;
  setWeights(weights: NamedArrays): Promise<void>;
  getOptimizerState(): Promise<NamedArrays>;
  setOptimizerState(state: NamedArrays): Promise<void>;
  dispose(): Promise<void>;
}

export interface ReplicaSpec {
  /** Module (file URL or path) that exports `createReplica(options)`. */
  replicaModule: string;
  replicaOptions?: unknown;
  backend?: BackendName;
}

export async function loadReplica(spec: ReplicaSpec): Promise<Replica> {
  const module = (await import(spec.replicaModule)) as { createReplica?: ReplicaFactory };
  if (typeof module.createReplica !== 'function')
    throw new Error(`${spec.replicaModule} does not export createReplica(options)`);
  return module.createReplica(spec.replicaOptions);
}

export function pickWeights(all: NamedArrays, names?: readonly string[]): NamedArrays {
  if (names === undefined) return all;
  const out: NamedArrays = {};
  for (const name of names) {
    const values = all[name];
    if (values === undefined) throw new Error(`replica has no weight "${name}"`);
    out[name] = values;
  }
  return out;
}

/** A replica in this thread (workers = 1: no copies, no messages). */
export class LocalReplicaHost implements ReplicaHost {
  constructor(private readonly replica: Replica) {}

  get phases(): readonly string[] {
    return this.replica.phases;
  }

  computeGradients(phase: string, shard: BatchShard, shardSize: number): Promise<PhaseResult> {
    return this.replica.computeGradients(phase, shard, shardSize);
  }

  applyGradients(phase: string, gradients: NamedArrays): Promise<void> {
    return this.replica.applyGradients(phase, gradients);
  }

  async getWeights(names?: readonly string[]): Promise<NamedArrays> {
    return pickWeights(this.replica.getWeights(), names);
  }

  async setWeights(weights: NamedArrays): Promise<void> {
    this.replica.setWeights(weights);
  }

  async getOptimizerState(): Promise<NamedArrays> {
    if (this.replica.getOptimizerState === undefined)
      throw new Error('the replica has no getOptimizerState()');
    return this.replica.getOptimizerState();
  }

  async setOptimizerState(state: NamedArrays): Promise<void> {
    if (this.replica.setOptimizerState === undefined)
      throw new Error('the replica has no setOptimizerState()');
    this.replica.setOptimizerState(state);
  }

  async dispose(): Promise<void> {
    this.replica.dispose();
  }
}
