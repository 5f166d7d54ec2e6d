/**
 * MimicFusedConv2DTranspose (WASM, inference only): a transposed convolution with its bias and ReLU (or none)
 * fused into the XNNPACK convolutions that compute it (see Conv2DBackpropInput.ts for the sub-pixel scheme).
 * TF.js has no fused transposed convolution, so without it the compiled generator (src/model/fastGenerator.ts)
 * pays an Add with a broadcast bias and a Relu after every decoder layer. It has no gradient: nothing trains
 * through it.
 *
 * Inputs: x N×H×W×Cin, filter [kh, kw, Cout, Cin] (conv2dTranspose's layout), bias [Cout].
 * Attrs: outputShape, strides, pad (as conv2dTranspose), activation 'linear' | 'relu'.
 */
import tf from '../tfjs.cjs';
import { transposedConvolution, type BackpropInputAttrs } from './Conv2DBackpropInput.js';
import { asWasmBackend } from './heap.js';

export const FUSED_CONV2D_TRANSPOSE = 'MimicFusedConv2DTranspose';

export interface FusedConv2DTransposeAttrs {
  outputShape: [number, number, number, number];
  strides: [number, number];
  pad: 'same' | 'valid';
  activation: 'linear' | 'relu';
}

function fusedConv2dTranspose(args: {
  inputs: tf.NamedTensorInfoMap;
  attrs: tf.NamedAttrMap;
  backend: unknown;
}): tf.TensorInfo {
  const attrs = args.attrs as unknown as FusedConv2DTransposeAttrs;
  const backpropAttrs: BackpropInputAttrs = {
    inputShape: attrs.outputShape,
    strides: attrs.strides,
    pad: attrs.pad,
    dataFormat: 'NHWC',
  };
  return transposedConvolution(
    asWasmBackend(args.backend),
    args.inputs.x!,
    args.inputs.filter!,
    backpropAttrs,
    { bias: args.inputs.bias!, activation: attrs.activation },
  );
}

/**
 * The fused transposed convolution where the current backend has it (WASM with the engine's kernels registered),
 * else the same arithmetic in stock ops (conv2dTranspose, Add, Relu): the caller need not know the backend.
 */
export function fusedConv2dTransposeOp(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  attrs: FusedConv2DTransposeAttrs,
): tf.Tensor4D {
  if (tf.getKernel(FUSED_CONV2D_TRANSPOSE, tf.getBackend()) !== undefined)
    return tf
      .engine()
      .runKernel(
        FUSED_CONV2D_TRANSPOSE,
        { x, filter, bias },
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor4D;
  const y = tf.add(
    tf.conv2dTranspose(x, filter, attrs.outputShape, attrs.strides, attrs.pad),
    bias,
  ) as tf.Tensor4D;
  return attrs.activation === 'relu' ? tf.relu(y) : y;
}

export const fusedConv2dTransposeConfig: tf.KernelConfig = {
  kernelName: FUSED_CONV2D_TRANSPOSE,
  backendName: 'wasm',
  kernelFunc: fusedConv2dTranspose as unknown as tf.KernelFunc,
};
