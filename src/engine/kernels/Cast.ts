/**
 * Cast to the tensor's own dtype on the WASM backend without a copy (the output shares the input's heap block,
 * as the cpu backend does). TF.js layers and optimizers cast float32 tensors to float32 a couple of hundred
 * times per training step, and the stock kernel copies the whole tensor every time. Real conversions (bool →
 * float32, …) go to the stock kernel.
 */
import tf from '../tfjs.cjs';
import type { KernelArgs } from './heap.js';

export function makeSameTypeCastKernel(stock: tf.KernelFunc): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs<{ incRef(dataId: object): void }>): tf.TensorInfo => {
    const x = args.inputs.x!;
    const dtype = (args.attrs as { dtype: tf.DataType }).dtype;
    if (dtype !== x.dtype || dtype === 'string') return stock(args as never) as tf.TensorInfo;
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype };
  };
  return { kernelName: 'Cast', backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
