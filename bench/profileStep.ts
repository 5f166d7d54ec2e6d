// Where one training step's time goes: kernel time by kernel name for one WGAN-GP step (critic + generator,
// gradients and Adam) on one thread, then the convolutions' arithmetic and the ceiling it sets: the step's time if
// every conv ran at XNNPACK's forward Conv2D rate and nothing else took any time.
// Usage: node --import tsx bench/profileStep.ts [--batch 64] [--backend wasm|cpu]
//   [--replica bench|trainer]  bench (default): bench/ganReplica.ts, the step `npm run bench:train` and PyTorch's
//                              reference time (--preset default|paper); trainer: src/train/mimicReplica.ts, the
//                              step `mimic train` runs, with L and the losses (--preset default|paper|warp-refine)
//   [--fused-convs]            bench replica only: tf.layers' fused convs with their eager gradients, as before
//                              src/engine/lazyConvGradients.ts
// (TOP=40 in the environment lists 40 kernels instead of 22.)
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../src/engine/backend.js';
import { tapKernels } from './lib/kernelTap.js';
import { stepAlone, type BatchShard, type Replica } from '../src/engine/parallel/replica.js';
import { MimicReplica } from '../src/train/mimicReplica.js';
import { TRAINING_PRESETS, randomTrainingShard } from './lib/randomShard.js';
import { Rng } from '../src/util/random.js';
import { benchConfig, createReplica, randomGanBatch } from './ganReplica.js';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '64' },
    preset: { type: 'string', default: 'default' },
    replica: { type: 'string', default: 'bench' },
    'fused-convs': { type: 'boolean', default: false },
    backend: { type: 'string', default: 'wasm' },
  },
});
const batchSize = Number(values.batch);
const preset = values.preset!;
console.log(`backend: ${await initBackend({ backend: values.backend as BackendName })}`);

async function setUp(): Promise<{ replica: Replica; batch: BatchShard }> {
  if (values.replica === 'trainer') {
    const config = TRAINING_PRESETS[preset];
    if (config === undefined) throw new Error(`unknown trainer preset ${preset}`);
    if (values['fused-convs']) throw new Error('--fused-convs applies to the bench replica only');
    return {
      replica: new MimicReplica(config, 1),
      batch: randomTrainingShard(config, batchSize, new Rng(1)),
    };
  }
  if (values.replica !== 'bench') throw new Error(`--replica is bench or trainer, not ${values.replica}`);
  if (preset !== 'default' && preset !== 'paper') throw new Error(`unknown bench preset ${preset}`);
  return {
    replica: await createReplica({ preset, lazyConvGradients: !values['fused-convs'] }),
    batch: randomGanBatch(benchConfig(preset), batchSize),
  };
}
const { replica, batch } = await setUp();

const step = () => stepAlone(replica, batch, batchSize);

/** Multiply-adds ×2 of one convolution kernel call (top-level calls only; 0 for other kernels). */
function convFlops(
  kernel: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
  out: tf.TensorInfo,
) {
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  // Every conv flavour: 2 · (size of the small-side tensor: y or dy) · kh · kw · (channels on the other side).
  if (kernel === 'Conv2D' || kernel === 'FusedConv2D') {
    const [kh, kw, ci] = inputs.filter!.shape;
    return 2 * size(out.shape) * kh! * kw! * ci!;
  }
  if (kernel === 'Conv2DBackpropInput') {
    const [kh, kw, ci] = inputs.filter!.shape;
    return 2 * size(inputs.dy!.shape) * kh! * kw! * ci!;
  }
  if (kernel === 'Conv2DBackpropFilter') {
    const [kh, kw, ci] = attrs.filterShape as number[];
    return 2 * size(inputs.dy!.shape) * kh! * kw! * ci!;
  }
  return 0;
}

/** Kernel time by name; kernels called by our kernels (XNNPACK convs inside the gradient kernels) listed apart. */
const byKernel = new Map<string, { ms: number; calls: number }>();
const convWork = new Map<string, { ms: number; flops: number }>();
tapKernels(tf.getBackend(), ({ name, inputs, attrs, output, ms, nested }) => {
  const label = nested ? `  (inside) ${name}` : name;
  const entry = byKernel.get(label) ?? { ms: 0, calls: 0 };
  entry.ms += ms;
  entry.calls++;
  byKernel.set(label, entry);
  const flops = nested ? 0 : convFlops(name, inputs, attrs, output);
  if (flops > 0) {
    const work = convWork.get(name) ?? { ms: 0, flops: 0 };
    work.ms += ms;
    work.flops += flops;
    convWork.set(name, work);
  }
});

await step(); // warm-up: XNNPACK operators, heap growth, optimizer slots
byKernel.clear();
convWork.clear();
const start = performance.now();
await step();
const wall = performance.now() - start;
const total = [...byKernel].filter(([n]) => !n.startsWith(' ')).reduce((a, [, b]) => a + b.ms, 0);
console.log(`step wall ${wall.toFixed(0)} ms, in kernels ${total.toFixed(0)} ms, batch ${batchSize}`);
for (const [name, { ms, calls }] of [...byKernel]
  .sort((a, b) => b[1].ms - a[1].ms)
  .slice(0, Number(process.env.TOP ?? 22))) {
  console.log(`${name.padEnd(24)} ${ms.toFixed(1).padStart(8)} ms  ${calls} calls`);
}

// The ceiling this backend puts on a step: its convolutions' arithmetic at the rate of XNNPACK's own forward
// Conv2D (the fastest conv kernel in this step), with nothing else taking any time at all.
const gflops = (w: { ms: number; flops: number }) => w.flops / w.ms / 1e6;
const conv = [...convWork.values()].reduce((a, b) => ({ ms: a.ms + b.ms, flops: a.flops + b.flops }), {
  ms: 0,
  flops: 0,
});
console.log(
  `\nconvolutions: ${(conv.flops / 1e9).toFixed(1)} GFLOP in ${conv.ms.toFixed(0)} ms (${gflops(conv).toFixed(1)} GFLOP/s)`,
);
for (const [name, work] of convWork)
  console.log(
    `  ${name.padEnd(22)} ${(work.flops / 1e9).toFixed(1).padStart(5)} GFLOP ${gflops(work).toFixed(1).padStart(6)} GFLOP/s`,
  );
const forwardRates = ['Conv2D', 'FusedConv2D'].flatMap((k) => {
  const work = convWork.get(k);
  return work === undefined ? [] : [gflops(work)];
});
if (forwardRates.length > 0) {
  const rate = Math.max(...forwardRates);
  const boundMs = conv.flops / rate / 1e6;
  console.log(
    `ceiling: every conv at forward Conv2D's ${rate.toFixed(1)} GFLOP/s and nothing else: ` +
      `${boundMs.toFixed(0)} ms per step, ${((batchSize / boundMs) * 1000).toFixed(1)} images/s on one thread`,
  );
}
