/**
 * The Mimic training step as a Replica (src/engine/parallel/replica.ts): one copy of L, G and D with their optimizers.
 * Phases: "critic" (criticSteps times; D's WGAN-GP loss) then "generator" (L and G: contrastive + adversarial +
 * reconstruction, eq. 5). The data-parallel pool loads this module and calls `createReplica(options)`; the trainer
 * runs it in-process when there is one worker.
 *
 * Shard fields (N = shard size, C = channels):
 *   input             N×64×64×C  the photo I_u in [-1, 1]
 *   target            N×64×64×C  the real target I_v
 *   targetLandmarks   N×136      g_v, normalized
 *   referenceLandmarks N×136     landmarks of another subject (the contrastive pair of g_v)
 *   different         N          1 where the reference's expression label differs from the target's, else 0
 *   gpEpsilon         N          the gradient penalty's mixing weights ε ~ U[0, 1] (drawn by the trainer, so
 *                                runs are reproducible and shards of one batch never share numbers)
 *   warped            N×64×64×C  generatorBase "warped" only: I_u warped to g_v (G's second image input)
 *
 * BatchNorm layers run in training mode and update their moving statistics during computeGradients (TF.js
 * layers do this as a side effect of a training-mode call); with several replicas the pool averages them.
 */
import tf from '../engine/tfjs.cjs';
import { useLazyConvGradients } from '../engine/lazyConvGradients.js';
import type { BatchShard, NamedArrays, PhaseResult, Replica } from '../engine/parallel/replica.js';
import { type MimicModelConfig, resolveModelConfig, type PartialModelConfig } from '../model/config.js';
import { buildMimicNetworks, type MimicNetworks, disposeMimicNetworks } from '../model/mimicModel.js';
import { generatorInputs } from '../model/networks.js';
import { initializeWeights, readWeights, weightVariables, writeWeights } from '../model/weights.js';
import { Adam, type AdamState } from './adam.js';
import {
  contrastiveLoss,
  criticLoss,
  criticValues,
  generatorAdversarialLoss,
  imageL1Loss,
  landmarkL2Loss,
} from './losses.js';
import { LANDMARK_VALUES } from '../face/landmarks.js';

export interface MimicReplicaOptions {
  config?: PartialModelConfig;
  /** Seed of the initial weights (every replica built with the same seed starts identical). */
  seed?: number;
}

type NetworkKey = keyof MimicNetworks;
const PHASE_NETWORKS: Record<string, readonly NetworkKey[]> = {
  critic: ['critic'],
  generator: ['landmarkEncoder', 'landmarkDecoder', 'generator'],
};

export class MimicReplica implements Replica {
  readonly phases: readonly string[];
  readonly config: MimicModelConfig;
  readonly networks: MimicNetworks;
  private readonly variables: Map<string, tf.LayerVariable>;
  /** Trainable weight names per phase, in a fixed order. */
  private readonly phaseWeights: Record<string, string[]>;
  /** Float32 copies of the trainable weights: Adam updates them in place, then they are written to the variables. */
  private readonly mirror: Record<string, Float32Array>;
  private readonly optimizers: Record<string, Adam>;

  constructor(config: MimicModelConfig, seed: number) {
    this.config = config;
    this.phases = [...Array<string>(config.criticSteps).fill('critic'), 'generator'];
    this.networks = buildMimicNetworks(config);
    // Training-mode convs without the fused op's eager gradients: same arithmetic, ~10 % less work per step.
    useLazyConvGradients(this.networks.generator);
    useLazyConvGradients(this.networks.critic);
    initializeWeights(this.networks, seed);
    this.variables = weightVariables(this.networks);
    this.phaseWeights = {};
    for (const [phase, keys] of Object.entries(PHASE_NETWORKS)) {
      this.phaseWeights[phase] = [...this.variables]
        .filter(([name, v]) => v.trainable && keys.some((k) => name.startsWith(`${k}/`)))
        .map(([name]) => name);
    }
    this.mirror = readWeights(this.variables, Object.values(this.phaseWeights).flat());
    const adam = () =>
      new Adam({ learningRate: config.learningRate, beta1: config.adamBeta1, beta2: config.adamBeta2 });
    this.optimizers = { critic: adam(), generator: adam() };
  }

