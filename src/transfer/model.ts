/**
 * What transfer and animation need from a trained model: its alignment (crops must be made exactly as in training),
 * and a batched generate function. Kept as an interface so the pipeline runs on any generator with this shape
 * (the saved Mimic model, a model being trained, or a test's tiny network).
 */
import type { AlignmentConfig } from '../face/align.js';

export interface ExpressionModel {
  /** The alignment the model was trained with; its `size` is the crop side. */
  alignment: AlignmentConfig;
  /** Expression labels of the training data. */
  labels: string[];
  /**
   * N crops (N × size × size × 3 in [-1, 1]), each crop's own landmarks and N target landmark sets (N × 136 in
   * [-1, 1] each) → N generated crops (same layout as the input crops).
   */
  generate(
    crops: Float32Array,
    sources: Float32Array,
    targets: Float32Array,
    n: number,
  ): Float32Array | Promise<Float32Array>;
}

/** How many crops one generate call gets: frames of an animation go in batches of this many, not one at a time. */
export const GENERATE_BATCH = 16;

/** Runs `model.generate` over `n` inputs in batches of `batch`. */
export async function generateInBatches(
  model: ExpressionModel,
  crops: Float32Array,
  sources: Float32Array,
  landmarks: Float32Array,
  n: number,
  batch = GENERATE_BATCH,
): Promise<Float32Array> {
  const pixels = crops.length / n;
  const dim = landmarks.length / n;
  const out = new Float32Array(crops.length);
  for (let start = 0; start < n; start += batch) {
    const count = Math.min(batch, n - start);
    const result = await model.generate(
      crops.subarray(start * pixels, (start + count) * pixels),
      sources.subarray(start * dim, (start + count) * dim),
      landmarks.subarray(start * dim, (start + count) * dim),
      count,
    );
    out.set(result, start * pixels);
  }
  return out;
}
