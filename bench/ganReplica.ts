/**
 * A Replica (src/engine/parallel/replica.ts) running one WGAN-GP step of the default Mimic networks — the workload that
 * `npm run bench:train` times. It is a benchmark stand-in for the trainer's replica: same networks (from
 * src/model/), same kinds of loss (critic with a real second-order gradient penalty; generator with the
 * adversarial term and an L1 reconstruction), Adam on both, BatchNorm in training mode.
 *
 * Options: { preset?: 'default' | 'paper', lazyConvGradients?: boolean }. Initial weights are random: the
 * data-parallel engine copies replica 0's weights to the others.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchShard, NamedArrays, PhaseResult, Replica } from '../src/engine/parallel/replica.js';
import { useLazyConvGradients } from '../src/engine/lazyConvGradients.js';
import { buildCritic, buildGenerator } from '../src/model/networks.js';
import { DEFAULT_MODEL_CONFIG, PAPER_MODEL_CONFIG, type MimicModelConfig } from '../src/model/config.js';

export interface GanReplicaOptions {
  preset?: 'default' | 'paper';
  /** Train-mode convolutions without the fused op's eager gradients (src/engine/lazyConvGradients.ts); default true. */
  lazyConvGradients?: boolean;
}

export function benchConfig(preset: 'default' | 'paper' = 'default'): MimicModelConfig {
  return preset === 'paper' ? PAPER_MODEL_CONFIG : DEFAULT_MODEL_CONFIG;
}

/** Random batch of the shapes a Mimic training step consumes. */
export function randomGanBatch(config: MimicModelConfig, batchSize: number, seed = 1): BatchShard {
  let s = seed >>> 0;
  const next = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const image = config.imageSize * config.imageSize * config.channels;
  return {
    input: Float32Array.from({ length: batchSize * image }, next),
    target: Float32Array.from({ length: batchSize * image }, next),
    code: Float32Array.from({ length: batchSize * config.landmarkCodeSize }, next),
  };
}

class GanReplica implements Replica {
  readonly phases = ['critic', 'generator'] as const;
  private readonly optimizers: Record<string, tf.Optimizer>;
  private readonly variables = new Map<string, tf.LayerVariable>();

  constructor(
    private readonly config: MimicModelConfig,
    private readonly generator: tf.LayersModel,
    private readonly critic: tf.LayersModel,
  ) {
    this.optimizers = {
      critic: tf.train.adam(config.learningRate, config.adamBeta1, config.adamBeta2),
      generator: tf.train.adam(config.learningRate, config.adamBeta1, config.adamBeta2),
    };
    for (const [prefix, model] of [
      ['G', generator],
      ['D', critic],
    ] as const) {
      for (const weight of model.weights) this.variables.set(`${prefix}/${weight.originalName}`, weight);
    }
  }

  private trainable(phase: string): [string, tf.Variable][] {
    const prefix = phase === 'critic' ? 'D/' : 'G/';
    return [...this.variables]
      .filter(([name, w]) => name.startsWith(prefix) && w.trainable)
      .map(([name, w]) => [name, w.read() as tf.Variable]);
  }

  private tensors(shard: BatchShard, n: number) {
    const size = this.config.imageSize;
    const c = this.config.channels;
    return {
      input: tf.tensor4d(shard.input as Float32Array, [n, size, size, c]),
      target: tf.tensor4d(shard.target as Float32Array, [n, size, size, c]),
      code: tf.tensor2d(shard.code as Float32Array, [n, this.config.landmarkCodeSize]),
    };
  }