  private trainableVariables(phase: string): tf.Variable[] {
    const names = this.phaseWeights[phase];
    if (names === undefined) throw new Error(`unknown phase "${phase}"`);
    return names.map((name) => this.variables.get(name)!.read() as tf.Variable);
  }

  private criticFn = (images: tf.Tensor4D): tf.Tensor1D =>
    criticValues(this.networks.critic.apply(images, { training: true }) as tf.Tensor);

  async computeGradients(phase: string, shard: BatchShard, shardSize: number): Promise<PhaseResult> {
    const variables = this.trainableVariables(phase);
    const names = this.phaseWeights[phase]!;
    const losses: Record<string, tf.Scalar> = {};
    const { grads, value } = tf.tidy(() => {
      const batch = this.shardTensors(shard, shardSize);
      if (phase === 'critic') {
        // G runs outside the gradient (only D's weights are differentiated here).
        const fake = tf.tidy(() => this.generate(batch.input, batch.warped, batch.targetLandmarks));
        return tf.variableGrads(() => {
          const terms = criticLoss(
            this.criticFn,
            batch.target,
            fake,
            batch.gpEpsilon,
            this.config.gradientPenaltyWeight,
          );
          losses.wasserstein = tf.keep(terms.wasserstein);
          losses.gradientPenalty = tf.keep(terms.gradientPenalty);
          return terms.total;
        }, variables);
      }
      return tf.variableGrads(() => {
        const w = this.config.lossWeights;
        const n = shardSize;
        // Target and reference landmarks through L in one call, so BatchNorm sees one batch of statistics.
        const both = tf.concat([batch.targetLandmarks, batch.referenceLandmarks], 0);
        const codes = this.networks.landmarkEncoder.apply(both, { training: true }) as tf.Tensor2D;
        const decoded = this.networks.landmarkDecoder.apply(codes, { training: true }) as tf.Tensor2D;
        const targetCode = tf.slice(codes, [0, 0], [n, -1]);
        const referenceCode = tf.slice(codes, [n, 0], [n, -1]);
        const fake = this.networks.generator.apply(
          generatorInputs(this.config, batch.input, batch.warped, targetCode),
          { training: true },
        ) as tf.Tensor4D;
        const contrastive = contrastiveLoss(
          targetCode,
          referenceCode,
          batch.different,
          this.config.contrastiveMargin,
        );
        const adversarial = generatorAdversarialLoss(this.criticFn, fake);
        const imageL1 = imageL1Loss(fake, batch.target);
        const landmarkL2 = landmarkL2Loss(decoded, both);
        const total = tf.addN([
          tf.mul(w.contrastive, contrastive),
          tf.mul(w.adversarial, adversarial),
          tf.mul(w.imageReconstruction, imageL1),
          tf.mul(w.landmarkReconstruction, landmarkL2),
        ]) as tf.Scalar;
        Object.assign(losses, {
          contrastive: tf.keep(contrastive),
          adversarial: tf.keep(adversarial),
          imageL1: tf.keep(imageL1),
          landmarkL2: tf.keep(landmarkL2),
        });
        return total;
      }, variables);
    });
    const gradients: NamedArrays = {};
    names.forEach((name, i) => {
      const g = grads[variables[i]!.name];
      gradients[name] =
        g === undefined ? new Float32Array(this.mirror[name]!.length) : (g.dataSync() as Float32Array);
    });
    const numbers: Record<string, number> = {
      [phase === 'critic' ? 'critic' : 'generator']: value.dataSync()[0]!,
    };
    for (const [key, scalar] of Object.entries(losses)) numbers[key] = scalar.dataSync()[0]!;
    tf.dispose([value, ...Object.values(grads), ...Object.values(losses)]);
    return { gradients, losses: numbers };
  }

