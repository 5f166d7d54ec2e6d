// `npm run bench:train`: images/s of one full training step (WGAN-GP critic step + generator step, Adam) of the
// default networks, in one run: stock TF.js WASM, WASM with the engine kernels on one thread, the engine on all
// workers, tfjs-node when installed, and the same step in PyTorch (bench/train_step.py) when torch imports.
// Ends with `ratio ours/pytorch: X.XX` (best of ours vs PyTorch on all cores).
//
// Options: --batch 64 --steps 3 --preset default|paper --workers <cores> --stock (also time the stock WASM
// backend with only the missing Conv2DBackpropFilter added: slow, minutes).
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { createDataParallel } from '../src/engine/parallel/dataParallel.js';
import { initBackend } from '../src/engine/backend.js';
import {
  registerEngineKernels,
  registerWasmKernels,
  useStockWasmKernels,
} from '../src/engine/registerKernels.js';
import { benchConfig, randomGanBatch } from './ganReplica.js';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '64' },
    steps: { type: 'string', default: '3' },
    preset: { type: 'string', default: 'default' },
    workers: { type: 'string', default: String(availableParallelism()) },
    stock: { type: 'boolean', default: false },
  },
});
const batchSize = Number(values.batch);
const steps = Number(values.steps);
const preset = values.preset as 'default' | 'paper';
const cores = Number(values.workers);
const config = benchConfig(preset);
const batch = randomGanBatch(config, batchSize);
const replicaModule = new URL(
  `./ganReplica${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/** Peak resident memory of this process so far (kernel high-water mark: includes every worker thread). */
const peakRss = () => process.resourceUsage().maxRSS * 1024;

interface Row {
  name: string;
  imagesPerSecond?: number;
  note?: string;
}
const rows: Row[] = [];

function report(row: Row): void {
  rows.push(row);
  const speed = row.imagesPerSecond === undefined ? '' : `${row.imagesPerSecond.toFixed(2)} images/s`;
  console.log(`${row.name.padEnd(44)} ${speed}${row.note ? `  (${row.note})` : ''}`);
}

/** Warm-up step, then `steps` timed steps; images/s over the timed ones. */
async function timeEngine(
  name: string,
  workers: number,
  stepsToTime = steps,
  backend: 'wasm' | 'tensorflow' = 'wasm',
): Promise<void> {
  const forceWorkers = backend !== 'wasm';
  const engine = await createDataParallel({
    replicaModule,
    replicaOptions: { preset },
    workers,
    backend,
    forceWorkers,
  });
  try {
    await engine.step(batch, batchSize);
    const warm = engine.timings();
    const tensorsBefore = tf.memory().numTensors;
    const start = performance.now();
    for (let s = 0; s < stepsToTime; s++) await engine.step(batch, batchSize);
    const seconds = (performance.now() - start) / 1000;
    const flat =
      workers === 1 && !forceWorkers ? `, tensors ${tensorsBefore} → ${tf.memory().numTensors}` : '';
    report({
      name,
      imagesPerSecond: (batchSize * stepsToTime) / seconds,
      note: `${((seconds / stepsToTime) * 1000).toFixed(0)} ms/step${flat}, peak RSS so far ${(peakRss() / 2 ** 30).toFixed(2)} GiB`,
    });
    const t = engine.timings();
    const perStep = (ms: number) => (ms / stepsToTime).toFixed(0);
    for (const key of Object.keys(warm) as (keyof typeof warm)[]) t[key] -= warm[key];
    console.log(
      `    per step: gradients ${perStep(t.computeMs)} ms (replicas ${perStep(t.fastestReplicaMs)}–` +
        `${perStep(t.slowestReplicaMs)}), averaging ${perStep(t.reduceMs)}, apply ${perStep(t.applyMs)}, ` +
        `BatchNorm sync ${perStep(t.syncMs)}`,
    );
  } catch (error) {
    report({
      name,
      note: `cannot train: ${String(error instanceof Error ? error.message : error).split('\n')[0]}`,
    });
  } finally {
    await engine.dispose();
  }
}

function pytorch(threads: number): Row {
  const name = `PyTorch CPU, ${threads} thread${threads > 1 ? 's' : ''}`;
  const script = fileURLToPath(new URL('./train_step.py', import.meta.url));
  const run = spawnSync(
    '/usr/bin/python3',
    [script, JSON.stringify(config), String(batchSize), String(threads), String(steps)],
    { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } },
  );
  if (run.status !== 0)
    return { name, note: `not run: ${(run.stderr || run.error?.message || '').trim().split('\n').pop()}` };
  const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
    images_per_second: number;
    seconds_per_step: number;
  };
  return {
    name,
    imagesPerSecond: result.images_per_second,
    note: `${(result.seconds_per_step * 1000).toFixed(0)} ms/step`,
  };
}

console.log(
  `training step of the ${preset} networks, batch ${batchSize}, ${steps} timed steps, ${cores} cores`,
);

// This thread's backend first: initBackend registers the engine kernels, which the stock runs then take out.
await initBackend({ backend: 'wasm' });
// Stock TF.js: without the engine it has no Conv2DBackpropFilter, so no conv network can train at all.
useStockWasmKernels();
await timeEngine('stock WASM', 1, 1);
if (values.stock) {
  registerWasmKernels();
  useStockWasmKernels(['Conv2DBackpropFilter']);
  await timeEngine('stock WASM + engine Conv2DBackpropFilter only', 1, 1);
}
// Kernels and gradients: useStockWasmKernels() above also put TF.js's own gradients back.
registerEngineKernels();
await timeEngine('engine WASM, 1 thread', 1);
if (cores > 1) await timeEngine(`engine WASM, ${cores} workers`, cores);

const hasTfjsNode = await import('@tensorflow/tfjs-node' as string).then(
  () => true,
  () => false,
);
// tfjs-node is multi-threaded itself: one replica, in a worker so that it gets its own backend.
if (hasTfjsNode) await timeEngine('tfjs-node (one replica, native threads)', 1, steps, 'tensorflow');
else report({ name: 'tfjs-node', note: 'not installed (optional: npm install @tensorflow/tfjs-node)' });

report(pytorch(1));
const torchAll = cores > 1 ? pytorch(cores) : rows[rows.length - 1]!;
if (cores > 1) report(torchAll);
console.log(`peak resident memory of this process (all workers): ${(peakRss() / 2 ** 30).toFixed(2)} GiB`);

const ours = rows.filter((r) => r.name.startsWith('engine') && r.imagesPerSecond !== undefined);
const best = Math.max(...ours.map((r) => r.imagesPerSecond!));
const torchBest = Math.max(
  ...rows.filter((r) => r.name.startsWith('PyTorch')).map((r) => r.imagesPerSecond ?? 0),
);
if (torchBest > 0 && Number.isFinite(best)) {
  // On a machine shared with other jobs PyTorch's threads lose more to contention than our workers do, so
  // the best PyTorch configuration is shown too.
  console.log(`ratio ours/pytorch (best PyTorch configuration): ${(best / torchBest).toFixed(2)}`);
}
if (torchAll.imagesPerSecond !== undefined && Number.isFinite(best)) {
  console.log(`ratio ours/pytorch: ${(best / torchAll.imagesPerSecond).toFixed(2)}`);
} else {
  console.log('ratio ours/pytorch: n/a (PyTorch not available: apt-get install python3-torch)');
}
