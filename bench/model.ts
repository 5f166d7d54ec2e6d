/**
 * Training speed of the Mimic step: images/s of one full step (critic phase(s) + generator phase) at the config's
 * batch size, in this thread, on random data, for the default networks, the paper-scale preset and the shipped
 * model's warp-refine recipe.
 *
 *   npm run bench:model [-- --steps N] [-- --presets default,paper,warp-refine] [-- --backend wasm]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../src/engine/backend.js';
import { stepAlone } from '../src/engine/parallel/replica.js';
import { countWeights, weightVariables } from '../src/model/weights.js';
import { MimicReplica } from '../src/train/mimicReplica.js';
import { Rng } from '../src/util/random.js';
import { TRAINING_PRESETS, randomTrainingShard } from './lib/randomShard.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '3' },
    presets: { type: 'string', default: 'default,paper' },
    backend: { type: 'string', default: 'auto' },
  },
});
const backend = await initBackend({ backend: values.backend as BackendName });
const steps = Number(values.steps);

console.log(`backend ${backend}, batch sizes from each config, ${steps} timed steps after one warm-up step`);
for (const name of values.presets.split(',')) {
  const config = TRAINING_PRESETS[name];
  if (config === undefined) throw new Error(`unknown preset ${name}`);
  const replica = new MimicReplica(config, 1);
  const counts = Object.fromEntries(
    Object.entries(replica.networks).map(([key, model]) => [key, (model as tf.LayersModel).countParams()]),
  );
  const shard = randomTrainingShard(config, config.batchSize, new Rng(1));
  const times: number[] = [];
  for (let step = 0; step <= steps; step++) {
    const t0 = performance.now();
    await stepAlone(replica, shard, config.batchSize);
    if (step > 0) times.push((performance.now() - t0) / 1000);
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const bytes = countWeights(weightVariables(replica.networks)) * 4;
  console.log(
    `${name}: G ${(counts.generator! / 1e6).toFixed(2)} M, D ${(counts.critic! / 1e6).toFixed(2)} M, ` +
      `L ${((counts.landmarkEncoder! + counts.landmarkDecoder!) / 1e6).toFixed(3)} M params, ` +
      `${(bytes / 1e6).toFixed(1)} MB float32 | step ${mean.toFixed(2)} s | ${(config.batchSize / mean).toFixed(1)} images/s ` +
      `| tensors ${tf.memory().numTensors}`,
  );
  replica.dispose();
}
