// MimicFusedConv2DTranspose (the compiled generator's decoder layers) must equal a stock transposed convolution
// followed by the bias and the activation, on each of its paths: bias and ReLU fused into the phase convolutions
// (stride 2), applied on the heap after the small-patch matrix product (few output channels), after a stride-1
// convolution and where some output pixels get no tap (stride above the kernel size); and the op falls back to stock ops where the kernel is not registered (the cpu backend).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend.js';
import {
  FUSED_CONV2D_TRANSPOSE,
  fusedConv2dTransposeOp,
} from '../../src/engine/kernels/FusedConv2DTranspose.js';

await initBackend({ backend: 'wasm' });

function seeded(length: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length }, () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
}

interface Case {
  name: string;
  input: [number, number, number, number];
  kernel: number;
  stride: number;
  pad: 'same' | 'valid';
  out: number;
}

const CASES: Case[] = [
  { name: 'stride 2, phases fused', input: [2, 4, 4, 24], kernel: 4, stride: 2, pad: 'same', out: 16 },
  {
    name: 'stride 2, small patch (3 output channels)',
    input: [2, 8, 8, 16],
    kernel: 4,
    stride: 2,
    pad: 'same',
    out: 3,
  },
  { name: 'stride 1, one phase', input: [1, 6, 6, 8], kernel: 3, stride: 1, pad: 'same', out: 12 },
  {
    name: 'stride 2, 3×3 valid, odd output',
    input: [1, 5, 5, 8],
    kernel: 3,
    stride: 2,
    pad: 'valid',
    out: 9,
  },
];

/** The kernel's result and the stock ops' result for one case, on the current backend. */
function both(c: Case, activation: 'linear' | 'relu', seed: number): [Float32Array, Float32Array] {
  return tf.tidy(() => {
    const [n, h, w, inC] = c.input;
    const x = tf.tensor4d(seeded(n * h * w * inC, seed), c.input);
    const filter = tf.tensor4d(seeded(c.kernel * c.kernel * c.out * inC, seed + 1), [
      c.kernel,
      c.kernel,
      c.out,
      inC,
    ]);
    const bias = tf.tensor1d(seeded(c.out, seed + 2));
    const size = (s: number) => (c.pad === 'same' ? s * c.stride : (s - 1) * c.stride + c.kernel);
    const outputShape: [number, number, number, number] = [n, size(h), size(w), c.out];
    const fused = fusedConv2dTransposeOp(x, filter, bias, {
      outputShape,
      strides: [c.stride, c.stride],
      pad: c.pad,
      activation,
    });
    let stock = tf.add(tf.conv2dTranspose(x, filter, outputShape, c.stride, c.pad), bias);
    if (activation === 'relu') stock = tf.relu(stock);
    return [fused.dataSync() as Float32Array, stock.dataSync() as Float32Array];
  });
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

test('the fused transposed convolution equals conv2dTranspose + bias (+ ReLU) on each of its paths', () => {
  assert.ok(tf.getKernel(FUSED_CONV2D_TRANSPOSE, 'wasm') !== undefined);
  let seed = 1;
  for (const c of CASES)
    for (const activation of ['linear', 'relu'] as const) {
      const [fused, stock] = both(c, activation, (seed += 3));
      assert.equal(fused.length, stock.length);
      // ReLU must have cut something, or the case would not test it.
      if (activation === 'relu') assert.ok(stock.some((v) => v === 0) && stock.some((v) => v > 0));
      const diff = maxAbsDiff(fused, stock);
      assert.ok(diff < 1e-4, `${c.name}, ${activation}: max difference ${diff}`);
    }
});

test('where the kernel is not registered (cpu backend) the op computes the same with stock ops', async () => {
  const c = CASES[0]!;
  const [onWasm] = both(c, 'relu', 7);
  await tf.setBackend('cpu');
  try {
    assert.equal(tf.getKernel(FUSED_CONV2D_TRANSPOSE, 'cpu'), undefined);
    const [onCpu] = both(c, 'relu', 7);
    assert.ok(maxAbsDiff(onWasm, onCpu) < 1e-4);
  } finally {
    await tf.setBackend('wasm');
  }
});
