/**
 * A small cache of tensors derived from a weight tensor (the flipped sub-filters of a transposed conv, a
 * transposed filter), keyed by the weight's dataId. TF.js never changes the data behind a dataId (a variable
 * update gets a new one), so a derived tensor stays valid for as long as its source exists. Reusing it also
 * reuses the XNNPACK operator the backend caches per filter, i.e. the weights are packed once, not on every
 * call: a generator forward at batch 1 is dominated by that packing otherwise. Least recently used sources
 * beyond the cap are dropped (training makes new weight tensors every step).
 */
import type * as tf from '@tensorflow/tfjs';
import { release, type WasmBackend } from './heap.js';

const MAX_SOURCES = 64;

interface Entry {
  backend: WasmBackend;
  derived: Map<string, tf.TensorInfo>;
}

const cache = new Map<object, Entry>();

export function derivedWeight(
  backend: WasmBackend,
  source: tf.TensorInfo,
  key: string,
  build: () => tf.TensorInfo,
): tf.TensorInfo {
  let entry = cache.get(source.dataId);
  if (entry !== undefined && entry.backend === backend) {
    cache.delete(source.dataId); // re-insert: most recently used last
    cache.set(source.dataId, entry);
  } else {
    entry = { backend, derived: new Map() };
    cache.set(source.dataId, entry);
    while (cache.size > MAX_SOURCES) evict(cache.keys().next().value as object);
  }
  let derived = entry.derived.get(key);
  if (derived === undefined) {
    derived = build();
    entry.derived.set(key, derived);
  }
  return derived;
}

function evict(dataId: object): void {
  const entry = cache.get(dataId);
  cache.delete(dataId);
  if (entry !== undefined) release(entry.backend, ...entry.derived.values());
}

/** Frees every cached tensor (tests use it to check that nothing else stays on the heap). */
export function clearDerivedWeights(): void {
  for (const dataId of [...cache.keys()]) evict(dataId);
}
