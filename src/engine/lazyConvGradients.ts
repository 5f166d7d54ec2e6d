/**
 * Training-mode convolutions whose gradients TF.js computes only where they are needed.
 *
 * Why: tf.layers' Conv2D always runs through tf.fused.conv2d, and that op's gradient (a customGrad in
 * tfjs-core) computes the input gradient *and* the filter gradient whenever backpropagation passes through it,
 * needed or not. In a GAN step that wastes whole convolutions: D's filter gradients in the generator step (only
 * G is trained there), the input gradients of the real and fake images in the critic step, the filter
 * gradients inside the gradient penalty's inner pass, and the first layer's input gradient everywhere. The
 * plain tf.conv2d's registered gradient is lazy, and TF.js only asks for the inputs on a path from the
 * variables being differentiated, so the same arithmetic runs as conv2d + bias add with nothing thrown away.
 *
 * Only calls with { training: true } change; inference keeps the fused kernel (and its exact numbers).
 */
import tf from './tfjs.cjs';

/** The protected parts of tf.layers' Conv2D that the unfused call reads (tfjs-layers 4.x). */
interface Conv2DInternals {
  getClassName(): string;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  strides: number[];
  padding: 'valid' | 'same' | 'causal';
  dataFormat: 'channelsFirst' | 'channelsLast';
  dilationRate: number[];
  activation: { getClassName(): string; apply(x: tf.Tensor): tf.Tensor };
}

function unfusedConv(layer: Conv2DInternals, input: tf.Tensor4D): tf.Tensor {
  return tf.tidy(() => {
    const y = tf.conv2d(
      input,
      layer.kernel.read() as tf.Tensor4D,
      layer.strides as [number, number],
      layer.padding as 'valid' | 'same',
      'NHWC',
      layer.dilationRate as [number, number],
    );
    const biased = layer.bias === null ? y : tf.add(y, layer.bias.read());
    return layer.activation.getClassName() === 'linear' ? biased : layer.activation.apply(biased);
  });
}

/**
 * Makes every Conv2D layer of `model` run unfused when called in training mode. Idempotent; returns how many
 * Conv2D layers now run that way.
 */
export function useLazyConvGradients(model: tf.LayersModel): number {
  let changed = 0;
  for (const layer of model.layers) {
    const conv = layer as unknown as Conv2DInternals & { mimicLazyGradients?: true };
    if (conv.getClassName() !== 'Conv2D') continue;
    changed++;
    if (conv.mimicLazyGradients) continue;
    // These are tf.layers internals: fail at set-up, with a clear message, if a TF.js upgrade moved them.
    if (
      typeof conv.kernel?.read !== 'function' ||
      !Array.isArray(conv.strides) ||
      !Array.isArray(conv.dilationRate)
    )
      throw new Error(
        `useLazyConvGradients: tf.layers' Conv2D (layer ${layer.name}) no longer has the fields this module reads; ` +
          'update src/engine/lazyConvGradients.ts for this TF.js version',
      );
    if (conv.dataFormat !== 'channelsLast' || conv.padding === 'causal')
      throw new Error(`useLazyConvGradients: layer ${layer.name} is not a channels-last 2-D convolution`);
    const fusedCall = conv.call.bind(conv);
    conv.call = (inputs, kwargs) => {
      if (kwargs.training !== true) return fusedCall(inputs, kwargs);
      const input = Array.isArray(inputs) ? inputs[0]! : inputs;
      return unfusedConv(conv, input as tf.Tensor4D);
    };
    conv.mimicLazyGradients = true;
  }
  return changed;
}
