/**
 * Tanh on WASM as tanh(x) = 2·σ(2x) − 1 through the backend's vectorised (XNNPACK) Sigmoid, Add and Sub: the
 * stock Tanh is a scalar libm loop (measured at the generator's output, [32, 64, 64, 3]: ~1 ms against 6–10 ms).
 * The identity costs absolute accuracy, not much: at most ~2.4e-7 (two float32 steps at 1) from the exact
 * value, far below what an image or a training step can notice; the relative error near 0 is larger than
 * the stock kernel's, so a caller that needs tanh of tiny values to full relative precision must not use it.
 */
import tf from '../tfjs.cjs';
import {
  allocate,
  asWasmBackend,
  heapIndex,
  release,
  wasmKernel,
  type WasmBackend,
  type KernelArgs,
} from './heap.js';

let one: tf.TensorInfo | undefined;

function scalarOne(backend: WasmBackend): tf.TensorInfo {
  if (one !== undefined && backend.dataIdMap.has(one.dataId)) return one;
  one = allocate(backend, []);
  backend.wasm.HEAPF32[heapIndex(backend, one)] = 1;
  return one;
}

export function makeTanhKernel(stock: tf.KernelFunc): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const x = args.inputs.x!;
    if (x.dtype !== 'float32' || tf.util.sizeFromShape(x.shape) === 0)
      return stock(args as never) as tf.TensorInfo;
    const backend = asWasmBackend(args.backend);
    const run = (name: string, inputs: tf.NamedTensorInfoMap) =>
      wasmKernel(name)({ inputs, attrs: {}, backend });
    const twice = run('Add', { a: x, b: x }); // 2x exactly
    const sigmoid = run('Sigmoid', { x: twice });
    release(backend, twice);
    const doubled = run('Add', { a: sigmoid, b: sigmoid });
    release(backend, sigmoid);
    const out = run('Sub', { a: doubled, b: scalarOne(backend) });
    release(backend, doubled);
    return out;
  };
  return { kernelName: 'Tanh', backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
