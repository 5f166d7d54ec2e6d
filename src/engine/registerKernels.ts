/**
 * Puts the engine's kernels into the TF.js registry. Called by initBackend() for every backend (gradients are
 * global; the kernels are WASM's); safe to call any number of times: a replaced kernel is recognised by a
 * marker on its function, so a second module copy (sources and dist/ in one process) does not stack wrappers.
 *
 * Laid out as TF.js itself: kernels/<KernelName>.ts is a kernel, kernels/<KernelName>_grad.ts a gradient (Sum and
 * Mean share leadingAxesReduction.ts); lowercase files in kernels/ are their helpers (heap access, cached derived
 * weights, small-channel convolution gradients). The data-parallel machinery is in parallel/.
 */
import tf from './tfjs.cjs';
import { conv2dBackpropFilterConfig } from './kernels/Conv2DBackpropFilter.js';
import { conv2dBackpropInputConfig } from './kernels/Conv2DBackpropInput.js';
import { FUSED_CONV2D_TRANSPOSE, fusedConv2dTransposeConfig } from './kernels/FusedConv2DTranspose.js';
import { makeIdentityKernel } from './kernels/Identity.js';
import { makeBatchMatMulKernel } from './kernels/BatchMatMul.js';
import { makeLeadingAxesReduction } from './kernels/leadingAxesReduction.js';
import { makeSameTypeCastKernel } from './kernels/Cast.js';
import { makeConcatKernel } from './kernels/Concat.js';
import { makeSplitVKernel } from './kernels/SplitV.js';
import { makeLeakyReluKernel } from './kernels/LeakyRelu.js';
import { makeBatchNormKernel } from './kernels/FusedBatchNorm.js';
import { makeTanhKernel } from './kernels/Tanh.js';
import { registerGreaterGradient } from './kernels/Greater_grad.js';
import { batchNormGradConfig } from './kernels/FusedBatchNorm_grad.js';
import { leakyReluGradConfig } from './kernels/LeakyRelu_grad.js';
import { leakyReluBackpropGradConfig } from './kernels/LeakyReluBackprop_grad.js';
import { meanGradConfig } from './kernels/Mean_grad.js';
import { sumGradConfig } from './kernels/Sum_grad.js';
import { LEAKY_RELU_BACKPROP, leakyReluBackpropConfig } from './kernels/LeakyReluBackprop.js';

const ENGINE_KERNEL = Symbol.for('mimic.engineKernel');

/** An engine kernel, given the stock kernel it replaces (some fall back to it for cases they do not cover). */
interface EngineKernel {
  name: string;
  make(stock: tf.KernelFunc | undefined): tf.KernelConfig;
}

function requireStock(name: string, stock: tf.KernelFunc | undefined): tf.KernelFunc {
  if (stock === undefined) throw new Error(`the WASM backend has no ${name} kernel to extend`);
  return stock;
}

export const WASM_ENGINE_KERNELS: readonly EngineKernel[] = [
  { name: 'Conv2DBackpropFilter', make: () => conv2dBackpropFilterConfig },
  { name: 'Conv2DBackpropInput', make: () => conv2dBackpropInputConfig },
  { name: 'BatchMatMul', make: (stock) => makeBatchMatMulKernel(requireStock('BatchMatMul', stock)) },
  { name: 'Identity', make: (stock) => makeIdentityKernel(requireStock('Identity', stock)) },
  { name: 'Sum', make: (stock) => makeLeadingAxesReduction('Sum', requireStock('Sum', stock)) },
  { name: 'Mean', make: (stock) => makeLeadingAxesReduction('Mean', requireStock('Mean', stock)) },
  { name: 'Cast', make: (stock) => makeSameTypeCastKernel(requireStock('Cast', stock)) },
  { name: 'Concat', make: (stock) => makeConcatKernel(requireStock('Concat', stock)) },
  { name: 'SplitV', make: (stock) => makeSplitVKernel(requireStock('SplitV', stock)) },
  { name: LEAKY_RELU_BACKPROP, make: () => leakyReluBackpropConfig },
  { name: 'LeakyRelu', make: (stock) => makeLeakyReluKernel(requireStock('LeakyRelu', stock)) },
  { name: 'FusedBatchNorm', make: (stock) => makeBatchNormKernel(requireStock('FusedBatchNorm', stock)) },
  { name: 'Tanh', make: (stock) => makeTanhKernel(requireStock('Tanh', stock)) },
  // Not a TF.js kernel: the compiled generator's transposed convolution with bias and ReLU (inference only).
  { name: FUSED_CONV2D_TRANSPOSE, make: () => fusedConv2dTransposeConfig },
];

function isEngineKernel(config: tf.KernelConfig | undefined): boolean {
  return (
    config !== undefined && (config.kernelFunc as unknown as Record<symbol, unknown>)[ENGINE_KERNEL] === true
  );
}

/** The stock kernels we replaced, kept so benchmarks can measure them (see useStockWasmKernels). */
const stockKernels = new Map<string, tf.KernelConfig>();

export function registerWasmKernels(): void {
  for (const kernel of WASM_ENGINE_KERNELS) {
    const current = tf.getKernel(kernel.name, 'wasm');
    if (isEngineKernel(current)) continue;
    if (current !== undefined) {
      stockKernels.set(kernel.name, current);
      tf.unregisterKernel(kernel.name, 'wasm');
    }
    const config = kernel.make(stockKernels.get(kernel.name)?.kernelFunc);
    (config.kernelFunc as unknown as Record<symbol, unknown>)[ENGINE_KERNEL] = true;
    tf.registerKernel(config);
  }
}

const stockGradients = new Map<string, tf.GradConfig>();

/** Gradients the engine replaces (or adds: the LeakyReluBackprop kernel's own) on every backend. */
const ENGINE_GRADIENTS: readonly tf.GradConfig[] = [
  batchNormGradConfig,
  leakyReluGradConfig,
  leakyReluBackpropGradConfig,
  sumGradConfig,
  meanGradConfig,
];

/**
 * Gradients for every backend: Greater's (missing in TF.js), BatchNorm's without Tile, LeakyReLU's through one
 * kernel where the backend has it (it falls back to TF.js's chain where not), Sum's and Mean's without ones().
 */
export function registerEngineGradients(): void {
  registerGreaterGradient();
  for (const config of ENGINE_GRADIENTS) {
    const current = tf.getGradient(config.kernelName);
    if (current === config) continue;
    if (current !== undefined && !stockGradients.has(config.kernelName))
      stockGradients.set(config.kernelName, current);
    tf.registerGradient(config);
  }
}

/** Everything the engine adds: gradients for every backend, kernels for WASM. */
export function registerEngineKernels(): void {
  registerEngineGradients();
  registerWasmKernels();
}

/**
 * Puts the stock WASM kernels and gradients back, except the named kernels and gradients (benchmarks and tests
 * only: measures
 * what TF.js alone does). Kernels the stock backend lacks are removed, so the stock configuration fails where it
 * really fails.
 */
export function useStockWasmKernels(
  except: readonly string[] = [],
  exceptGradients: readonly string[] = [],
): void {
  for (const kernel of WASM_ENGINE_KERNELS) {
    if (except.includes(kernel.name)) continue;
    if (!isEngineKernel(tf.getKernel(kernel.name, 'wasm'))) continue;
    tf.unregisterKernel(kernel.name, 'wasm');
    const stock = stockKernels.get(kernel.name);
    if (stock !== undefined) tf.registerKernel(stock);
  }
  for (const [name, gradient] of stockGradients)
    if (!exceptGradients.includes(name)) tf.registerGradient(gradient);
}
