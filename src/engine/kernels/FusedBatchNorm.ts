/**
 * FusedBatchNorm forward on WASM as three vectorised XNNPACK passes: (x − mean) · k + offset with the
 * per-channel factor k = scale / √(variance + ε) computed first (C numbers). The stock kernel is a scalar loop
 * that recomputes the factor per element (measured at [32, 32, 32, 32]: ~1.5 ms against ~4 ms).
 * Subtracting the mean before scaling keeps the stock kernel's rounding behaviour when the mean is large.
 * Parameters that are not one value per channel go to the stock kernel.
 */
import tf from '../tfjs.cjs';
import { allocate, asWasmBackend, heapIndex, release, wasmKernel, type KernelArgs } from './heap.js';

function perChannel(info: tf.TensorInfo | undefined, channels: number): boolean {
  return (
    info === undefined ||
    (info.dtype === 'float32' &&
      info.shape.at(-1) === channels &&
      tf.util.sizeFromShape(info.shape) === channels)
  );
}

export function makeBatchNormKernel(stock: tf.KernelFunc): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { x, mean, variance, offset, scale } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const channels = x!.shape.at(-1) ?? 0;
    const params = [mean, variance, offset, scale];
    if (
      x!.dtype !== 'float32' ||
      tf.util.sizeFromShape(x!.shape) === 0 ||
      !params.every((p) => perChannel(p, channels))
    )
      return stock(args as never) as tf.TensorInfo;
    const backend = asWasmBackend(args.backend);
    const epsilon = (args.attrs as { varianceEpsilon: number }).varianceEpsilon;
    const factor = allocate(backend, [channels]);
    const heap = backend.wasm.HEAPF32;
    const [f, v] = [heapIndex(backend, factor), heapIndex(backend, variance!)];
    const s = scale === undefined ? -1 : heapIndex(backend, scale);
    for (let c = 0; c < channels; c++)
      heap[f + c] = (s < 0 ? 1 : heap[s + c]!) / Math.sqrt(heap[v + c]! + epsilon);
    const centred = wasmKernel('Sub')({ inputs: { a: x!, b: mean! }, attrs: {}, backend });
    const scaled = wasmKernel('Multiply')({ inputs: { a: centred, b: factor }, attrs: {}, backend });
    release(backend, centred, factor);
    if (offset === undefined) return scaled;
    const out = wasmKernel('Add')({ inputs: { a: scaled, b: offset }, attrs: {}, backend });
    release(backend, scaled);
    return out;
  };
  return {
    kernelName: 'FusedBatchNorm',
    backendName: 'wasm',
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}
