/**
 * The second image input of a warp-refine generator (generatorBase "warped"): the input crop warped from its own
 * landmarks to the target landmarks. Training (trainingData.ts), inference (io.ts) and the web page all make it
 * here, so the network sees the same warp everywhere.
 */
import { denormalizeLandmarks, unflattenLandmarks, LANDMARK_VALUES } from '../face/landmarks.js';
import { piecewiseAffineWarp } from '../image/piecewiseAffineWarp.js';
import { imageToUnitRange, unitRangeToImage, type RgbImage } from '../image/rgbImage.js';

/** An 8-bit crop warped from `source` to `target` (flat normalized landmarks, 136 values each). */
export function warpCropToTarget(
  crop: RgbImage,
  source: ArrayLike<number>,
  target: ArrayLike<number>,
): RgbImage {
  const size = crop.width;
  const pixels = (flat: ArrayLike<number>) => denormalizeLandmarks(unflattenLandmarks(flat), size);
  return piecewiseAffineWarp(crop, pixels(source), pixels(target));
}

/**
 * N float crops (N×size×size×3 in [-1, 1]) each warped from its source to its target landmarks (N×136 each).
 * The crops go through 8 bits first, as in training, where the warp is made from the 8-bit data set.
 */
export function warpCropsToTargets(
  crops: Float32Array,
  sources: Float32Array,
  targets: Float32Array,
  n: number,
  size: number,
): Float32Array {
  const floats = size * size * 3;
  const out = new Float32Array(n * floats);
  for (let i = 0; i < n; i++) {
    const crop = unitRangeToImage(crops.subarray(i * floats, (i + 1) * floats), size, size);
    const warped = warpCropToTarget(
      crop,
      sources.subarray(i * LANDMARK_VALUES, (i + 1) * LANDMARK_VALUES),
      targets.subarray(i * LANDMARK_VALUES, (i + 1) * LANDMARK_VALUES),
    );
    out.set(imageToUnitRange(warped), i * floats);
  }
  return out;
}
