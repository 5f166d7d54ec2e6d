// GFLOP/s of the conv kernels on the WASM backend at the layer shapes of a 64×64 GAN at batch 64:
// forward Conv2D (XNNPACK, the speed to aim for), stock vs engine Conv2DBackpropInput, engine
// Conv2DBackpropFilter. Usage: node --import tsx bench/kernels.ts
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/engine/backend.js';
import { registerWasmKernels, useStockWasmKernels } from '../src/engine/registerKernels.js';

await initBackend({ backend: 'wasm' });

interface Layer {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
}

const batch = Number(process.env.BATCH ?? 64);
// The default networks' convolutions (src/model DEFAULT_MODEL_CONFIG: channels 32, 64, 128, 128).
const layers: Layer[] = [
  { name: '64→32, 3→32 k4s2', x: [batch, 64, 64, 3], filter: [4, 4, 3, 32], stride: 2 },
  { name: '64→32, 64→32 k4s2 (G out)', x: [batch, 64, 64, 3], filter: [4, 4, 3, 64], stride: 2 },
  { name: '32→16, 32→64 k4s2', x: [batch, 32, 32, 32], filter: [4, 4, 32, 64], stride: 2 },
  { name: '16→8, 64→128 k4s2', x: [batch, 16, 16, 64], filter: [4, 4, 64, 128], stride: 2 },
  { name: '8→4, 128→128 k4s2', x: [batch, 8, 8, 128], filter: [4, 4, 128, 128], stride: 2 },
];

function timeMs(fn: () => tf.Tensor, repeats: number): number {
  fn().dispose(); // warm-up: XNNPACK operator creation, heap growth
  const start = performance.now();
  for (let i = 0; i < repeats; i++) fn().dispose();
  return (performance.now() - start) / repeats;
}

for (const layer of layers) {
  const x = tf.randomNormal(layer.x) as tf.Tensor4D;
  const w = tf.randomNormal(layer.filter) as tf.Tensor4D;
  const y = tf.conv2d(x, w, layer.stride, 'same');
  const dy = tf.randomNormal(y.shape) as tf.Tensor4D;
  const flops = 2 * y.size * layer.filter[0] * layer.filter[1] * layer.filter[2];
  const gflops = (ms: number) => (flops / ms / 1e6).toFixed(1);
  const repeats = 3;
  const forward = timeMs(() => tf.conv2d(x, w, layer.stride, 'same'), repeats);
  const backInput = timeMs(() => tf.conv2dTranspose(dy, w, layer.x, layer.stride, 'same'), repeats);
  const backFilter = timeMs(
    () =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x, dy },
          { strides: layer.stride, pad: 'same', dataFormat: 'NHWC', filterShape: layer.filter },
        ) as tf.Tensor,
    repeats,
  );
  useStockWasmKernels();
  const stockInput = timeMs(() => tf.conv2dTranspose(dy, w, layer.x, layer.stride, 'same'), 1);
  registerWasmKernels();
  console.log(
    `${layer.name.padEnd(28)} forward ${gflops(forward)} GFLOP/s | backprop-input stock ${gflops(stockInput)}, ` +
      `engine ${gflops(backInput)} | backprop-filter engine ${gflops(backFilter)}`,
  );
  tf.dispose([x, w, y, dy]);
}
