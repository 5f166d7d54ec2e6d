/**
 * Every size and weight of the Mimic networks and their training, in one object.
 *
 * `PAPER_MODEL_CONFIG` holds the values of Qiao et al. 2018 where the paper gives them; `DEFAULT_MODEL_CONFIG` is
 * what we ship: the paper's values except where a measured reason (written next to the field) made us change them
 * for a model that trains from scratch in under two hours on two CPU cores.
 */
import { MimicError } from '../util/errors.js';

export interface LossWeights {
  /** Contrastive loss on landmark codes (eq. 2). */
  contrastive: number;
  /** Generator's WGAN loss (eq. 3). */
  adversarial: number;
  /** L1 between generated and real target image, summed over pixels and channels (eq. 4). */
  imageReconstruction: number;
  /** Squared L2 between decoded and input landmarks, summed over the 136 coordinates (eq. 4). */
  landmarkReconstruction: number;
}

export interface MimicModelConfig {
  /** Crop side; the networks are built for 64 (four stride-2 stages down to 4×4). */
  imageSize: number;
  /** 3 = RGB, 1 = gray (the trainer converts crops to luma). */
  channels: 1 | 3;
  /** Landmark embedding L: hidden widths of the encoder (136 → … → codeSize) and decoder (codeSize → … → 136). */
  landmarkEncoderUnits: number[];
  landmarkDecoderUnits: number[];
  /** Size of z_g, the landmark code. */
  landmarkCodeSize: number;
  /** Generator G: channels of the four stride-2 convolutions (64 → 32 → 16 → 8 → 4); the decoder mirrors them. */
  generatorChannels: number[];
  /** Size of z_i, the image code. */
  imageCodeSize: number;
  /**
   * Skip connections from encoder stage k's output to the matching decoder output (0 = first conv, 32×32).
   * The paper has exactly one, [0].
   */
  generatorSkips: number[];
  /**
   * What G's output is built on (maskedBlend.ts):
   * - "none": the paper's — the decoder paints the whole image (tanh).
   * - "input": the decoder paints colour and a mask; out = mask · colour + (1 − mask) · input photo.
   * - "warped": as "input", but the base is the input photo piecewise-affinely warped from its own landmarks to
   *   the target landmarks (src/image/piecewiseAffineWarp.ts), which G also gets as a second image input; G then
   *   only refines the warp (teeth, wrinkles, shading). Needs the input's landmarks at inference.
   */
  generatorBase: GeneratorBase;
  /**
   * Momentum of the BatchNorm moving statistics that inference uses (L and G). 0.9 (PyTorch's default, there
   * written 0.1), not TF.js's 0.99: with 0.99 the statistics lag the fast-changing weights of a short run so much
   * that inference output was washed out (measured at step 81: held-out L1 0.24 with moving statistics against
   * 0.13 with batch statistics).
   */
  batchNormMomentum: number;
  /** Critic D: channels of its four stride-2 convolutions; a final 3×3 valid convolution gives the 2×2 map. */
  criticChannels: number[];
  /** LeakyReLU slope in D. */
  leakySlope: number;
  /** Contrastive margin m (eq. 2). */
  contrastiveMargin: number;
  /** WGAN-GP gradient penalty weight λ (eq. 3). */
  gradientPenaltyWeight: number;
  /** Critic updates per generator update. */
  criticSteps: number;
  lossWeights: LossWeights;
  learningRate: number;
  adamBeta1: number;
  adamBeta2: number;
  batchSize: number;
  augment: AugmentConfig;
}

export const GENERATOR_BASES = ['none', 'input', 'warped'] as const;
export type GeneratorBase = (typeof GENERATOR_BASES)[number];

export interface AugmentConfig {
  /** Flip a whole triplet horizontally with probability 0.5 (landmarks through the mirror map). */
  flip: boolean;
  /** Largest rotation in degrees, scale change (fraction) and shift (pixels) of the random similarity jitter. */
  rotateDegrees: number;
  scale: number;
  shiftPixels: number;
  /** Largest brightness shift and contrast/saturation factor change (fractions), same for input and target. */
  brightness: number;
  contrast: number;
  saturation: number;
}

