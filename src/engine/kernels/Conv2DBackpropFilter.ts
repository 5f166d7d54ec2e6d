/**
 * Conv2DBackpropFilter for the WASM backend (the stock backend has none, so nothing with a conv can train).
 *
 * Why it is one forward convolution: with forward stride s and padding (pt, pl),
 *   dW[i, j, ci, co] = Σ_{n, oh, ow} x[n, oh·s + i − pt, ow·s + j − pl, ci] · dy[n, oh, ow, co].
 * Read x as an image batch over ci with channels n, X'[ci, u, v, n] = x[n, u − pt, v − pl, ci] (zero outside),
 * and dy as a filter of size Ho×Wo with n in-channels, F'[oh, ow, n, co] = dy[n, oh, ow, co]. Then
 *   dW[i, j, ci, co] = Σ_{oh, ow, n} X'[ci, i + oh·s, j + ow·s, n] · F'[oh, ow, n, co],
 * a VALID stride-1 convolution of X' with F' dilated by s, whose kh×kw output is dW with axes [ci, i, j, co].
 * XNNPACK runs that at forward-conv speed; the three transposes around it are plain block moves on the heap.
 */
import tf from '../tfjs.cjs';
import {
  allocate,
  asWasmBackend,
  heapIndex,
  release,
  swapOuterAxes,
  wasmKernel,
  type ConvGradientAttrs,
  type WasmBackend,
} from './heap.js';
import { SMALL_PATCH, backpropFilterByMatMul } from './smallChannelConvGrads.js';

interface BackpropFilterAttrs extends ConvGradientAttrs {
  filterShape: [number, number, number, number];
}

/** X'[ci, u, v, n] = x[n, u − pt, v − pl, ci] inside the image, 0 in the padding (and rows never read). */
function paddedChannelsFirst(
  backend: WasmBackend,
  x: tf.TensorInfo,
  paddedHeight: number,
  paddedWidth: number,
  padTop: number,
  padLeft: number,
): tf.TensorInfo {
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const out = allocate(backend, [channels, paddedHeight, paddedWidth, batch]);
  const heap = backend.wasm.HEAPF32;
  const src = heapIndex(backend, x);
  const dst = heapIndex(backend, out);
  heap.fill(0, dst, dst + channels * paddedHeight * paddedWidth * batch);
  const planeStride = paddedHeight * paddedWidth * batch;
  const rows = Math.min(height, paddedHeight - padTop);
  const cols = Math.min(width, paddedWidth - padLeft);
  for (let h = 0; h < rows; h++) {
    for (let w = 0; w < cols; w++) {
      const pixelTo = dst + ((h + padTop) * paddedWidth + (w + padLeft)) * batch;
      for (let n = 0; n < batch; n++) {
        const from = src + ((n * height + h) * width + w) * channels;
        let to = pixelTo + n;
        for (let c = 0; c < channels; c++, to += planeStride) heap[to] = heap[from + c]!;
      }
    }
  }
  return out;
}

function conv2dBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  attrs: tf.NamedAttrMap;
  backend: unknown;
}): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const x = args.inputs.x!;
  const dy = args.inputs.dy!;
  const attrs = args.attrs as unknown as BackpropFilterAttrs;
  if (attrs.dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropFilter supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, filterHeight, filterWidth, inChannels, outChannels, outHeight, outWidth } = info;
  if (filterHeight * filterWidth * inChannels <= SMALL_PATCH)
    return backpropFilterByMatMul(backend, x, dy, info);
  const paddedHeight = filterHeight + (outHeight - 1) * info.strideHeight;
  const paddedWidth = filterWidth + (outWidth - 1) * info.strideWidth;

  const xT = paddedChannelsFirst(backend, x, paddedHeight, paddedWidth, info.padInfo.top, info.padInfo.left);
  const dyT = allocate(backend, [outHeight, outWidth, batchSize, outChannels]);
  swapOuterAxes(
    backend.wasm.HEAPF32,
    heapIndex(backend, dy),
    heapIndex(backend, dyT),
    batchSize,
    outHeight * outWidth,
    outChannels,
  );
  const conv = wasmKernel('Conv2D')({
    inputs: { x: xT, filter: dyT },
    attrs: {
      strides: [1, 1],
      pad: 'valid',
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
    } as unknown as tf.NamedAttrMap,
    backend,
  });
  release(backend, xT, dyT);
  const dW = allocate(backend, [filterHeight, filterWidth, inChannels, outChannels]);
  swapOuterAxes(
    backend.wasm.HEAPF32,
    heapIndex(backend, conv),
    heapIndex(backend, dW),
    inChannels,
    filterHeight * filterWidth,
    outChannels,
  );
  release(backend, conv);
  return dW;
}

export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};
