// `npm run bench:infer`: generator forward latency at batch 1 and throughput at batch 64 (inference mode,
// default networks), with the engine's WASM kernels and with stock TF.js WASM, each through tf.layers' predict and
// through the compiled path (src/model/fastGenerator.ts: BatchNorm folded, one fused op per layer), which
// inference.ts uses. The two run alternately, twice each, so a change of load between them shows. predict runs a
// batch of 64 as two of 32 (its default batchSize); the compiled path takes the 64 at once.
// Options: --preset default|paper --backend wasm|cpu|tensorflow, --model DIR (a model folder's trained networks,
// e.g. models/default, instead of a preset's freshly initialised ones)
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../src/engine/backend.js';
import { registerWasmKernels, useStockWasmKernels } from '../src/engine/registerKernels.js';
import { compileInference } from '../src/model/fastGenerator.js';
import { loadInferenceModel } from '../src/model/inference.js';
import { nodeModelFolder } from '../src/model/io.js';
import { buildGenerator, buildLandmarkEncoder, generatorInputs } from '../src/model/networks.js';
import { benchConfig } from './ganReplica.js';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'default' },
    backend: { type: 'string', default: 'wasm' },
    model: { type: 'string' },
  },
});
const backend = await initBackend({ backend: values.backend as BackendName });
const loaded =
  values.model === undefined ? undefined : await loadInferenceModel(nodeModelFolder(values.model));
if (loaded !== undefined && loaded.compiled === undefined)
  throw new Error(`not compiled: ${loaded.notCompiled}`);
const config = loaded?.config ?? benchConfig(values.preset as 'default' | 'paper');
const generator = loaded?.generator ?? buildGenerator(config);
// The compiled path compiles the two inference networks together; only its generator is timed here.
const landmarkEncoder = loaded?.landmarkEncoder ?? buildLandmarkEncoder(config);
const compiled = await (async () => {
  if (loaded?.compiled !== undefined) return loaded.compiled;
  const compilation = await compileInference(config, landmarkEncoder, generator);
  if (!('compiled' in compilation)) throw new Error(`not compiled: ${compilation.reason}`);
  return compilation.compiled;
})();
console.log(
  `generator forward, ${values.model ?? `${values.preset} networks`} (${generator.countParams()} parameters, ` +
    `generatorBase ${config.generatorBase}), backend ${backend}`,
);

/** The generator's inputs in predict's order: image, (warped,) landmark code. */
function inputs(n: number): tf.Tensor[] {
  const s = config.imageSize;
  const image = (): tf.Tensor => tf.randomUniform([n, s, s, config.channels], -1, 1);
  const warped = config.generatorBase === 'warped' ? image() : undefined;
  return generatorInputs(config, image(), warped, tf.randomUniform([n, config.landmarkCodeSize], -1, 1));
}

type Forward = (x: tf.Tensor[]) => tf.Tensor;
const predict: Forward = (x) => generator.predict(x) as tf.Tensor;
const compiledForward: Forward = (x) =>
  compiled.generator(
    x[0] as tf.Tensor4D,
    x.length === 3 ? (x[1] as tf.Tensor4D) : undefined,
    x[x.length - 1] as tf.Tensor2D,
  );

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
if (loaded !== undefined) loaded.dispose();
else {
  compiled.dispose();
  landmarkEncoder.dispose();
  generator.dispose();
}
