/**
 * SplitV of float32 tensors on the WASM backend (the gradient of Concat), as row copies inside the heap: the
 * reverse of Concat.ts. The stock SplitV goes through a generic strided Slice, several times slower than copying
 * the rows directly. Other dtypes go to the stock kernel.
 */
import tf from '../tfjs.cjs';
import { rowLength } from './Concat.js';
import { allocate, asWasmBackend, copyInHeap, heapIndex, type KernelArgs } from './heap.js';

export function makeSplitVKernel(stock: tf.KernelFunc): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo[] => {
    const x = args.inputs.x!;
    if (x.dtype !== 'float32') return stock(args as never) as tf.TensorInfo[];
    const attrs = args.attrs as { numOrSizeSplits: number | number[]; axis: number | number[] };
    const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs.numOrSizeSplits, axis);
    const backend = asWasmBackend(args.backend);
    const outer = tf.util.sizeFromShape(x.shape.slice(0, axis));
    const inRow = rowLength(x.shape, axis);
    const inner = inRow / x.shape[axis]!;
    const outputs: tf.TensorInfo[] = [];
    let column = 0;
    for (const size of sizes) {
      const shape = x.shape.slice();
      shape[axis] = size;
      const out = allocate(backend, shape);
      outputs.push(out);
      // Views are fetched after allocating: growing the heap detaches them.
      const heap = backend.wasm.HEAPF32;
      const row = size * inner;
      const from = heapIndex(backend, x) + column;
      const to = heapIndex(backend, out);
      for (let r = 0; r < outer; r++) copyInHeap(heap, to + r * row, from + r * inRow, row);
      column += row;
    }
    return outputs;
  };
  return { kernelName: 'SplitV', backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
