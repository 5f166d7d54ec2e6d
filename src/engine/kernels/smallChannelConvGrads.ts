/**
 * Conv gradients through one matrix product, for convolutions whose image side has few channels (the RGB
 * layers: first conv of G and D, last transposed conv of G). There XNNPACK's convolution is at its worst
 * (3 channels fill a fraction of its SIMD tiles; in the dilated backprop-filter conv the reduction runs over
 * 1024 kernel taps of only N channels each), while a plain matrix product with a short side is fast.
 *
 * With patches P[(n, oh, ow), (i, j, ci)] = x[n, oh·s + i − pt, ow·s + j − pl, ci] (0 outside the image):
 *   dW = Pᵀ · dy                        (kh·kw·Ci × N·Ho·Wo) · (N·Ho·Wo × Co); Pᵀ is built directly, small
 *   dx = col2im(dy · Wᵀ)                (N·Ho·Wo × Co) · (Co × kh·kw·Ci), then each row's kh·kw·Ci values are
 *                                        added into the pixels its patch came from.
 * Both matrices have one side of only kh·kw·Ci (48 for a 4×4 RGB conv), so the patch buffers stay small.
 */
import tf from '../tfjs.cjs';
import { allocate, heapIndex, release, wasmKernel, type WasmBackend } from './heap.js';
import { derivedWeight } from './derivedWeights.js';

/** Use these paths when the image side of the conv has at most this many values per patch. */
export const SMALL_PATCH = 64;

type ConvInfo = tf.backend_util.Conv2DInfo;

function matMul(backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  return wasmKernel('BatchMatMul')({
    inputs: { a, b },
    attrs: { transposeA: false, transposeB: false } as unknown as tf.NamedAttrMap,
    backend,
  });
}

/** The same heap data seen with another shape (the matmul kernel reshapes it; no copy). */
function viewAs(info: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

export function backpropFilterByMatMul(
  backend: WasmBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: ConvInfo,
): tf.TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: ho, outWidth: wo } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const patch = kh * kw * c;
  const rows = n * ho * wo;
  const patchesT = allocate(backend, [1, patch, rows]);
  const heap = backend.wasm.HEAPF32;
  const src = heapIndex(backend, x);
  const dst = heapIndex(backend, patchesT);
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // Row (i, j, ci) of Pᵀ, written contiguously; each output row's in-image columns are one clamped range.
  let to = dst;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const owFirst = Math.max(0, Math.ceil((left - j) / sw));
      const owEnd = Math.min(wo, Math.floor((w - 1 + left - j) / sw) + 1);
      for (let ci = 0; ci < c; ci++) {
        for (let b = 0; b < n; b++) {
          for (let oh = 0; oh < ho; oh++, to += wo) {
            const y = oh * sh + i - top;
            if (y < 0 || y >= h || owEnd <= owFirst) {
              heap.fill(0, to, to + wo);
              continue;
            }
            for (let ow = 0; ow < owFirst; ow++) heap[to + ow] = 0;
            let from = src + ((b * h + y) * w + (owFirst * sw + j - left)) * c + ci;
            for (let ow = owFirst; ow < owEnd; ow++, from += sw * c) heap[to + ow] = heap[from]!;
            for (let ow = owEnd; ow < wo; ow++) heap[to + ow] = 0;
          }
        }
      }
    }
  }
  const product = matMul(backend, patchesT, viewAs(dy, [1, rows, info.outChannels]));
  release(backend, patchesT);
  return { ...product, shape: [kh, kw, c, info.outChannels] };
}

export function backpropInputByMatMul(
  backend: WasmBackend,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: ConvInfo,
): tf.TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: ho, outWidth: wo } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outChannels: co } = info;
  const patch = kh * kw * c;
  const rows = n * ho * wo;
  // Wᵀ: [co, (i, j, ci)] from W: [(i, j, ci), co] (tiny; cached, so XNNPACK packs it once per weight tensor).
  const filterT = derivedWeight(backend, filter, 'transposed', () => {
    const t = allocate(backend, [1, co, patch]);
    const heap = backend.wasm.HEAPF32;
    const f = heapIndex(backend, filter);
    const ft = heapIndex(backend, t);
    for (let p = 0; p < patch; p++)
      for (let o = 0; o < co; o++) heap[ft + o * patch + p] = heap[f + p * co + o]!;
    return t;
  });
  const cols = matMul(backend, viewAs(dy, [1, rows, co]), filterT);
  const dx = allocate(backend, [n, h, w, c]);
  const heap = backend.wasm.HEAPF32;
  const out = heapIndex(backend, dx);
  heap.fill(0, out, out + n * h * w * c);
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const colsStart = heapIndex(backend, cols);
  // Tap-major: for one tap (i, j) each output row adds into one image row, over a clamped column range.
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const owFirst = Math.max(0, Math.ceil((left - j) / sw));
      const owEnd = Math.min(wo, Math.floor((w - 1 + left - j) / sw) + 1);
      const tapOffset = (i * kw + j) * c;
      for (let b = 0; b < n; b++) {
        for (let oh = 0; oh < ho; oh++) {
          const y = oh * sh + i - top;
          if (y < 0 || y >= h) continue;
          let from = colsStart + ((b * ho + oh) * wo + owFirst) * patch + tapOffset;
          let to = out + ((b * h + y) * w + (owFirst * sw + j - left)) * c;
          for (let ow = owFirst; ow < owEnd; ow++, from += patch, to += sw * c) {
            for (let ci = 0; ci < c; ci++) heap[to + ci] = heap[to + ci]! + heap[from + ci]!;
          }
        }
      }
    }
  }
  release(backend, cols);
  return dx;
}
