/**
 * BatchMatMul with transposed operands on the WASM backend. XNNPACK's fast path only takes plain row-major
 * operands; the stock kernel runs transposed ones through a generic loop (0.5–2 GFLOP/s against ~17 plain), and
 * every dense layer's backward pass has one transposed product for dW (xᵀ·dy) and one for dx (dy·Wᵀ).
 * Transposing the operand into a scratch buffer (a blocked copy, O(size) against the product's O(size·n))
 * and calling the plain product is several times faster.
 */
import tf from '../tfjs.cjs';
import { allocate, asWasmBackend, heapIndex, release, type WasmBackend, type KernelArgs } from './heap.js';

const BLOCK = 32;

/** [..., rows, cols] → [batch, cols, rows] in a new heap buffer (tile by tile, so both sides stay in cache). */
function transposeLastTwo(backend: WasmBackend, x: tf.TensorInfo): tf.TensorInfo {
  const rank = x.shape.length;
  const rows = x.shape[rank - 2]!;
  const cols = x.shape[rank - 1]!;
  const batch = tf.util.sizeFromShape(x.shape.slice(0, -2));
  const out = allocate(backend, [...x.shape.slice(0, -2), cols, rows]);
  const heap = backend.wasm.HEAPF32;
  const src = heapIndex(backend, x);
  const dst = heapIndex(backend, out);
  for (let b = 0; b < batch; b++) {
    const from = src + b * rows * cols;
    const to = dst + b * rows * cols;
    for (let r0 = 0; r0 < rows; r0 += BLOCK) {
      const r1 = Math.min(rows, r0 + BLOCK);
      for (let c0 = 0; c0 < cols; c0 += BLOCK) {
        const c1 = Math.min(cols, c0 + BLOCK);
        for (let r = r0; r < r1; r++) {
          for (let c = c0; c < c1; c++) heap[to + c * rows + r] = heap[from + r * cols + c]!;
        }
      }
    }
  }
  return out;
}

export function makeBatchMatMulKernel(stock: tf.KernelFunc): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const a = args.inputs.a!;
    const b = args.inputs.b!;
    if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32')
      return stock(args as never) as tf.TensorInfo;
    const backend = asWasmBackend(args.backend);
    const plainA = transposeA ? transposeLastTwo(backend, a) : a;
    const plainB = transposeB ? transposeLastTwo(backend, b) : b;
    const out = stock({
      inputs: { a: plainA, b: plainB },
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
      backend: args.backend,
    } as never) as tf.TensorInfo;
    if (transposeA) release(backend, plainA);
    if (transposeB) release(backend, plainB);
    return out;
  };
  return {
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}
