/** Messages between the data-parallel engine and its worker threads (parallelWorker.ts). */
import type { BatchShard, NamedArrays, PhaseResult } from './replica.js';

export type WorkerRequest =
  | { id: number; type: 'init' }
  | { id: number; type: 'computeGradients'; phase: string; shard: BatchShard; shardSize: number }
  | { id: number; type: 'applyGradients'; phase: string; gradients: NamedArrays }
  | { id: number; type: 'getWeights'; names?: readonly string[] }
  | { id: number; type: 'setWeights'; weights: NamedArrays }
  | { id: number; type: 'getOptimizerState' }
  | { id: number; type: 'setOptimizerState'; state: NamedArrays }
  | { id: number; type: 'dispose' };

export type WorkerReply =
  | { id: number; ok: false; error: string }
  | {
      id: number;
      ok: true;
      phases?: string[];
      backend?: string;
      result?: PhaseResult;
      weights?: NamedArrays;
    };

/** Distributive Omit, so each request variant keeps its own fields. */
export type RequestBody = WorkerRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never;
