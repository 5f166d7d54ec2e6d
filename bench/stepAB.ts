// One whole training step (critic + generator phases, gradients and Adam; default networks, one thread) with the
// engine's kernels as of issue #3's first round ("before": conv gradients, BatchMatMul, Identity, leading-axis
// Sum/Mean, the BatchNorm and Greater gradients) against all of today's engine kernels ("after": plus Concat/
// SplitV, same-dtype Cast, LeakyReLU forward through Prelu and its one-kernel gradient, BatchNorm forward as
// vectorised passes, Tanh through Sigmoid, Sum/Mean gradients without ones()), alternating in one process so that a busy machine
// slows both alike; prints each round and the medians. (Two later changes are in both sides, since they
// replaced code rather than adding a kernel: the leading-axis Sum/Mean loop, measured by bench/glueKernels.ts,
// and the BatchNorm gradient's shared channel sums.)
// Usage: node --import tsx bench/stepAB.ts [--batch 32] [--rounds 3]
import { parseArgs } from 'node:util';
import { initBackend } from '../src/engine/backend.js';
import { registerEngineKernels, useStockWasmKernels } from '../src/engine/registerKernels.js';
import { stepAlone } from '../src/engine/parallel/replica.js';
import { benchConfig, createReplica, randomGanBatch } from './ganReplica.js';

const { values } = parseArgs({
  options: { batch: { type: 'string', default: '32' }, rounds: { type: 'string', default: '3' } },
});
const batchSize = Number(values.batch);
const rounds = Number(values.rounds);
await initBackend({ backend: 'wasm' });
const replica = await createReplica({ preset: 'default' });
const batch = randomGanBatch(benchConfig('default'), batchSize);

const FIRST_ROUND_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'BatchMatMul',
  'Identity',
  'Sum',
  'Mean',
];

async function stepMs(): Promise<number> {
  const start = performance.now();
  await stepAlone(replica, batch, batchSize);
  return performance.now() - start;
}

const configs = {
  before: () => useStockWasmKernels(FIRST_ROUND_KERNELS, ['FusedBatchNorm']),
  after: () => registerEngineKernels(),
};
const times: Record<string, number[]> = { before: [], after: [] };
for (const use of Object.values(configs)) {
  use();
  await stepMs(); // warm-up: XNNPACK operators, heap growth, optimizer slots
}
for (let r = 0; r < rounds; r++) {
  for (const [name, use] of Object.entries(configs)) {
    use();
    times[name]!.push(await stepMs());
  }
  console.log(
    `round ${r + 1}: before ${times.before!.at(-1)!.toFixed(0)} ms, after ${times.after!.at(-1)!.toFixed(0)} ms`,
  );
}
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const [b, a] = [median(times.before!), median(times.after!)];
console.log(
  `batch ${batchSize}, median step: before ${b.toFixed(0)} ms, after ${a.toFixed(0)} ms (${(((b - a) / b) * 100).toFixed(1)} % less)`,
);
