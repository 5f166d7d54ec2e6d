/**
 * The three Mimic networks (Qiao et al. 2018), built from stock tf.layers only so that the saved folders load with
 * plain `tf.loadLayersModel` in Node and in the browser (no custom layer classes to register).
 *
 * Every layer gets an explicit name: weight names then do not depend on how many models a process built before,
 * so checkpoints and data-parallel replicas can address weights by name across processes.
 */
import tf from '../engine/tfjs.cjs';
import { LANDMARK_VALUES } from '../face/landmarks.js';
import type { MimicModelConfig } from './config.js';
import { MaskedBlend } from './maskedBlend.js';
import { SampleNorm } from './sampleNorm.js';

function denseBnRelu(x: tf.SymbolicTensor, units: number, name: string, momentum: number): tf.SymbolicTensor {
  // The bias is redundant before BatchNorm (its beta plays that role).
  let y = tf.layers.dense({ units, useBias: false, name: `${name}_dense` }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization({ momentum, name: `${name}_bn` }).apply(y) as tf.SymbolicTensor;
  return tf.layers.reLU({ name: `${name}_relu` }).apply(y) as tf.SymbolicTensor;
}

/** L's encoder: 136 normalized landmark coordinates → z_g. The code layer is linear (the contrastive loss measures distances in it). */
export function buildLandmarkEncoder(config: MimicModelConfig): tf.LayersModel {
  const input = tf.input({ shape: [LANDMARK_VALUES], name: 'landmarks' });
  let x = input;
  config.landmarkEncoderUnits.forEach(
    (units, i) => (x = denseBnRelu(x, units, `lenc${i}`, config.batchNormMomentum)),
  );
  const code = tf.layers
    .dense({ units: config.landmarkCodeSize, name: 'lenc_code' })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: code, name: 'landmark_encoder' });
}

/** L's decoder: z_g → 136 landmark coordinates (linear output: coordinates are regressed, not squashed). */
export function buildLandmarkDecoder(config: MimicModelConfig): tf.LayersModel {
  const input = tf.input({ shape: [config.landmarkCodeSize], name: 'landmark_code' });
  let x = input;
  config.landmarkDecoderUnits.forEach(
    (units, i) => (x = denseBnRelu(x, units, `ldec${i}`, config.batchNormMomentum)),
  );
  const out = tf.layers.dense({ units: LANDMARK_VALUES, name: 'ldec_out' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'landmark_decoder' });
}

function convBnRelu(
  x: tf.SymbolicTensor,
  filters: number,
  name: string,
  momentum: number,
): tf.SymbolicTensor {
  let y = tf.layers
    .conv2d({ filters, kernelSize: 4, strides: 2, padding: 'same', useBias: false, name: `${name}_conv` })
    .apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization({ momentum, name: `${name}_bn` }).apply(y) as tf.SymbolicTensor;
  return tf.layers.reLU({ name: `${name}_relu` }).apply(y) as tf.SymbolicTensor;
}

function deconvBnRelu(
  x: tf.SymbolicTensor,
  filters: number,
  name: string,
  momentum: number,
): tf.SymbolicTensor {
  let y = tf.layers
    .conv2dTranspose({
      filters,
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      useBias: false,
      name: `${name}_deconv`,
    })
    .apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization({ momentum, name: `${name}_bn` }).apply(y) as tf.SymbolicTensor;
  return tf.layers.reLU({ name: `${name}_relu` }).apply(y) as tf.SymbolicTensor;
}

/** G's inputs in order: [image, warped (generatorBase "warped" only), landmark code]. */
export function generatorInputs<T, U>(
  config: MimicModelConfig,
  image: T,
  warped: T | undefined,
  code: U,
): (T | U)[] {
  if (config.generatorBase !== 'warped') return [image, code];
  if (warped === undefined) throw new Error('this generator needs the warped input image');
  return [image, warped, code];
}

/**
 * G: inputs [image N×64×64×C in [-1, 1], (warped N×64×64×C,) z_g N×codeSize] → image N×64×64×C in [-1, 1].
 *
 * Encoder: four stride-2 4×4 convolutions (64 → 4) + a dense layer to z_i. z_i and z_g are concatenated and a
 * dense layer brings them back to 4×4. Decoder: four stride-2 4×4 transposed convolutions (4 → 64), the last
 * one with tanh. A skip at stage k concatenates encoder conv k's output to the decoder output of the same size
 * (stage 0 = the paper's single skip: first conv's output → penultimate deconv's output, both 32×32).
 * With generatorBase "input" or "warped" the last deconvolution gives colour + mask and a MaskedBlend layer mixes
 * them with the base image; with "warped" the encoder sees the photo and its warp side by side (2C channels).
 */
