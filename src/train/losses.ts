/**
 * The training losses of Qiao et al. 2018 as pure functions of tensors. Each returns a scalar averaged over the
 * batch, so that gradients of shards averaged by shard size equal the gradient of the whole batch.
 */
import tf from '../engine/tfjs.cjs';

/** Keeps sqrt differentiable where a distance is exactly zero. */
const SQRT_EPSILON = 1e-12;

/**
 * Eq. 2: for codes z1, z2 (N×D) and α (N; 0 = same expression label, 1 = different),
 * mean over the batch of (1 − α)·½‖z1 − z2‖² + α·½·max(0, m − ‖z1 − z2‖)².
 */
export function contrastiveLoss(
  z1: tf.Tensor2D,
  z2: tf.Tensor2D,
  different: tf.Tensor1D,
  margin: number,
): tf.Scalar {
  return tf.tidy(() => {
    const squared = tf.sum(tf.square(tf.sub(z1, z2)), 1);
    const distance = tf.sqrt(tf.add(squared, SQRT_EPSILON));
    const pull = tf.mul(tf.sub(1, different), tf.mul(0.5, squared));
    const push = tf.mul(different, tf.mul(0.5, tf.square(tf.relu(tf.sub(margin, distance)))));
    return tf.mean(tf.add(pull, push)) as tf.Scalar;
  });
}

/** Eq. 4, image term: L1 distance summed over pixels and channels, averaged over the batch. */
export function imageL1Loss(generated: tf.Tensor, real: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const n = generated.shape[0]!;
    return tf.div(tf.sum(tf.abs(tf.sub(generated, real))), n) as tf.Scalar;
  });
}

/** Eq. 4, landmark term: squared L2 distance summed over the coordinates, averaged over the batch. */
export function landmarkL2Loss(reconstructed: tf.Tensor2D, real: tf.Tensor2D): tf.Scalar {
  return tf.tidy(
    () => tf.div(tf.sum(tf.square(tf.sub(reconstructed, real))), reconstructed.shape[0]) as tf.Scalar,
  );
}

/** A critic as a function of images, returning one value per sample (N). */
export type CriticFn = (images: tf.Tensor4D) => tf.Tensor1D;

/** Per-sample critic value: the mean of D's output map (N×2×2×1 → N). */
export function criticValues(map: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => tf.mean(tf.reshape(map, [map.shape[0]!, -1]), 1) as tf.Tensor1D);
}

/**
 * WGAN-GP gradient penalty (Gulrajani et al. 2017, eq. 3 of the paper): x̂ = ε·real + (1 − ε)·fake with ε ~ U[0, 1]
 * per sample, mean over the batch of (‖∇_x̂ D(x̂)‖₂ − 1)². The gradient is a real tf.grad, so differentiating
 * this loss with respect to D's weights is a second-order gradient.
 */
export function gradientPenalty(
  critic: CriticFn,
  real: tf.Tensor4D,
  fake: tf.Tensor4D,
  epsilon: tf.Tensor1D,
): tf.Scalar {
  return tf.tidy(() => {
    const e = tf.reshape(epsilon, [-1, 1, 1, 1]);
    const mixed = tf.add(tf.mul(e, real), tf.mul(tf.sub(1, e), fake)) as tf.Tensor4D;
    // Samples are independent in D (no batch statistics), so the gradient of the sum is each sample's own gradient.
    const gradient = tf.grad((x: tf.Tensor) => tf.sum(critic(x as tf.Tensor4D)))(mixed);
    const norms = tf.sqrt(tf.add(tf.sum(tf.square(gradient), [1, 2, 3]), SQRT_EPSILON));
    return tf.mean(tf.square(tf.sub(norms, 1))) as tf.Scalar;
  });
}

export interface CriticLossTerms {
  /** The full critic loss: wasserstein + λ·gradientPenalty. */
  total: tf.Scalar;
  /** mean D(fake) − mean D(real): the negative of the critic's Wasserstein estimate. */
  wasserstein: tf.Scalar;
  gradientPenalty: tf.Scalar;
}

/** Eq. 3, the critic's side. */
export function criticLoss(
  critic: CriticFn,
  real: tf.Tensor4D,
  fake: tf.Tensor4D,
  epsilon: tf.Tensor1D,
  penaltyWeight: number,
): CriticLossTerms {
  const wasserstein = tf.tidy(() => tf.sub(tf.mean(critic(fake)), tf.mean(critic(real))) as tf.Scalar);
  const penalty = gradientPenalty(critic, real, fake, epsilon);
  const total = tf.tidy(() => tf.add(wasserstein, tf.mul(penaltyWeight, penalty)) as tf.Scalar);
  return { total, wasserstein, gradientPenalty: penalty };
}

/** Eq. 3, the generator's side: −mean D(fake). */
export function generatorAdversarialLoss(critic: CriticFn, fake: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(critic(fake))) as tf.Scalar);
}
