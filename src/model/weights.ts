/**
 * Weights of the Mimic networks addressed by stable names ("generator/genc0_conv/kernel"): the network's name plus
 * the weight's scoped name, which (unlike a TF.js variable's name) does not depend on what else a process built.
 * Also the seeded initialisation that makes a training run reproducible.
 */
import tf from '../engine/tfjs.cjs';
import { Rng } from '../util/random.js';
import { type MimicNetworks, NETWORK_KEYS } from './mimicModel.js';

export type NamedWeights = Record<string, Float32Array>;

/** Every weight (trainable and not) of the networks, by stable name, in a fixed order. */
export function weightVariables(networks: MimicNetworks): Map<string, tf.LayerVariable> {
  const out = new Map<string, tf.LayerVariable>();
  for (const key of NETWORK_KEYS) {
    for (const weight of networks[key].weights) out.set(`${key}/${weight.originalName}`, weight);
  }
  return out;
}

export function readWeights(
  variables: Map<string, tf.LayerVariable>,
  names?: Iterable<string>,
): NamedWeights {
  const out: NamedWeights = {};
  for (const name of names ?? variables.keys()) {
    const variable = variables.get(name);
    if (variable === undefined) throw new Error(`no weight named "${name}"`);
    out[name] = variable.read().dataSync() as Float32Array;
  }
  return out;
}

export function writeWeights(variables: Map<string, tf.LayerVariable>, weights: NamedWeights): void {
  for (const [name, values] of Object.entries(weights)) {
    const variable = variables.get(name);
    if (variable === undefined) throw new Error(`no weight named "${name}"`);
    const size = (variable.shape as number[]).reduce((a, b) => a * b, 1);
    if (values.length !== size) throw new Error(`weight "${name}" has ${size} values, got ${values.length}`);
    const tensor = tf.tensor(values, variable.shape as number[]);
    variable.write(tensor);
    tensor.dispose();
  }
}

/**
 * Redraws every kernel from a seeded Glorot-uniform distribution (what tf.layers uses, but with our seed, so the
 * same seed gives the same network in every process). Biases, norms and moving statistics keep their constant
 * initial values.
 */
export function initializeWeights(networks: MimicNetworks, seed: number): void {
  const rng = new Rng(seed ^ 0x5eed1e55);
  const variables = weightVariables(networks);
  const updates: NamedWeights = {};
  for (const [name, variable] of variables) {
    if (!name.endsWith('/kernel')) continue;
    const shape = variable.shape as number[];
    const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
    const fanIn = receptive * shape[shape.length - 2]!;
    const fanOut = receptive * shape[shape.length - 1]!;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const values = new Float32Array(receptive * shape[shape.length - 2]! * shape[shape.length - 1]!);
    for (let i = 0; i < values.length; i++) values[i] = rng.uniform(-limit, limit);
    updates[name] = values;
  }
  writeWeights(variables, updates);
}

/** Number of float32 values over all weights. */
export function countWeights(variables: Map<string, tf.LayerVariable>): number {
  let total = 0;
  for (const v of variables.values()) total += (v.shape as number[]).reduce((a, b) => a * b, 1);
  return total;
}