export const PAPER_MODEL_CONFIG: MimicModelConfig = {
  imageSize: 64,
  channels: 3,
  landmarkEncoderUnits: [128, 64],
  landmarkDecoderUnits: [128],
  landmarkCodeSize: 32,
  generatorChannels: [64, 128, 256, 512],
  imageCodeSize: 256,
  generatorSkips: [0],
  generatorBase: 'none',
  batchNormMomentum: 0.9,
  criticChannels: [64, 128, 256, 512],
  leakySlope: 0.2,
  contrastiveMargin: 5,
  gradientPenaltyWeight: 10,
  criticSteps: 1,
  lossWeights: { contrastive: 1, adversarial: 1e-3, imageReconstruction: 1e-4, landmarkReconstruction: 1e-4 },
  learningRate: 3e-4,
  adamBeta1: 0.5,
  adamBeta2: 0.999,
  batchSize: 64,
  augment: {
    flip: true,
    rotateDegrees: 3,
    scale: 0.03,
    shiftPixels: 1.5,
    brightness: 0.08,
    contrast: 0.1,
    saturation: 0.1,
  },
};

/**
 * The default configuration: the paper's networks, narrower than the paper-sized preset so that a model trains in
 * under two hours on two CPU cores (see the README for the measured images/s of each). The shipped model adds
 * configs/warp-refine.json (generatorBase "warped") on top of it.
 */
export const DEFAULT_MODEL_CONFIG: MimicModelConfig = {
  ...PAPER_MODEL_CONFIG,
  generatorChannels: [32, 64, 128, 128],
  imageCodeSize: 128,
  criticChannels: [32, 64, 128, 128],
};

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K];
};
export type PartialModelConfig = DeepPartial<MimicModelConfig>;

/** The base config with the given fields replaced (nested objects merged field by field), validated. */
export function resolveModelConfig(
  overrides: PartialModelConfig = {},
  base: MimicModelConfig = DEFAULT_MODEL_CONFIG,
): MimicModelConfig {
  const config: MimicModelConfig = {
    ...base,
    ...(overrides as Partial<MimicModelConfig>),
    lossWeights: { ...base.lossWeights, ...overrides.lossWeights },
    augment: { ...base.augment, ...overrides.augment },
  };
  validateModelConfig(config);
  return config;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new MimicError(`model config: ${message}`);
}

const positiveInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;
const nonNegative = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export function validateModelConfig(config: MimicModelConfig): void {
  check(config.imageSize === 64, `imageSize must be 64 (got ${config.imageSize})`);
  check(config.channels === 1 || config.channels === 3, `channels must be 1 or 3 (got ${config.channels})`);
  for (const key of ['landmarkEncoderUnits', 'landmarkDecoderUnits'] as const)
    check(
      Array.isArray(config[key]) && config[key].every(positiveInt),
      `${key} must be a list of positive integers`,
    );
  for (const key of ['generatorChannels', 'criticChannels'] as const)
    check(
      Array.isArray(config[key]) && config[key].length === 4 && config[key].every(positiveInt),
      `${key} must be four positive integers`,
    );
  check(
    Array.isArray(config.generatorSkips) &&
      config.generatorSkips.every((s) => Number.isInteger(s) && s >= 0 && s <= 2),
    'generatorSkips must list stages 0, 1 or 2',
  );
  check(
    (GENERATOR_BASES as readonly string[]).includes(config.generatorBase),
    `generatorBase must be one of ${GENERATOR_BASES.join(', ')} (got ${String(config.generatorBase)})`,
  );
  for (const key of ['landmarkCodeSize', 'imageCodeSize', 'criticSteps', 'batchSize'] as const)
    check(positiveInt(config[key]), `${key} must be a positive integer (got ${config[key]})`);
  for (const key of ['leakySlope', 'contrastiveMargin', 'gradientPenaltyWeight', 'learningRate'] as const)
    check(nonNegative(config[key]), `${key} must be a non-negative number (got ${config[key]})`);
  check(
    typeof config.batchNormMomentum === 'number' &&
      config.batchNormMomentum >= 0 &&
      config.batchNormMomentum < 1,
    'batchNormMomentum must be in [0, 1)',
  );
  check(config.adamBeta1 >= 0 && config.adamBeta1 < 1, 'adamBeta1 must be in [0, 1)');
  check(config.adamBeta2 >= 0 && config.adamBeta2 < 1, 'adamBeta2 must be in [0, 1)');
  for (const [key, value] of Object.entries(config.lossWeights))
    check(nonNegative(value), `lossWeights.${key} must be a non-negative number`);
  for (const [key, value] of Object.entries(config.augment))
    if (key !== 'flip') check(nonNegative(value), `augment.${key} must be a non-negative number`);
}
