/** Mean's gradient: Sum's (Sum_grad.ts: dy broadcast with Fill instead of tf.ones()), with the 1/n applied to dy. */
import type * as tf from '@tensorflow/tfjs';
import { broadcastGradient } from './Sum_grad.js';

export const meanGradConfig: tf.GradConfig = {
  kernelName: 'Mean',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const axis = (attrs as { axis: number | number[] }).axis;
    return { x: () => broadcastGradient(dy as tf.Tensor, x, axis, true) };
  },
};
