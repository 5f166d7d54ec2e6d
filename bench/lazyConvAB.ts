// One whole training step (critic + generator, gradients and Adam; default networks, one thread) with tf.layers'
// fused Conv2D, whose gradient computes every input's derivative ("fused"), against the lazy training-mode
// convolutions of src/engine/lazyConvGradients.ts ("lazy"). Two replicas with the same weights, stepped in turn in
// one process so that a busy machine slows both alike; prints each round, the medians, and the conv kernel calls
// of one step. Usage: node --import tsx bench/lazyConvAB.ts [--batch 64] [--rounds 5]
import { parseArgs } from 'node:util';
import { initBackend } from '../src/engine/backend.js';
import { tapKernels } from './lib/kernelTap.js';
import { stepAlone, type Replica } from '../src/engine/parallel/replica.js';
import { benchConfig, createReplica, randomGanBatch } from './ganReplica.js';

const { values } = parseArgs({
  options: { batch: { type: 'string', default: '64' }, rounds: { type: 'string', default: '5' } },
});
const batchSize = Number(values.batch);
const rounds = Number(values.rounds);
await initBackend({ backend: 'wasm' });
const replicas: Record<string, Replica> = {
  fused: await createReplica({ preset: 'default', lazyConvGradients: false }),
  lazy: await createReplica({ preset: 'default', lazyConvGradients: true }),
};
replicas.lazy!.setWeights(replicas.fused!.getWeights());
const batch = randomGanBatch(benchConfig('default'), batchSize);

const CONV_KERNELS = ['Conv2D', 'FusedConv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput'];
const calls = new Map<string, number>();
tapKernels(
  'wasm',
  (call) => {
    if (!call.nested) calls.set(call.name, (calls.get(call.name) ?? 0) + 1);
  },
  CONV_KERNELS,
);

async function stepMs(replica: Replica): Promise<number> {
  const start = performance.now();
  await stepAlone(replica, batch, batchSize);
  return performance.now() - start;
}

const times: Record<string, number[]> = { fused: [], lazy: [] };
for (const [name, replica] of Object.entries(replicas)) {
  calls.clear();
  await stepMs(replica); // warm-up: XNNPACK operators, heap growth, optimizer slots
  const summary = CONV_KERNELS.map((k) => `${k} ${calls.get(k) ?? 0}`).join(', ');
  console.log(`${name}: conv kernel calls per step: ${summary}`);
}
for (let r = 0; r < rounds; r++) {
  for (const [name, replica] of Object.entries(replicas)) times[name]!.push(await stepMs(replica));
  console.log(
    `round ${r + 1}: fused ${times.fused!.at(-1)!.toFixed(0)} ms, lazy ${times.lazy!.at(-1)!.toFixed(0)} ms`,
  );
}
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const [f, l] = [median(times.fused!), median(times.lazy!)];
console.log(
  `batch ${batchSize}, median step: fused ${f.toFixed(0)} ms, lazy ${l.toFixed(0)} ms (${(((f - l) / f) * 100).toFixed(1)} % less)`,
);
