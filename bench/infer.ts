// `npm run bench:infer`: generator forward latency at batch 1 and throughput at batch 64 (inference mode,
// default networks), with the engine's WASM kernels and with stock TF.js WASM.
// Options: --preset default|paper --backend wasm|cpu|tensorflow
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../src/engine/backend.js';
import { registerWasmKernels, useStockWasmKernels } from '../src/engine/registerKernels.js';
import { buildGenerator } from '../src/model/networks.js';
import { benchConfig } from './ganReplica.js';

const { values } = parseArgs({
  options: { preset: { type: 'string', default: 'default' }, backend: { type: 'string', default: 'wasm' } },
});
const backend = await initBackend({ backend: values.backend as BackendName });
const config = benchConfig(values.preset as 'default' | 'paper');
const generator = buildGenerator(config);
console.log(
  `generator forward, ${values.preset} networks (${generator.countParams()} parameters), backend ${backend}`,
);

function inputs(n: number): tf.Tensor[] {
  const s = config.imageSize;
  return [
    tf.randomUniform([n, s, s, config.channels], -1, 1),
    tf.randomUniform([n, config.landmarkCodeSize], -1, 1),
  ];
}

function forwardMs(n: number, repeats: number): number[] {
  const x = inputs(n);
  const times: number[] = [];
  for (let i = 0; i < repeats + 2; i++) {
    const start = performance.now();
    tf.tidy(() => (generator.predict(x) as tf.Tensor).dataSync());
    if (i >= 2) times.push(performance.now() - start); // two warm-up runs: XNNPACK operator creation
  }
  tf.dispose(x);
  return times.sort((a, b) => a - b);
}

function measure(label: string): void {
  const tensors = tf.memory().numTensors;
  const single = forwardMs(1, 30);
  const median = single[Math.floor(single.length / 2)]!;
  const batch = forwardMs(64, 3);
  const best = batch[0]!;
  console.log(
    `${label.padEnd(22)} batch 1: median ${median.toFixed(1)} ms (min ${single[0]!.toFixed(1)})` +
      ` | batch 64: ${best.toFixed(0)} ms = ${((64 / best) * 1000).toFixed(0)} images/s` +
      ` | tensors ${tensors} → ${tf.memory().numTensors}`,
  );
}

measure(backend === 'wasm' ? 'engine kernels' : backend);
if (backend === 'wasm') {
  useStockWasmKernels();
  measure('stock TF.js WASM');
  registerWasmKernels();
}
generator.dispose();
