/**
 * Identity on the WASM backend without a copy: the output shares the input's heap block (reference counted,
 * as the cpu backend does). The stock kernel copies the whole tensor, and gradients pass through Identity
 * hundreds of times per training step. Kernels never write into their inputs, so sharing is safe.
 */
import tf from '../tfjs.cjs';
import type { KernelArgs } from './heap.js';

export function makeIdentityKernel(stock: tf.KernelFunc): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs<{ incRef(dataId: object): void }>): tf.TensorInfo => {
    const x = args.inputs.x!;
    if (x.dtype === 'string') return stock(args as never) as tf.TensorInfo;
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { kernelName: 'Identity', backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
