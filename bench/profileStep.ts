// Where one training step's time goes: kernel time by kernel name for one WGAN-GP step (critic + generator,
// gradients and Adam) of the default networks on one thread.
// Usage: node --import tsx bench/profileStep.ts [--batch 64] [--preset default|paper] [--backend wasm|cpu]
// (TOP=40 in the environment lists 40 kernels instead of 22.)
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../src/engine/backend.js';
import { benchConfig, createReplica, randomGanBatch } from './ganReplica.js';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '64' },
    preset: { type: 'string', default: 'default' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const batchSize = Number(values.batch);
const preset = values.preset as 'default' | 'paper';
console.log(`backend: ${await initBackend({ backend: values.backend as BackendName })}`);
const replica = await createReplica({ preset });
const batch = randomGanBatch(benchConfig(preset), batchSize);

async function step(): Promise<void> {
  for (const phase of replica.phases) {
    const { gradients } = await replica.computeGradients(phase, batch, batchSize);
    await replica.applyGradients(phase, gradients);
  }
}

/** Wraps every kernel of the backend with a timer (tf.profile aborts the WASM backend on this graph). */
const byKernel = new Map<string, { ms: number; calls: number }>();
let depth = 0;
for (const config of tf.getKernelsForBackend(tf.getBackend())) {
  const inner = config.kernelFunc;
  tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel({
    ...config,
    kernelFunc: (args) => {
      const start = performance.now();
      depth++;
      const out = inner(args);
      depth--;
      // Kernels called by our kernels (XNNPACK convs inside the gradient kernels) are listed separately.
      const name = depth > 0 ? `  (inside) ${config.kernelName}` : config.kernelName;
      const entry = byKernel.get(name) ?? { ms: 0, calls: 0 };
      entry.ms += performance.now() - start;
      entry.calls++;
      byKernel.set(name, entry);
      return out;
    },
  });
}

await step(); // warm-up: XNNPACK operators, heap growth, optimizer slots
byKernel.clear();
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
