/**
 * Typed access to the internals of the TF.js WASM backend that our kernels need: tensors live on the
 * emscripten heap (one linear memory), so a kernel can read and write them as Float32Array views without
 * any copy, allocate scratch tensors there, and call the backend's own (XNNPACK) kernels on them.
 *
 * Views must be re-created after anything that may allocate: growing the WASM memory detaches old views.
 */
import tf from '../tfjs.cjs';

export interface WasmTensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
}

/** The part of BackendWasm (tfjs-backend-wasm/dist/backend_wasm.d.ts) that the engine kernels use. */
export interface WasmBackend {
  wasm: { HEAPF32: Float32Array };
  dataIdMap: { get(dataId: object): WasmTensorData; has(dataId: object): boolean };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

export function asWasmBackend(backend: unknown): WasmBackend {
  return backend as WasmBackend;
}

/** Start index of a tensor inside HEAPF32 (for copyWithin-style moves within the heap). */
export function heapIndex(backend: WasmBackend, info: tf.TensorInfo): number {
  return backend.dataIdMap.get(info.dataId).memoryOffset >>> 2;
}

export function allocate(backend: WasmBackend, shape: number[]): tf.TensorInfo {
  return backend.makeOutput(shape, 'float32');
}

export function release(backend: WasmBackend, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/**
 * What TF.js passes a kernel function: its inputs, attributes and backend (typed `unknown` until a kernel narrows
 * it, e.g. with asWasmBackend). The one declaration for every engine kernel.
 */
export interface KernelArgs<Backend = unknown> {
  inputs: tf.NamedTensorInfoMap;
  attrs: tf.NamedAttrMap;
  backend: Backend;
}
type WasmKernelFunc = (args: KernelArgs<WasmBackend>) => tf.TensorInfo;

/** The kernel function registered now for `name` on 'wasm' (stock or ours). */
export function wasmKernel(name: string): WasmKernelFunc {
  const config = tf.getKernel(name, 'wasm');
  if (config === undefined) throw new Error(`the WASM backend has no ${name} kernel`);
  return config.kernelFunc as unknown as WasmKernelFunc;
}

/**
 * Copies `length` floats inside the heap. copyWithin is a memmove in V8 (fast for long runs) but has a fixed
 * call cost, so short runs (few channels) are copied with a plain loop.
 */
export function copyInHeap(heap: Float32Array, to: number, from: number, length: number): void {
  if (length >= 16) {
    heap.copyWithin(to, from, from + length);
  } else {
    for (let k = 0; k < length; k++) heap[to + k] = heap[from + k]!;
  }
}

/**
 * [A, B, D] → [B, A, D] on the heap (D contiguous floats move as one block). This is every 4-D permutation the
 * conv kernels need, e.g. [N, H·W, C] → [H·W, N, C]. `from` and `to` are HEAPF32 indices of different tensors.
 */
export function swapOuterAxes(
  heap: Float32Array,
  from: number,
  to: number,
  a: number,
  b: number,
  d: number,
): void {
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) copyInHeap(heap, to + (j * a + i) * d, from + (i * b + j) * d, d);
  }
}

/** Attributes TF.js passes to both convolution-gradient kernels. */
export interface ConvGradientAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}
