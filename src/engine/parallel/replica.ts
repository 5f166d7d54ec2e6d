/**
 * The contract between a model's training step and the data-parallel engine (src/engine/parallel/).
 *
 * A Replica owns one copy of the networks and their optimizers. A training step is a list of phases
 * (for WGAN-GP: "critic" then "generator"); for each phase every replica computes gradients on its shard of the
 * batch, the engine averages them (weighted by shard size), and every replica applies the same averaged
 * gradients with its own optimizer. Same start weights + same averaged gradients + same optimizer = replicas
 * that stay bit-identical without ever shipping weights.
 *
 * A module that a worker can load exports `createReplica(options: unknown): Promise<Replica>`.
 *
 * A replica may implement getOptimizerState/setOptimizerState (the Mimic replica, src/train/mimicReplica.ts, does)
 * so that checkpoints hold the optimizer's state; DataParallel exposes them (replica 0's state; set on every replica).
 */

/** Gradients (or weights) by variable name, as flat float32 arrays. */
export type NamedArrays = Record<string, Float32Array>;

/** A shard of a batch: plain typed arrays so it can cross worker boundaries. */
export type BatchShard = Record<string, Float32Array | Int32Array>;

export interface PhaseResult {
  gradients: NamedArrays;
  /** Scalar losses of this phase on this shard (averaged over the shard), by name. */
  losses: Record<string, number>;
}

export interface Replica {
  /** Phase names in the order one training step runs them. */
  readonly phases: readonly string[];
  /** Gradients of the given phase on this shard. Must not change any weights. */
  computeGradients(phase: string, shard: BatchShard, shardSize: number): Promise<PhaseResult>;
  /** Applies (averaged) gradients of a phase with this replica's optimizer. */
  applyGradients(phase: string, gradients: NamedArrays): Promise<void>;
  /** All weights (trainable and not, optimizer state excluded), by name. */
  getWeights(): NamedArrays;
  /**
   * Sets the named weights; must accept a subset of the names (the data-parallel engine sends only the
   * non-trainable ones, e.g. BatchNorm moving statistics, when it averages them across replicas after a step).
   */
  setWeights(weights: NamedArrays): void;
  /** Optional: the optimizer's state (moments, step counters) as named arrays, for checkpoints. */
  getOptimizerState?(): NamedArrays;
  /** Optional: restores what getOptimizerState returned. */
  setOptimizerState?(state: NamedArrays): void;
  dispose(): void;
}

export type ReplicaFactory = (options: unknown) => Promise<Replica>;

/** One training step of a lone replica (benchmarks, profiles): each phase's gradients on the whole batch, applied. */
export async function stepAlone(replica: Replica, batch: BatchShard, batchSize: number): Promise<void> {
  for (const phase of replica.phases) {
    const { gradients } = await replica.computeGradients(phase, batch, batchSize);
    await replica.applyGradients(phase, gradients);
  }
}