export function buildGenerator(config: MimicModelConfig): tf.LayersModel {
  const s = config.imageSize;
  const ch = config.generatorChannels;
  const image = tf.input({ shape: [s, s, config.channels], name: 'image' });
  const warped =
    config.generatorBase === 'warped'
      ? tf.input({ shape: [s, s, config.channels], name: 'warped' })
      : undefined;
  const landmarkCode = tf.input({ shape: [config.landmarkCodeSize], name: 'landmark_code' });

  const encoded: tf.SymbolicTensor[] = [];
  let x: tf.SymbolicTensor =
    warped === undefined
      ? image
      : (tf.layers.concatenate({ name: 'genc_inputs' }).apply([image, warped]) as tf.SymbolicTensor);
  ch.forEach((filters, i) => {
    x = convBnRelu(x, filters, `genc${i}`, config.batchNormMomentum);
    encoded.push(x);
  });
  const bottom = s / 16;
  x = tf.layers.flatten({ name: 'genc_flatten' }).apply(x) as tf.SymbolicTensor;
  const imageCode = denseBnRelu(x, config.imageCodeSize, 'genc_code', config.batchNormMomentum);

  let y = tf.layers
    .concatenate({ name: 'gcode_concat' })
    .apply([imageCode, landmarkCode]) as tf.SymbolicTensor;
  y = denseBnRelu(y, bottom * bottom * ch[3]!, 'gdec_fc', config.batchNormMomentum);
  y = tf.layers
    .reshape({ targetShape: [bottom, bottom, ch[3]!], name: 'gdec_reshape' })
    .apply(y) as tf.SymbolicTensor;
  // Decoder stages produce 8, 16, 32 (with ch[2], ch[1], ch[0] channels); encoder stage k has size s / 2^(k+1).
  for (let stage = 2; stage >= 0; stage--) {
    y = deconvBnRelu(y, ch[stage]!, `gdec${stage}`, config.batchNormMomentum);
    if (config.generatorSkips.includes(stage))
      y = tf.layers.concatenate({ name: `gskip${stage}` }).apply([y, encoded[stage]!]) as tf.SymbolicTensor;
  }
  const blended = config.generatorBase !== 'none';
  let out = tf.layers
    .conv2dTranspose({
      filters: blended ? config.channels + 1 : config.channels,
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      activation: blended ? 'linear' : 'tanh',
      name: 'gdec_out',
    })
    .apply(y) as tf.SymbolicTensor;
  if (blended) out = new MaskedBlend({ name: 'gblend' }).apply([out, warped ?? image]) as tf.SymbolicTensor;
  const inputs = generatorInputs(config, image, warped, landmarkCode);
  return tf.model({ inputs, outputs: out, name: 'generator' });
}

/**
 * D: image N×64×64×C → critic map N×2×2×1 (its mean is the Wasserstein critic value).
 *
 * Four stride-2 4×4 convolutions with LeakyReLU, layer normalization over (H, W, C) after all but the first
 * (WGAN-GP needs a per-sample normalization: BatchNorm would couple the samples that the gradient penalty treats
 * independently; see sampleNorm.ts for why it is not tf.layers.layerNormalization),
 * then a 3×3 valid convolution from 4×4 to the 2×2 map.
 */
export function buildCritic(config: MimicModelConfig): tf.LayersModel {
  const s = config.imageSize;
  const image = tf.input({ shape: [s, s, config.channels], name: 'image' });
  let x: tf.SymbolicTensor = image;
  config.criticChannels.forEach((filters, i) => {
    x = tf.layers
      .conv2d({ filters, kernelSize: 4, strides: 2, padding: 'same', name: `d${i}_conv` })
      .apply(x) as tf.SymbolicTensor;
    if (i > 0) x = new SampleNorm({ name: `d${i}_ln` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.leakyReLU({ alpha: config.leakySlope, name: `d${i}_lrelu` }).apply(x) as tf.SymbolicTensor;
  });
  const out = tf.layers
    .conv2d({ filters: 1, kernelSize: 3, strides: 1, padding: 'valid', name: 'd_out' })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: image, outputs: out, name: 'critic' });
}
