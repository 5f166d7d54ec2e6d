/**
 * A real, deterministic stand-in for the trained generator in pipeline tests: the piecewise-affine warp of the
 * input crop from its own landmarks to the target landmarks (src/image/piecewiseAffineWarp.ts). It follows target
 * landmarks the way a trained model should, so transfer, animation and paste-back can be tested without training.
 */
import { DEFAULT_ALIGNMENT } from '../../src/face/align.js';
import { denormalizeLandmarks, unflattenLandmarks } from '../../src/face/landmarks.js';
import { piecewiseAffineWarp } from '../../src/image/piecewiseAffineWarp.js';
import { imageToUnitRange, unitRangeToImage } from '../../src/image/rgbImage.js';
import type { ExpressionModel } from '../../src/transfer/model.js';

/** `calls` collects the batch size of every generate call. */
export function warpModel(calls: number[] = []): ExpressionModel {
  const size = DEFAULT_ALIGNMENT.size;
  const px = (f: ArrayLike<number>) => denormalizeLandmarks(unflattenLandmarks(f), size);
  return {
    alignment: DEFAULT_ALIGNMENT,
    labels: ['neutral', 'smile'],
    generate(crops, sources, landmarks, n) {
      calls.push(n);
      const pixels = crops.length / n;
      const out = new Float32Array(crops.length);
      for (let k = 0; k < n; k++) {
        const input = unitRangeToImage(crops.subarray(k * pixels, (k + 1) * pixels), size, size);
        const warped = piecewiseAffineWarp(
          input,
          px(sources.subarray(k * 136, (k + 1) * 136)),
          px(landmarks.subarray(k * 136, (k + 1) * 136)),
        );
        out.set(imageToUnitRange(warped), k * pixels);
      }
      return out;
    },
  };
}
