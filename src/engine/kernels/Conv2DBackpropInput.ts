/**
 * Conv2DBackpropInput for the WASM backend (the stock one is a scalar loop: 2.4–3 GFLOP/s against 26–31 for
 * the XNNPACK forward Conv2D). It is both the input gradient of every conv and the forward of every
 * transposed conv, so it sits on the hot path twice.
 *
 * Why sub-pixel convolutions: with forward stride s, filter k and padding pt,
 *   dx[h] = Σ_{oh, i : oh·s + i − pt = h} dy[oh] · W[i]        (one spatial axis shown, channels summed)
 * Write h + pt = q·s + r with 0 ≤ r < s. Only taps i = r + m·s (m = 0 … km−1, km = ⌈(k − r)/s⌉) reach the
 * rows of phase r, from dy row oh = q − m. So the phase-r rows of dx are a stride-1 correlation of dy with the
 * flipped sub-filter W_r[m'] = W[r + (km − 1 − m')·s] (in/out channels swapped), padded by km − 1 on top.
 * That is s² small forward convolutions (XNNPACK, no wasted multiplies by inserted zeros), followed by an
 * interleave of their outputs into dx done with block copies on the heap. For s = 1 the single phase output is
 * dx itself. Output rows a phase computes but dx does not have (odd sizes) are simply not copied.
 */
import tf from '../tfjs.cjs';
import {
  allocate,
  asWasmBackend,
  copyInHeap,
  heapIndex,
  release,
  wasmKernel,
  type ConvGradientAttrs,
  type WasmBackend,
} from './heap.js';
import { derivedWeight } from './derivedWeights.js';
import { SMALL_PATCH, backpropInputByMatMul } from './smallChannelConvGrads.js';

export interface BackpropInputAttrs extends ConvGradientAttrs {
  inputShape: [number, number, number, number];
}

/** How one phase r along one axis maps onto dy (input of its conv) and dx (where its rows go). */
interface AxisPhase {
  /** Taps of the sub-filter along this axis (0: this phase receives nothing). */
  taps: number;
  /** First/last q with h = q·s + r − pad inside dx. */
  qFirst: number;
  qLast: number;
  padBefore: number;
  padAfter: number;
  /** Conv output row that holds q = qFirst. */
  firstOutputRow: number;
}

function axisPhase(
  phase: number,
  stride: number,
  filterSize: number,
  pad: number,
  dxSize: number,
  dySize: number,
): AxisPhase {
  const taps = Math.max(0, Math.ceil((filterSize - phase) / stride));
  const qFirst = Math.ceil((pad - phase) / stride);
  const qLast = Math.floor((dxSize - 1 + pad - phase) / stride);
  // Output row t reads dy rows t − padBefore … t − padBefore + taps − 1, i.e. it holds q = t + taps − 1 − padBefore.
  const padBefore = Math.max(0, taps - 1 - qFirst);
  const padAfter = Math.max(0, qLast - (dySize - 1));
  return { taps, qFirst, qLast, padBefore, padAfter, firstOutputRow: qFirst - (taps - 1) + padBefore };
}

/** W_r[a, b, co, ci] = W[rh + (kmh − 1 − a)·s, rw + (kmw − 1 − b)·s, ci, co]. */
function subFilter(
  backend: WasmBackend,
  filter: tf.TensorInfo,
  rowPhase: number,
  colPhase: number,
  rows: AxisPhase,
  cols: AxisPhase,
  strideHeight: number,
  strideWidth: number,
): tf.TensorInfo {
  const [, filterWidth, inChannels, outChannels] = filter.shape as [number, number, number, number];
  const out = allocate(backend, [rows.taps, cols.taps, outChannels, inChannels]);
  const heap = backend.wasm.HEAPF32;
  const src = heapIndex(backend, filter);
  let to = heapIndex(backend, out);
  for (let a = 0; a < rows.taps; a++) {
    const i = rowPhase + (rows.taps - 1 - a) * strideHeight;
    for (let b = 0; b < cols.taps; b++) {
      const j = colPhase + (cols.taps - 1 - b) * strideWidth;
      const tap = src + (i * filterWidth + j) * inChannels * outChannels;
      for (let co = 0; co < outChannels; co++) {
        for (let ci = 0; ci < inChannels; ci++) heap[to++] = heap[tap + ci * outChannels + co]!;
      }
    }
  }
  return out;
}

/**
 * What an inference-only transposed convolution adds after the sum (MimicFusedConv2DTranspose): a bias per output
 * channel and an activation. Training never passes one (Conv2DBackpropInput computes a gradient).
 */
export interface TransposeEpilogue {
  bias: tf.TensorInfo;
  activation: 'linear' | 'relu';
}

/** out[i] = activation(out[i] + bias[i mod channels]) on the heap, for the paths that cannot fuse it. */
function applyEpilogue(backend: WasmBackend, out: tf.TensorInfo, epilogue: TransposeEpilogue): void {
  const heap = backend.wasm.HEAPF32;
  const start = heapIndex(backend, out);
  const end = start + out.shape.reduce((a, b) => a * b, 1);
  const channels = epilogue.bias.shape[0]!;
  const bias = heap.slice(heapIndex(backend, epilogue.bias), heapIndex(backend, epilogue.bias) + channels);
  const relu = epilogue.activation === 'relu';
  for (let i = start, c = 0; i < end; i++) {
    const v = heap[i]! + bias[c]!;
    heap[i] = relu && v < 0 ? 0 : v;
    if (++c === channels) c = 0;
  }
}

