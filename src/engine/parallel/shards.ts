/** Splitting a batch across replicas and combining what they send back. */
import type { BatchShard, NamedArrays } from './replica.js';

/** Sizes of `parts` contiguous shards of a batch, as equal as possible, larger ones first (none empty). */
export function shardSizes(batchSize: number, parts: number): number[] {
  const used = Math.max(1, Math.min(parts, batchSize));
  const base = Math.floor(batchSize / used);
  return Array.from({ length: used }, (_, i) => base + (i < batchSize % used ? 1 : 0));
}

/**
 * Rows [start, start + size) of every array of a batch (the leading axis is the batch axis). Copies, so that
 * sending a shard to a worker clones only its own rows, not the whole batch's buffer.
 */
export function sliceShard(batch: BatchShard, batchSize: number, start: number, size: number): BatchShard {
  const out: BatchShard = {};
  for (const [name, values] of Object.entries(batch)) {
    if (values.length % batchSize !== 0)
      throw new Error(`batch array "${name}" has ${values.length} values, not a multiple of ${batchSize}`);
    const perRow = values.length / batchSize;
    out[name] = values.slice(start * perRow, (start + size) * perRow);
  }
  return out;
}

/**
 * Σ_k weights[k]·parts[k] per name, summed in replica order (so every run reduces identically). The result
 * lives in SharedArrayBuffers: posting it to several workers then shares it instead of copying it per worker.
 */
export function weightedSum(parts: NamedArrays[], weights: number[]): NamedArrays {
  const out: NamedArrays = {};
  const first = parts[0];
  if (first === undefined) return out;
  for (const name of Object.keys(first)) {
    const length = first[name]!.length;
    const sum = new Float32Array(new SharedArrayBuffer(length * 4));
    parts.forEach((part, k) => {
      const values = part[name];
      if (values === undefined || values.length !== length)
        throw new Error(`replica ${k} sent ${values === undefined ? 'no' : 'a differently sized'} "${name}"`);
      const w = weights[k]!;
      for (let i = 0; i < length; i++) sum[i] = sum[i]! + w * values[i]!;
    });
    out[name] = sum;
  }
  return out;
}

/** FNV-1a over the bytes of all arrays in name order: equal checksums ⇔ (practically) bit-identical weights. */
export function weightChecksum(weights: NamedArrays): string {
  let hash = 0x811c9dc5;
  for (const name of Object.keys(weights).sort()) {
    for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
    const values = weights[name]!;
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
