/**
 * The output layer of a generator that edits a base image instead of painting every pixel (generatorBase
 * "input" or "warped", see config.ts): out = base + m · (colour − base), i.e. a per-pixel mix of newly generated
 * colour and the base image, with colour = tanh(raw[…, :C]) and the mask m = sigmoid(raw[…, C]).
 *
 * Why: a plain decoder repaints the whole face through a 4×4 bottleneck and one skip, and comes out blurry — the
 * first shipped model reproduced held-out people less faithfully than copying the input (SSIM 0.764 vs 0.797).
 * With a mask, pixels the expression does not change are carried over sharp from the base, and the network spends
 * its capacity where the face changes (mouth, eyes). The idea is GANimation's attention mask (Pumarola et al.
 * 2018); with a warped base it is warp-then-refine (Geng et al. 2018).
 *
 * Inputs: [raw N×H×W×(C+1), base N×H×W×C]. A custom layer class (registered on import) because stock tf.layers
 * has no channel slicing; it has no weights.
 */
import tf from '../engine/tfjs.cjs';

export interface MaskedBlendArgs {
  name?: string;
  trainable?: boolean;
}

export class MaskedBlend extends tf.layers.Layer {
  static readonly className = 'MimicMaskedBlend';

  constructor(args: MaskedBlendArgs = {}) {
    super(args);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shapes = inputShape as tf.Shape[];
    return shapes[1]!;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      if (!Array.isArray(inputs) || inputs.length !== 2)
        throw new Error('MaskedBlend expects [raw, base] inputs');
      const [raw, base] = inputs as [tf.Tensor4D, tf.Tensor4D];
      const channels = base.shape[3];
      // One split rather than two slices: the engine's SplitV is a heap copy on WASM, and its gradient one Concat
      // (two slices cost two strided Slice kernels forward and two Pads plus an Add backward).
      const [colourRaw, maskRaw] = tf.split(raw, [channels, 1], 3) as [tf.Tensor4D, tf.Tensor4D];
      const colour = tf.tanh(colourRaw);
      const mask = tf.sigmoid(maskRaw);
      return tf.add(base, tf.mul(mask, tf.sub(colour, base)));
    });
  }
}

tf.serialization.registerClass(MaskedBlend);
