/**
 * LeakyReLU forward on WASM through the backend's own Prelu kernel (XNNPACK, vectorised) with a per-channel
 * slope vector filled with α: the same numbers (x > 0 ? x : α·x) about 10× faster than the stock LeakyRelu
 * kernel, a scalar loop that branches on each sign (measured at [32, 32, 32, 32]: 0.3 ms against 5 ms).
 * The slope vectors are kept, one per (channels, α): XNNPACK caches its Prelu operator by the slope tensor,
 * so a fresh vector per call would rebuild the operator every time.
 */
import tf from '../tfjs.cjs';
import { allocate, asWasmBackend, heapIndex, wasmKernel, type WasmBackend, type KernelArgs } from './heap.js';

const slopeVectors = new Map<string, tf.TensorInfo>();

function slopeVector(backend: WasmBackend, channels: number, alpha: number): tf.TensorInfo {
  const key = `${channels}:${alpha}`;
  const cached = slopeVectors.get(key);
  if (cached !== undefined && backend.dataIdMap.has(cached.dataId)) return cached;
  const vector = allocate(backend, [channels]);
  const start = heapIndex(backend, vector);
  backend.wasm.HEAPF32.fill(alpha, start, start + channels);
  slopeVectors.set(key, vector);
  return vector;
}

export function makeLeakyReluKernel(stock: tf.KernelFunc): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const x = args.inputs.x!;
    const channels = x.shape.at(-1);
    if (x.dtype !== 'float32' || channels === undefined || tf.util.sizeFromShape(x.shape) === 0)
      return stock(args as never) as tf.TensorInfo;
    const backend = asWasmBackend(args.backend);
    const alpha = slopeVector(backend, channels, (args.attrs as { alpha: number }).alpha);
    return wasmKernel('Prelu')({ inputs: { x, alpha }, attrs: {}, backend });
  };
  return { kernelName: 'LeakyRelu', backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