  /** G(I, L_enc(g)) in the current mode (training-mode BatchNorm: this is the training step's fake). */
  private generate(input: tf.Tensor4D, warped: tf.Tensor4D | undefined, landmarks: tf.Tensor2D): tf.Tensor4D {
    const code = this.networks.landmarkEncoder.apply(landmarks, { training: true }) as tf.Tensor2D;
    return this.networks.generator.apply(generatorInputs(this.config, input, warped, code), {
      training: true,
    }) as tf.Tensor4D;
  }

  private shardTensors(shard: BatchShard, n: number) {
    const s = this.config.imageSize;
    const c = this.config.channels;
    const field = (name: string): Float32Array => {
      const value = shard[name];
      if (!(value instanceof Float32Array))
        throw new Error(`shard field "${name}" is missing or not float32`);
      return value;
    };
    return {
      input: tf.tensor4d(field('input'), [n, s, s, c]),
      target: tf.tensor4d(field('target'), [n, s, s, c]),
      targetLandmarks: tf.tensor2d(field('targetLandmarks'), [n, LANDMARK_VALUES]),
      referenceLandmarks: tf.tensor2d(field('referenceLandmarks'), [n, LANDMARK_VALUES]),
      different: tf.tensor1d(field('different')),
      gpEpsilon: tf.tensor1d(field('gpEpsilon')),
      warped: this.config.generatorBase === 'warped' ? tf.tensor4d(field('warped'), [n, s, s, c]) : undefined,
    };
  }

  async applyGradients(phase: string, gradients: NamedArrays): Promise<void> {
    const optimizer = this.optimizers[phase];
    if (optimizer === undefined) throw new Error(`unknown phase "${phase}"`);
    optimizer.update(this.mirror, gradients);
    const updated: NamedArrays = {};
    for (const name of this.phaseWeights[phase]!) updated[name] = this.mirror[name]!;
    writeWeights(this.variables, updated);
  }

  getWeights(): NamedArrays {
    const out = readWeights(this.variables);
    // dataSync may hand back a view TF.js reuses; copies are safe to ship and keep.
    for (const key of Object.keys(out)) out[key] = Float32Array.from(out[key]!);
    return out;
  }

  setWeights(weights: NamedArrays): void {
    writeWeights(this.variables, weights);
    for (const name of Object.keys(this.mirror))
      if (weights[name] !== undefined) this.mirror[name] = Float32Array.from(weights[name]!);
  }

  /** Adam state of both phases as flat arrays ("critic/step", "critic/m/<weight>", …) for checkpoints. */
  getOptimizerState(): NamedArrays {
    const out: NamedArrays = {};
    for (const [phase, optimizer] of Object.entries(this.optimizers)) {
      const state = optimizer.getState();
      out[`${phase}/step`] = Float32Array.of(state.step);
      for (const [name, m] of Object.entries(state.m)) out[`${phase}/m/${name}`] = Float32Array.from(m);
      for (const [name, v] of Object.entries(state.v)) out[`${phase}/v/${name}`] = Float32Array.from(v);
    }
    return out;
  }

  setOptimizerState(flat: NamedArrays): void {
    for (const [phase, optimizer] of Object.entries(this.optimizers)) {
      const state: AdamState = { step: flat[`${phase}/step`]?.[0] ?? 0, m: {}, v: {} };
      for (const [key, values] of Object.entries(flat)) {
        if (key.startsWith(`${phase}/m/`)) state.m[key.slice(phase.length + 3)] = Float32Array.from(values);
        if (key.startsWith(`${phase}/v/`)) state.v[key.slice(phase.length + 3)] = Float32Array.from(values);
      }
      optimizer.setState(state);
    }
  }

  dispose(): void {
    disposeMimicNetworks(this.networks);
  }
}

/** Entry point for the data-parallel pool (see src/engine/parallel/replica.ts). */
export async function createReplica(options: unknown): Promise<MimicReplica> {
  const { config, seed } = (options ?? {}) as MimicReplicaOptions;
  return new MimicReplica(resolveModelConfig(config ?? {}), seed ?? 1);
}
