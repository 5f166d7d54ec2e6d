/**
 * A small Replica for the data-parallel tests: a 2-layer perceptron trained in two phases (each phase updates
 * one layer with Adam), plus a BatchNorm-like running mean of the inputs that computeGradients updates from its
 * shard — the kind of non-trainable state the engine must keep identical across replicas.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchShard, NamedArrays, PhaseResult, Replica } from '../../src/engine/parallel/replica.js';

export const INPUTS = 4;
const HIDDEN = 8;

function seeded(count: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: count }, () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5);
}

class TinyReplica implements Replica {
  readonly phases = ['first', 'second'];
  private readonly variables: Record<string, tf.Variable> = {
    w1: tf.variable(tf.tensor2d(seeded(INPUTS * HIDDEN, 1), [INPUTS, HIDDEN]), true, undefined),
    w2: tf.variable(tf.tensor2d(seeded(HIDDEN, 2), [HIDDEN, 1]), true, undefined),
    runningMean: tf.variable(tf.zeros([INPUTS]), false, undefined),
  };
  private readonly optimizers: Record<string, tf.Optimizer> = {
    first: tf.train.adam(0.05),
    second: tf.train.adam(0.05),
  };

  async computeGradients(phase: string, shard: BatchShard, n: number): Promise<PhaseResult> {
    const trained = phase === 'first' ? 'w1' : 'w2';
    const { loss, grad } = tf.tidy(() => {
      const x = tf.tensor2d(shard.x as Float32Array, [n, INPUTS]);
      const y = tf.tensor2d(shard.y as Float32Array, [n, 1]);
      const running = this.variables.runningMean!;
      running.assign(running.mul(0.9).add(x.mean(0).mul(0.1)));
      const f = (w: tf.Tensor) => {
        const [w1, w2] = trained === 'w1' ? [w, this.variables.w2!] : [this.variables.w1!, w];
        return x
          .matMul(w1 as tf.Tensor2D)
          .relu()
          .matMul(w2 as tf.Tensor2D)
          .sub(y)
          .square()
          .mean() as tf.Scalar;
      };
      const { value, grad } = tf.valueAndGrad(f)(this.variables[trained]!);
      return { loss: value.dataSync()[0]!, grad: grad.dataSync() as Float32Array };
    });
    return { gradients: { [trained]: grad }, losses: { mse: loss } };
  }

  /** Optimizer state as the engine sees it: here the number of updates applied (stands in for Adam's). */
  private updates = 0;

  getOptimizerState(): NamedArrays {
    return { updates: Float32Array.of(this.updates) };
  }

  setOptimizerState(state: NamedArrays): void {
    this.updates = state.updates![0]!;
  }

  async applyGradients(phase: string, gradients: NamedArrays): Promise<void> {
    this.updates++;
    const named: tf.NamedTensorMap = {};
    for (const [name, values] of Object.entries(gradients)) {
      const v = this.variables[name]!;
      named[v.name] = tf.tensor(values, v.shape);
    }
    this.optimizers[phase]!.applyGradients(named);
    tf.dispose(Object.values(named));
  }

  getWeights(): NamedArrays {
    return Object.fromEntries(
      Object.entries(this.variables).map(([n, v]) => [n, v.dataSync() as Float32Array]),
    );
  }

  setWeights(weights: NamedArrays): void {
    for (const [name, values] of Object.entries(weights)) {
      const v = this.variables[name]!;
      tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
    }
  }

  dispose(): void {
    tf.dispose(Object.values(this.variables));
    Object.values(this.optimizers).forEach((o) => o.dispose());
  }
}

export async function createReplica(): Promise<Replica> {
  return new TinyReplica();
}
