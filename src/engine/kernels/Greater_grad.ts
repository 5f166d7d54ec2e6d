/**
 * The gradient of Greater, which TF.js registers on no backend. A comparison is piecewise constant, so its
 * gradient is zero almost everywhere; it still has to exist because leakyRelu's gradient calls greater(), and
 * WGAN-GP differentiates through that gradient (a second-order gradient), which fails without it.
 */
import tf from '../tfjs.cjs';

export const greaterGradConfig: tf.GradConfig = {
  kernelName: 'Greater',
  inputsToSave: ['a', 'b'],
  gradFunc: (_dy, saved) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    return { a: () => tf.zerosLike(a), b: () => tf.zerosLike(b) };
  },
};

/** Registers the gradient once per process (the registry is global, shared by all backends). */
export function registerGreaterGradient(): void {
  if (tf.getGradient('Greater') === undefined) tf.registerGradient(greaterGradConfig);
}
