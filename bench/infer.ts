// `npm run bench:infer`: generator forward latency at batch 1 and throughput at batch 64 (inference mode,
// default networks), with the engine's WASM kernels and with stock TF.js WASM, each through tf.layers' predict and
// through the compiled path (src/model/fastGenerator.ts: BatchNorm folded, sub-pixel convolutions), which
// inference.ts uses. The two run alternately, twice each, so a change of load between them shows.
// Options: --preset default|paper --backend wasm|cpu|tensorflow
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../src/engine/backend.js';
import { registerWasmKernels, useStockWasmKernels } from '../src/engine/registerKernels.js';
import { compileInference } from '../src/model/fastGenerator.js';
import { buildGenerator, buildLandmarkEncoder } from '../src/model/networks.js';
import { benchConfig } from './ganReplica.js';

const { values } = parseArgs({
  options: { preset: { type: 'string', default: 'default' }, backend: { type: 'string', default: 'wasm' } },
});
const backend = await initBackend({ backend: values.backend as BackendName });
const config = benchConfig(values.preset as 'default' | 'paper');
const generator = buildGenerator(config);
// The compiled path compiles the two inference networks together; only its generator is timed here.
const landmarkEncoder = buildLandmarkEncoder(config);
const compilation = await compileInference(config, landmarkEncoder, generator);
if (!('compiled' in compilation)) throw new Error(`not compiled: ${compilation.reason}`);
const compiled = compilation.compiled;
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

type Forward = (x: tf.Tensor[]) => tf.Tensor;
const predict: Forward = (x) => generator.predict(x) as tf.Tensor;
// bench's generator has generatorBase "none" (the presets'): inputs [image, code].
const compiledForward: Forward = ([image, code]) =>
  compiled.generator(image as tf.Tensor4D, undefined, code as tf.Tensor2D);

function forwardMs(forward: Forward, n: number, repeats: number): number[] {
  const x = inputs(n);
  const times: number[] = [];
  for (let i = 0; i < repeats + 2; i++) {
    const start = performance.now();
    tf.tidy(() => forward(x).dataSync());
    if (i >= 2) times.push(performance.now() - start); // two warm-up runs: XNNPACK operator creation
  }
  tf.dispose(x);
  return times.sort((a, b) => a - b);
}

function measure(label: string, forward: Forward): void {
  const tensors = tf.memory().numTensors;
  const single = forwardMs(forward, 1, 30);
  const median = single[Math.floor(single.length / 2)]!;
  const batch = forwardMs(forward, 64, 3);
  const best = batch[0]!;
  console.log(
    `${label.padEnd(34)} batch 1: median ${median.toFixed(1)} ms (min ${single[0]!.toFixed(1)})` +
      ` | batch 64: ${best.toFixed(0)} ms = ${((64 / best) * 1000).toFixed(0)} images/s` +
      ` | tensors ${tensors} → ${tf.memory().numTensors}`,
  );
}

const kernels = backend === 'wasm' ? 'engine kernels' : backend;
for (let round = 0; round < 2; round++) {
  measure(`${kernels}, predict`, predict);
  measure(`${kernels}, compiled`, compiledForward);
}
if (backend === 'wasm') {
  useStockWasmKernels();
  for (let round = 0; round < 2; round++) {
    measure('stock TF.js WASM, predict', predict);
    measure('stock TF.js WASM, compiled', compiledForward);
  }
  registerWasmKernels();
}
compiled.dispose();
landmarkEncoder.dispose();
generator.dispose();
