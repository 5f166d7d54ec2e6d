/**
 * LeakyReluBackprop's own gradient (WGAN-GP differentiates LeakyReLU's gradient once more): with respect to dy it
 * is the same kernel, with respect to x zero (the slope is piecewise constant). See LeakyRelu_grad.ts.
 */
import tf from '../tfjs.cjs';
import { LEAKY_RELU_BACKPROP } from './LeakyReluBackprop.js';
import { leakyReluBackprop } from './LeakyRelu_grad.js';

export const leakyReluBackpropGradConfig: tf.GradConfig = {
  kernelName: LEAKY_RELU_BACKPROP,
  inputsToSave: ['x'],
  gradFunc: (ddx, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const alpha = (attrs as { alpha: number }).alpha;
    return { dy: () => leakyReluBackprop(ddx as tf.Tensor, x, alpha), x: () => tf.zerosLike(x) };
  },
};
