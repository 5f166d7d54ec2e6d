/**
 * Sum's gradient (and Mean's, Mean_grad.ts) that broadcasts dy with the backend's Fill kernel instead of tf.ones().
 * TF.js's own gradients multiply the reshaped dy by ones(x.shape), and ones() builds the full-size tensor as a
 * JavaScript array that is then copied into the backend (on WASM: a fresh 4 MB array and a 4 MB copy for a
 * [32, 32, 32, 32] activation, outside any kernel), and Mean's then divides the full-size product by n.
 * Here the 1/n is applied to dy (C numbers) and the ones come from Fill, which writes the backend's memory
 * directly. Built from differentiable ops only, so WGAN-GP's second-order gradient goes through as before.
 */
import tf from '../tfjs.cjs';

/** dy broadcast back to x's shape over the reduced axes (divided by their size for Mean). */
export function broadcastGradient(
  dy: tf.Tensor,
  x: tf.Tensor,
  axis: number | number[],
  divisor: boolean,
): tf.Tensor {
  const axes = tf.util.parseAxisParam(axis, x.shape);
  const expandedShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  let expanded = tf.reshape(dy, expandedShape);
  if (divisor) {
    const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
    expanded = tf.div(expanded, count);
  }
  return tf.mul(expanded, tf.fill(x.shape, 1, 'float32'));
}

export const sumGradConfig: tf.GradConfig = {
  kernelName: 'Sum',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const axis = (attrs as { axis: number | number[] }).axis;
    return { x: () => broadcastGradient(dy as tf.Tensor, x, axis, false) };
  },
};
