/**
 * Puts the engine's kernels into the TF.js registry. Called by initBackend() for the WASM backend; safe to call
 * any number of times (a replaced kernel is recognised by a marker on its function, so a second module copy,
 * e.g. sources and dist/ in one process, does not stack wrappers).
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './wasm/conv2dBackpropFilter.js';
import { conv2dBackpropInputConfig } from './wasm/conv2dBackpropInput.js';
import { registerGreaterGradient } from './greaterGradient.js';

const ENGINE_KERNEL = Symbol.for('mimic.engineKernel');

/** The kernels that replace (or add to) the stock WASM ones, in registration order. */
export const WASM_ENGINE_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
];

function isEngineKernel(config: tf.KernelConfig | undefined): boolean {
  return (
    config !== undefined && (config.kernelFunc as unknown as Record<symbol, unknown>)[ENGINE_KERNEL] === true
  );
}

/** The stock kernels we replaced, kept so benchmarks can measure them (see useStockWasmKernels). */
const stockKernels = new Map<string, tf.KernelConfig>();

export function registerWasmKernels(): void {
  for (const config of WASM_ENGINE_KERNELS) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (isEngineKernel(current)) continue;
    if (current !== undefined) {
      stockKernels.set(config.kernelName, current);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    (config.kernelFunc as unknown as Record<symbol, unknown>)[ENGINE_KERNEL] = true;
    tf.registerKernel(config);
  }
}

/** Everything the engine adds: gradients for every backend, kernels for WASM. */
export function registerEngineKernels(): void {
  registerGreaterGradient();
  registerWasmKernels();
}

/**
 * Puts the stock WASM kernels back, except the named ones (benchmarks only: measures what TF.js alone does).
 * Kernels the stock backend lacks are removed, so the stock configuration fails where it really fails.
 */
export function useStockWasmKernels(except: readonly string[] = []): void {
  for (const config of WASM_ENGINE_KERNELS) {
    if (except.includes(config.kernelName)) continue;
    if (!isEngineKernel(tf.getKernel(config.kernelName, 'wasm'))) continue;
    tf.unregisterKernel(config.kernelName, 'wasm');
    const stock = stockKernels.get(config.kernelName);
    if (stock !== undefined) tf.registerKernel(stock);
  }
}
