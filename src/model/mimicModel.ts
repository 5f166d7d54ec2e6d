/**
 * A Mimic model in memory: the four networks plus what is needed to use them (config, the alignment the crops were
 * made with, expression labels) and a record of how it was trained.
 */
import tf from '../engine/tfjs.cjs';
import type { AlignmentConfig } from '../face/align.js';
import type { MimicModelConfig } from './config.js';
import { buildCritic, buildGenerator, buildLandmarkDecoder, buildLandmarkEncoder } from './networks.js';

/** How a model was trained (informational; written into mimic-model.json). */
export interface TrainingInfo {
  steps: number;
  /** Data set cache the model was trained on. */
  data: string;
  /** Held-out fold, or null when trained on all subjects. */
  fold: number | null;
  wallSeconds: number;
  [key: string]: unknown;
}

export interface MimicNetworks {
  landmarkEncoder: tf.LayersModel;
  landmarkDecoder: tf.LayersModel;
  generator: tf.LayersModel;
  critic: tf.LayersModel;
}

export interface MimicModel extends MimicNetworks {
  config: MimicModelConfig;
  alignment: AlignmentConfig;
  labels: string[];
  training: TrainingInfo;
}

/** Folder names of the networks inside a model folder, in a fixed order. */
export const NETWORK_FOLDERS = {
  landmarkEncoder: 'landmark-encoder',
  landmarkDecoder: 'landmark-decoder',
  generator: 'generator',
  critic: 'critic',
} as const satisfies Record<keyof MimicNetworks, string>;

export const NETWORK_KEYS = Object.keys(NETWORK_FOLDERS) as (keyof MimicNetworks)[];

export function buildMimicNetworks(config: MimicModelConfig): MimicNetworks {
  return {
    landmarkEncoder: buildLandmarkEncoder(config),
    landmarkDecoder: buildLandmarkDecoder(config),
    generator: buildGenerator(config),
    critic: buildCritic(config),
  };
}

export function disposeMimicNetworks(networks: MimicNetworks): void {
  for (const key of NETWORK_KEYS) networks[key].dispose();
}
