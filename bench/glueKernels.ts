// Stock vs engine WASM kernels for the non-convolution ("glue") work of a training step, at the default
// networks' shapes: each case runs alternately with the stock kernels and with ours inside one process, several
// rounds, and the medians are printed (so a busy machine slows both sides alike).
// Usage: node --import tsx bench/glueKernels.ts [--batch 32] [--rounds 5]
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/engine/backend.js';
import { registerEngineKernels, useStockWasmKernels } from '../src/engine/registerKernels.js';
import { leakyReluGradConfig } from '../src/engine/kernels/LeakyRelu_grad.js';

const { values } = parseArgs({
  options: { batch: { type: 'string', default: '32' }, rounds: { type: 'string', default: '5' } },
});
const batch = Number(values.batch);
const rounds = Number(values.rounds);
await initBackend({ backend: 'wasm' });

const skipA = tf.randomNormal([batch, 32, 32, 32]);
const skipB = tf.randomNormal([batch, 32, 32, 32]);
const wide = tf.randomNormal([batch, 32, 32, 64]);
const mid = tf.randomNormal([batch, 16, 16, 64]);
const image = tf.randomNormal([batch, 64, 64, 3]);
const [channelsA, channelsB] = [tf.randomNormal([32]), tf.randomNormal([32])];

// LeakyReLU's gradient function: one engine kernel, or TF.js's greater/mul/where chain when the kernel is absent.
const leakyReluGrad = (dy: tf.Tensor, x: tf.Tensor) =>
  (leakyReluGradConfig.gradFunc(dy, [x], { alpha: 0.2 }) as { x: () => tf.Tensor }).x();

const cases: Record<string, () => tf.Tensor | tf.Tensor[]> = {
  'Concat 2×[B,32,32,32] channels': () => tf.concat([skipA, skipB], -1),
  'SplitV [B,32,32,64] → 2×32': () => tf.split(wide, [32, 32], -1),
  'Cast f32→f32 [B,16,16,64]': () => tf.cast(mid, 'float32'),
  'LeakyReLU [B,32,32,32]': () => tf.leakyRelu(skipA, 0.2),
  'BatchNorm [B,32,32,32]': () =>
    tf.batchNorm(skipA, channelsA, channelsB.square(), channelsB, channelsA, 1e-3),
  'Tanh [B,64,64,3]': () => tf.tanh(image),
  'LeakyReLU gradient [B,32,32,32]': () => leakyReluGrad(skipA, skipB),
  'LeakyReLU gradient [B,16,16,64]': () => leakyReluGrad(mid, mid),
  'Mean gradient [B,32,32,32] over N,H,W': () =>
    tf.grad((t: tf.Tensor) => tf.mean(t, [0, 1, 2]).mul(channelsA).sum())(skipA),
  'Mean gradient [B,16,16,64] per sample': () => tf.grad((t: tf.Tensor) => tf.mean(t, [1, 2, 3]).sum())(mid),
  'Sum [B,32,32,32] over N,H,W': () => tf.sum(skipA, [0, 1, 2]),
  'Sum [B,16,16,64] over N,H,W': () => tf.sum(mid, [0, 1, 2]),
};

function timeMs(fn: () => tf.Tensor | tf.Tensor[], repeats: number): number {
  tf.dispose(fn());
  const start = performance.now();
  for (let i = 0; i < repeats; i++) tf.dispose(fn());
  return (performance.now() - start) / repeats;
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [name, fn] of Object.entries(cases)) {
  const stock: number[] = [];
  const ours: number[] = [];
  for (let r = 0; r < rounds; r++) {
    useStockWasmKernels();
    stock.push(timeMs(fn, 5));
    registerEngineKernels();
    ours.push(timeMs(fn, 5));
  }
  const [s, o] = [median(stock), median(ours)];
  console.log(
    `${name.padEnd(32)} stock ${s.toFixed(2).padStart(7)} ms  engine ${o.toFixed(2).padStart(7)} ms  ×${(s / o).toFixed(1)}`,
  );
}
tf.dispose([skipA, skipB, wide, mid, image, channelsA, channelsB]);
