/**
 * The engine's LeakyReluBackprop kernel on WASM: dx = x > 0 ? dy : α·dy in one pass over the heap (see
 * ../leakyReluGradient.ts for why the kernel exists). Only float32 tensors of one shape reach it. (A NaN input
 * with the sign bit clear counts as positive, where TF.js's greater() gives α; NaN stays NaN either way.)
 */
import * as tf from '@tensorflow/tfjs';
import { allocate, asWasmBackend, heapIndex } from './heap.js';

export const LEAKY_RELU_BACKPROP = 'MimicLeakyReluBackprop';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; attrs: tf.NamedAttrMap; backend: unknown };

export const leakyReluBackpropConfig: tf.KernelConfig = {
  kernelName: LEAKY_RELU_BACKPROP,
  backendName: 'wasm',
  kernelFunc: ((args: KernelArgs): tf.TensorInfo => {
    const { dy, x } = args.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
    const alpha = (args.attrs as { alpha: number }).alpha;
    const backend = asWasmBackend(args.backend);
    const out = allocate(backend, x.shape);
    const heap = backend.wasm.HEAPF32;
    const bits = backend.wasm.HEAP32;
    const size = tf.util.sizeFromShape(x.shape);
    const [d, s, o] = [heapIndex(backend, dy), heapIndex(backend, x), heapIndex(backend, out)];
    // Branch-free: activations are positive or negative about half the time each, so a branch on the sign is
    // mispredicted half the time (measured 4× slower). An int32 b is ≤ 0 exactly when b or b − 1 has its top
    // bit set; a float's bits are ≤ 0 as an int32 exactly when the float is ≤ 0 (−0 and +0 included).
    const slopes = new Float64Array([1, Math.fround(alpha)]);
    for (let i = 0; i < size; i++) {
      const b = bits[s + i]!;
      heap[o + i] = heap[d + i]! * slopes[(b | (b - 1)) >>> 31]!;
    }
    return out;
  }) as unknown as tf.KernelFunc,
};