function conv2dBackpropInput(args: {
  inputs: tf.NamedTensorInfoMap;
  attrs: tf.NamedAttrMap;
  backend: unknown;
}): tf.TensorInfo {
  return transposedConvolution(
    asWasmBackend(args.backend),
    args.inputs.dy!,
    args.inputs.filter!,
    args.attrs as unknown as BackpropInputAttrs,
  );
}

/**
 * dx of a convolution with `filter` (the forward of a transposed convolution), with an optional epilogue. With an
 * epilogue, every phase's XNNPACK convolution adds the bias and applies the activation itself (the phases cover
 * disjoint output pixels, so that equals adding them to dx); the paths without per-phase convolutions (small
 * patches, phases that no tap reaches, a stride-1 copy) apply it on the heap afterwards.
 */
export function transposedConvolution(
  backend: WasmBackend,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  attrs: BackpropInputAttrs,
  epilogue?: TransposeEpilogue,
): tf.TensorInfo {
  if (attrs.dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropInput supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels, strideHeight, strideWidth } = info;
  const withEpilogue = (out: tf.TensorInfo): tf.TensorInfo => {
    if (epilogue !== undefined) applyEpilogue(backend, out, epilogue);
    return out;
  };
  if (info.filterHeight * info.filterWidth * inChannels <= SMALL_PATCH)
    return withEpilogue(backpropInputByMatMul(backend, dy, filter, info));
  const dyHeight = dy.shape[1]!;
  const dyWidth = dy.shape[2]!;
  const rowPhases = Array.from({ length: strideHeight }, (_, r) =>
    axisPhase(r, strideHeight, info.filterHeight, info.padInfo.top, inHeight, dyHeight),
  );
  const colPhases = Array.from({ length: strideWidth }, (_, r) =>
    axisPhase(r, strideWidth, info.filterWidth, info.padInfo.left, inWidth, dyWidth),
  );
  // Fused only where every output pixel comes out of some phase's convolution.
  const fuse =
    epilogue !== undefined &&
    rowPhases.every((p) => p.taps > 0) &&
    colPhases.every((p) => p.taps > 0) &&
    (strideHeight > 1 || strideWidth > 1);
  const conv2d = wasmKernel(fuse ? 'FusedConv2D' : 'Conv2D');
  const runPhase = (rowPhase: number, colPhase: number, rows: AxisPhase, cols: AxisPhase): tf.TensorInfo => {
    const weights = derivedWeight(
      backend,
      filter,
      `subfilter:${strideHeight},${strideWidth},${rowPhase},${colPhase}`,
      () => subFilter(backend, filter, rowPhase, colPhase, rows, cols, strideHeight, strideWidth),
    );
    const out = conv2d({
      inputs: fuse ? { x: dy, filter: weights, bias: epilogue!.bias } : { x: dy, filter: weights },
      attrs: {
        ...(fuse ? { activation: epilogue!.activation } : {}),
        strides: [1, 1],
        pad: [
          [0, 0],
          [rows.padBefore, rows.padAfter],
          [cols.padBefore, cols.padAfter],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [1, 1],
      } as unknown as tf.NamedAttrMap,
      backend,
    });
    return out;
  };

  if (strideHeight === 1 && strideWidth === 1) {
    const rows = rowPhases[0]!;
    const cols = colPhases[0]!;
    // Usually the single phase output is dx itself; only paddings wider than the filter need the copy below.
    const direct = rows.firstOutputRow === 0 && cols.firstOutputRow === 0;
    if (direct && rows.taps > 0 && cols.taps > 0) {
      const out = runPhase(0, 0, rows, cols);
      if (out.shape[1] === inHeight && out.shape[2] === inWidth) return withEpilogue(out);
      release(backend, out);
    }
  }

  const dx = allocate(backend, [batchSize, inHeight, inWidth, inChannels]);
  for (let rowPhase = 0; rowPhase < strideHeight; rowPhase++) {
    for (let colPhase = 0; colPhase < strideWidth; colPhase++) {
      const rows = rowPhases[rowPhase]!;
      const cols = colPhases[colPhase]!;
      const noRows = rows.qLast < rows.qFirst || cols.qLast < cols.qFirst;
      if (noRows) continue;
      const empty = rows.taps === 0 || cols.taps === 0;
      const phaseOut = empty ? undefined : runPhase(rowPhase, colPhase, rows, cols);
      const heap = backend.wasm.HEAPF32;
      const dxStart = heapIndex(backend, dx);
      const outStart = phaseOut === undefined ? 0 : heapIndex(backend, phaseOut);
      const outHeight = phaseOut?.shape[1] ?? 0;
      const outWidth = phaseOut?.shape[2] ?? 0;
      for (let n = 0; n < batchSize; n++) {
        for (let q = rows.qFirst; q <= rows.qLast; q++) {
          const h = q * strideHeight + rowPhase - info.padInfo.top;
          const t = rows.firstOutputRow + (q - rows.qFirst);
          for (let qc = cols.qFirst; qc <= cols.qLast; qc++) {
            const w = qc * strideWidth + colPhase - info.padInfo.left;
            const to = dxStart + ((n * inHeight + h) * inWidth + w) * inChannels;
            if (phaseOut === undefined) {
              heap.fill(0, to, to + inChannels);
            } else {
              const tc = cols.firstOutputRow + (qc - cols.qFirst);
              copyInHeap(heap, to, outStart + ((n * outHeight + t) * outWidth + tc) * inChannels, inChannels);
            }
          }
        }
      }
      if (phaseOut !== undefined) release(backend, phaseOut);
    }
  }
  return fuse ? dx : withEpilogue(dx);
}

export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as tf.KernelFunc,
};
