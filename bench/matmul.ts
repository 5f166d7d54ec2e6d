// GFLOP/s of the dense-layer products of a backward pass on WASM: plain, and with a transposed operand
// (engine vs stock TF.js). Usage: node --import tsx bench/matmul.ts
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/engine/backend.js';
import { registerWasmKernels, useStockWasmKernels } from '../src/engine/registerKernels.js';

await initBackend({ backend: 'wasm' });

function gflops(f: () => tf.Tensor, flops: number): string {
  f().dispose();
  const start = performance.now();
  for (let i = 0; i < 5; i++) f().dispose();
  return (flops / ((performance.now() - start) / 5) / 1e6).toFixed(1);
}

// A dense layer 2048 → 256 at batch 64: forward x·W, backward dy·Wᵀ and xᵀ·dy.
const [n, k, m] = [64, 2048, 256];
const x = tf.randomNormal([n, k]);
const w = tf.randomNormal([k, m]);
const dy = tf.randomNormal([n, m]);
const flops = 2 * n * k * m;
const cases: [string, () => tf.Tensor][] = [
  ['x·W (plain)', () => tf.matMul(x, w)],
  ['dy·Wᵀ (transposeB)', () => tf.matMul(dy, w, false, true)],
  ['xᵀ·dy (transposeA)', () => tf.matMul(x, dy, true, false)],
];
for (const [name, f] of cases) {
  const engine = gflops(f, flops);
  useStockWasmKernels(['Conv2DBackpropFilter']);
  const stock = gflops(f, flops);
  registerWasmKernels();
  console.log(`${name.padEnd(22)} engine ${engine} GFLOP/s, stock ${stock} GFLOP/s`);
}
tf.dispose([x, w, dy]);
