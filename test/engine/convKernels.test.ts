// The engine's WASM conv gradient kernels must agree with the reference (pure JS cpu backend) on random shapes,
// strides and paddings, including odd sizes where stride does not divide the image.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend.js';
import { clearDerivedWeights } from '../../src/engine/kernels/derivedWeights.js';

await initBackend({ backend: 'wasm' });

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomArray(random: () => number, size: number): Float32Array {
  return Float32Array.from({ length: size }, () => random() * 2 - 1);
}

/** Runs a kernel on a backend with plain arrays in and out, so each backend sees identical input. */
function runOn(
  backend: string,
  kernel: string,
  inputs: Record<string, { values: Float32Array; shape: number[] }>,
  attrs: object,
): Float32Array {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const tensors = Object.fromEntries(
      Object.entries(inputs).map(([name, { values, shape }]) => [name, tf.tensor(values, shape)]),
    );
    const out = tf.engine().runKernel(kernel, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
    return out.dataSync() as Float32Array;
  });
}

function relativeError(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length);
  let maxDiff = 0;
  let maxAbs = 1e-6;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i]! - expected[i]!));
    maxAbs = Math.max(maxAbs, Math.abs(expected[i]!));
  }
  return maxDiff / maxAbs;
}

interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  pad: 'same' | 'valid' | number;
}

function randomCase(random: () => number): Case {
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const kh = int(1, 5);
  const kw = int(1, 5);
  const pads = ['same', 'valid', int(0, 2)] as const;
  const pad = pads[int(0, 2)]!;
  const minSize = pad === 'valid' || pad === 0 ? Math.max(kh, kw) : Math.max(kh, kw);
  return {
    x: [int(1, 3), int(minSize, 11), int(minSize, 11), int(1, 7)],
    filter: [kh, kw, 0, int(1, 9)],
    strides: [int(1, 3), int(1, 3)],
    pad,
  };
}

function forwardShape(c: Case, filter: [number, number, number, number]): number[] {
  const info = tf.backend_util.computeConv2DInfo(c.x, filter, c.strides, 1, c.pad);
  return info.outShape;
}

const cases: Case[] = [];
const random = rng(42);
for (let i = 0; i < 60; i++) cases.push(randomCase(random));
// The shapes the networks use: 4×4 stride 2 'same' down/up-sampling and 3×3 stride 1.
cases.push({ x: [2, 16, 16, 8], filter: [4, 4, 0, 16], strides: [2, 2], pad: 'same' });
cases.push({ x: [2, 8, 8, 16], filter: [3, 3, 0, 16], strides: [1, 1], pad: 'same' });
cases.push({ x: [2, 4, 4, 16], filter: [4, 4, 0, 8], strides: [2, 2], pad: 1 });

test('Conv2DBackpropFilter on WASM matches the cpu backend (random shapes, strides, paddings)', () => {
  const data = rng(7);
  for (const c of cases) {
    const filterShape: [number, number, number, number] = [c.filter[0], c.filter[1], c.x[3], c.filter[3]];
    const dyShape = forwardShape(c, filterShape);
    if (dyShape.some((d) => d <= 0)) continue;
    const inputs = {
      x: { values: randomArray(data, tf.util.sizeFromShape(c.x)), shape: c.x },
      dy: { values: randomArray(data, tf.util.sizeFromShape(dyShape)), shape: dyShape },
    };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape };
    const expected = runOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
    const actual = runOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
    assert.ok(relativeError(actual, expected) <= 1e-4, `case ${JSON.stringify(c)}`);
  }
});

test('Conv2DBackpropInput on WASM matches the cpu backend (random shapes, strides, paddings)', () => {
  const data = rng(9);
  for (const c of cases) {
    const filterShape: [number, number, number, number] = [c.filter[0], c.filter[1], c.x[3], c.filter[3]];
    const dyShape = forwardShape(c, filterShape);
    if (dyShape.some((d) => d <= 0)) continue;
    const inputs = {
      dy: { values: randomArray(data, tf.util.sizeFromShape(dyShape)), shape: dyShape },
      filter: { values: randomArray(data, tf.util.sizeFromShape(filterShape)), shape: filterShape },
    };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
    const expected = runOn('cpu', 'Conv2DBackpropInput', inputs, attrs);
    const actual = runOn('wasm', 'Conv2DBackpropInput', inputs, attrs);
    assert.ok(relativeError(actual, expected) <= 1e-4, `case ${JSON.stringify(c)}`);
  }
});

test('one filter tensor used with different geometries gives the right result each time (sub-filter cache)', () => {
  const data = rng(11);
  // 3 channels: transposed-filter cache of the matrix-product path; 8: sub-filter cache of the sub-pixel path.
  for (const channels of [3, 8]) {
    const filterShape = [4, 4, channels, 5] as [number, number, number, number];
    const filterValues = randomArray(data, tf.util.sizeFromShape(filterShape));
    const geometries: { inputShape: number[]; pad: 'same' | 'valid' | number; strides: number }[] = [
      { inputShape: [2, 8, 8, channels], pad: 'same', strides: 2 },
      { inputShape: [1, 9, 7, channels], pad: 'valid', strides: 2 },
      { inputShape: [2, 8, 8, channels], pad: 1, strides: 1 },
      { inputShape: [2, 8, 8, channels], pad: 'same', strides: 2 },
    ];
    tf.setBackend('wasm');
    const filter = tf.tensor4d(filterValues, filterShape);
    for (const g of geometries) {
      const dyShape = tf.backend_util.computeConv2DInfo(
        g.inputShape as [number, number, number, number],
        filterShape,
        g.strides,
        1,
        g.pad,
      ).outShape;
      const dyValues = randomArray(data, tf.util.sizeFromShape(dyShape));
      const attrs = { strides: g.strides, pad: g.pad, dataFormat: 'NHWC', inputShape: g.inputShape };
      tf.setBackend('wasm');
      const actual = tf.tidy(() => {
        const dy = tf.tensor(dyValues, dyShape);
        return (tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs) as tf.Tensor).dataSync();
      }) as Float32Array;
      const expected = runOn(
        'cpu',
        'Conv2DBackpropInput',
        {
          dy: { values: dyValues, shape: dyShape },
          filter: { values: filterValues, shape: filterShape },
        },
        attrs,
      );
      assert.ok(relativeError(actual, expected) <= 1e-4, JSON.stringify(g));
    }
    tf.setBackend('wasm');
    filter.dispose();
  }
});

test('conv gradient kernels leave no tensors or heap blocks behind', () => {
  tf.setBackend('wasm');
  clearDerivedWeights();
  const before = tf.memory().numTensors;
  const backendBefore = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
  for (let i = 0; i < 3; i++) {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 8, 8, 4]) as tf.Tensor4D;
      const w = tf.randomNormal([4, 4, 4, 6]) as tf.Tensor4D;
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf
          .conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')
          .square()
          .sum(),
      )([x, w]);
      grads.forEach((g) => g.dataSync());
    });
  }
  assert.equal(tf.memory().numTensors, before);
  // Sub-filters stay cached while their weights may be used again; dropping the cache frees them all.
  clearDerivedWeights();
  assert.equal((tf.backend() as unknown as { numDataIds(): number }).numDataIds(), backendBefore);
});