  private criticLoss(
    real: tf.Tensor4D,
    fake: tf.Tensor4D,
  ): { total: tf.Scalar; wasserstein: tf.Scalar; gp: tf.Scalar } {
    const n = real.shape[0];
    const critic = (x: tf.Tensor) => this.critic.apply(x, { training: true }) as tf.Tensor;
    const epsilon = tf.randomUniform([n, 1, 1, 1]);
    const mixed = real.mul(epsilon).add(fake.mul(tf.scalar(1).sub(epsilon))) as tf.Tensor4D;
    // The penalty differentiates the critic w.r.t. its input inside a loss that is itself differentiated.
    const inputGrad = tf.grad((x: tf.Tensor) => critic(x).sum())(mixed);
    const norms = inputGrad.square().sum([1, 2, 3]).add(1e-12).sqrt();
    const gp = norms.sub(1).square().mean() as tf.Scalar;
    const wasserstein = critic(fake).mean().sub(critic(real).mean()) as tf.Scalar;
    const total = wasserstein.add(gp.mul(this.config.gradientPenaltyWeight)) as tf.Scalar;
    return { total, wasserstein, gp };
  }

  async computeGradients(phase: string, shard: BatchShard, shardSize: number): Promise<PhaseResult> {
    const losses: Record<string, number> = {};
    const names: string[] = [];
    const grads = tf.tidy(() => {
      const { input, target, code } = this.tensors(shard, shardSize);
      const trainable = this.trainable(phase);
      names.push(...trainable.map(([name]) => name));
      const vars = trainable.map(([, v]) => v);
      // The critic phase only differentiates D, so G runs outside the tape.
      const criticFake =
        phase === 'critic'
          ? (this.generator.apply([input, code], { training: true }) as tf.Tensor4D)
          : undefined;
      const { value, grads } = tf.variableGrads(() => {
        if (criticFake !== undefined) {
          const { total, wasserstein, gp } = this.criticLoss(target, criticFake);
          losses.wasserstein = wasserstein.dataSync()[0]!;
          losses.gp = gp.dataSync()[0]!;
          return total;
        }
        const fake = this.generator.apply([input, code], { training: true }) as tf.Tensor4D;
        const adversarial = (this.critic.apply(fake, { training: true }) as tf.Tensor).mean().neg();
        const l1 = fake.sub(target).abs().mean();
        losses.l1 = l1.dataSync()[0]!;
        return adversarial.mul(this.config.lossWeights.adversarial).add(l1) as tf.Scalar;
      }, vars);
      losses.total = value.dataSync()[0]!;
      return vars.map((v) => grads[v.name]!);
    });
    const gradients: NamedArrays = {};
    names.forEach((name, i) => (gradients[name] = grads[i]!.dataSync() as Float32Array));
    tf.dispose(grads);
    return { gradients, losses };
  }

  async applyGradients(phase: string, gradients: NamedArrays): Promise<void> {
    const trainable = this.trainable(phase);
    const named: tf.NamedTensorMap = {};
    for (const [name, v] of trainable) named[v.name] = tf.tensor(gradients[name]!, v.shape);
    this.optimizers[phase]!.applyGradients(named);
    tf.dispose(Object.values(named));
  }

  getWeights(): NamedArrays {
    const out: NamedArrays = {};
    for (const [name, w] of this.variables) out[name] = w.read().dataSync() as Float32Array;
    return out;
  }

  setWeights(weights: NamedArrays): void {
    for (const [name, values] of Object.entries(weights)) {
      const w = this.variables.get(name);
      if (w === undefined) throw new Error(`unknown weight ${name}`);
      const t = tf.tensor(values, w.shape as number[]);
      w.write(t);
      t.dispose();
    }
  }

  dispose(): void {
    this.generator.dispose();
    this.critic.dispose();
    Object.values(this.optimizers).forEach((o) => o.dispose());
  }
}

export async function createReplica(options: unknown): Promise<Replica> {
  const { preset = 'default', lazyConvGradients = true } = (options ?? {}) as GanReplicaOptions;
  const config = benchConfig(preset);
  const generator = buildGenerator(config);
  const critic = buildCritic(config);
  if (lazyConvGradients) {
    useLazyConvGradients(generator);
    useLazyConvGradients(critic);
  }
  return new GanReplica(config, generator, critic);
}
