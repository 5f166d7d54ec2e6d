/**
 * Concat of float32 tensors on the WASM backend, as row copies inside the heap (SplitV.ts is its reverse).
 * Along axis k a tensor is [outer, inner] with outer = the product of the axes before k, so concatenating is
 * interleaving rows. The generator's skip connections concatenate on the channel axis: rows of a few dozen floats,
 * hundreds of thousands of them. The stock Concat makes a subarray view per row (an allocation each), several
 * times slower than copying the rows directly. Other dtypes go to the stock kernel.
 */
import tf from '../tfjs.cjs';
import { allocate, asWasmBackend, copyInHeap, heapIndex, type KernelArgs } from './heap.js';

/** Floats in one row of `shape` along `axis` (the axis and all after it). */
export function rowLength(shape: number[], axis: number): number {
  return tf.util.sizeFromShape(shape.slice(axis));
}

export function makeConcatKernel(stock: tf.KernelFunc): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const all = Object.values(args.inputs) as tf.TensorInfo[];
    const inputs = all.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
    if (inputs.length < 2 || inputs.some((t) => t.dtype !== 'float32'))
      return stock(args as never) as tf.TensorInfo;
    const axis = tf.util.parseAxisParam(
      (args.attrs as { axis: number | number[] }).axis,
      inputs[0]!.shape,
    )[0]!;
    const outShape = tf.backend_util.computeOutShape(
      inputs.map((t) => t.shape),
      axis,
    );
    const backend = asWasmBackend(args.backend);
    const out = allocate(backend, outShape);
    const heap = backend.wasm.HEAPF32;
    const outer = tf.util.sizeFromShape(outShape.slice(0, axis));
    const outRow = rowLength(outShape, axis);
    let column = 0;
    for (const input of inputs) {
      const row = rowLength(input.shape, axis);
      const from = heapIndex(backend, input);
      const to = heapIndex(backend, out) + column;
      for (let r = 0; r < outer; r++) copyInHeap(heap, to + r * outRow, from + r * row, row);
      column += row;
    }
    return out;
  };
  return { kernelName: 'Concat', backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
