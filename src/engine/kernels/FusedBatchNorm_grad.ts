/**
 * The gradient of FusedBatchNorm without Tile. TF.js's own gradient materialises rsqrt(variance + ε) tiled to
 * the full activation shape before multiplying (a 4-D Tile per BatchNorm layer: 172 ms of a 4.3 s step in the
 * issue's profile, ~6 % of ours); broadcasting the per-channel factor gives the same numbers with no copy.
 *
 * With r = (variance + ε)^-½ and y = (x − mean)·r·scale + offset, summing over the broadcast (batch/spatial)
 * axes where the parameter is per channel:
 *   ∂x = dy·scale·r   ∂mean = −Σ dy·scale·r   ∂variance = Σ dy·scale·(x − mean)·(−½ r³)
 *   ∂scale = Σ dy·(x − mean)·r   ∂offset = Σ dy
 * (mean and variance are inputs here; tf.moments' own gradients carry them back to x in training mode.)
 */
import tf from '../tfjs.cjs';

function reduceTo(gradient: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, gradient.shape);
  const summed = axes.length > 0 ? gradient.sum(axes) : gradient;
  return summed.reshape(shape);
}

/**
 * When every parameter has the mean's shape (one value per channel, the layers' case) the two channel sums
 * Σdy and Σdy·(x − mean) serve all four parameter gradients, computed once here instead of once per parameter
 * on full-size products (3 full-size passes per layer instead of 8).
 */
function sharedChannelGradients(
  dy: tf.Tensor,
  x: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  scale: tf.Tensor | undefined,
  epsilon: number,
): Record<string, () => tf.Tensor> {
  const r = tf.rsqrt(variance.add(epsilon));
  const scaledR = scale === undefined ? r : r.mul(scale);
  const sumDy = reduceTo(dy, mean.shape);
  const sumDyCentred = tf.tidy(() => reduceTo(dy.mul(x.sub(mean)), mean.shape));
  return {
    x: () => dy.mul(scaledR).reshape(x.shape),
    mean: () => sumDy.mul(scaledR).neg(),
    variance: () => sumDyCentred.mul(scaledR.mul(r).mul(r).mul(-0.5)),
    scale: () => sumDyCentred.mul(r),
    offset: () => sumDy.clone(), // a tensor of its own: the tape may dispose a gradient it accumulates
  };
}

export const batchNormGradConfig: tf.GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const epsilon = (attrs as { varianceEpsilon: number }).varianceEpsilon;
    const dyTensor = dy as tf.Tensor;
    const perChannel = [variance, scale].every(
      (p) => p === undefined || tf.util.arraysEqual(p.shape, mean.shape),
    );
    const channels = x.shape.at(-1);
    if (perChannel && mean.rank === 1 && mean.shape[0] === channels)
      return sharedChannelGradients(dyTensor, x, mean, variance, scale, epsilon);
    const r = tf.rsqrt(variance.add(epsilon));
    const scaledR = scale === undefined ? r : r.mul(scale);
    const centered = x.sub(mean);
    return {
      x: () => dyTensor.mul(scaledR).reshape(x.shape),
      mean: () => reduceTo(dyTensor.mul(scaledR).neg(), mean.shape),
      variance: () => {
        const factor = scaledR.mul(r).mul(r).mul(-0.5);
        return reduceTo(dyTensor.mul(centered).mul(factor), variance.shape);
      },
      scale: () => reduceTo(dyTensor.mul(centered).mul(r), scale === undefined ? mean.shape : scale.shape),
      offset: () => reduceTo(dyTensor, mean.shape),
    };
  },
};
