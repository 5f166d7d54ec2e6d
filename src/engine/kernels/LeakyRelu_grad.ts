/**
 * LeakyReLU's gradient as one kernel where the backend has it (WASM, with the engine's kernels).
 * TF.js computes it as greater(x, 0) → mul(dy, α) → where(mask, dy, α·dy): three full passes and a bool tensor.
 * WGAN-GP then differentiates that gradient once more for the penalty, and where's gradient adds a cast, a
 * logicalNot, two more casts and two multiplies per LeakyReLU. One kernel, LeakyReluBackprop(dy, x), does the
 * first as dy · step(x), and its own gradient with respect to dy is the same kernel (with respect to x it is
 * zero: the slope is piecewise constant), so the second order costs the same two passes.
 * Backends without the kernel (cpu, tfjs-node, or the stock WASM configuration in benchmarks) get TF.js's chain.
 */
import tf from '../tfjs.cjs';
import { LEAKY_RELU_BACKPROP } from './LeakyReluBackprop.js';

function hasBackpropKernel(dy: tf.Tensor, x: tf.Tensor): boolean {
  return (
    dy.dtype === 'float32' &&
    x.dtype === 'float32' &&
    tf.util.arraysEqual(dy.shape, x.shape) &&
    tf.getKernel(LEAKY_RELU_BACKPROP, tf.getBackend()) !== undefined
  );
}

/** dy · step(x) with slope α below zero: one LeakyReluBackprop kernel where the backend has it. */
export function leakyReluBackprop(dy: tf.Tensor, x: tf.Tensor, alpha: number): tf.Tensor {
  if (!hasBackpropKernel(dy, x)) return tf.where(tf.greater(x, 0), dy, tf.mul(dy, alpha));
  return tf.engine().runKernel(LEAKY_RELU_BACKPROP, { dy, x }, { alpha }) as tf.Tensor;
}

export const leakyReluGradConfig: tf.GradConfig = {
  kernelName: 'LeakyRelu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const alpha = (attrs as { alpha: number }).alpha;
    return { x: () => leakyReluBackprop(dy as tf.Tensor, x, alpha) };
  },
};
