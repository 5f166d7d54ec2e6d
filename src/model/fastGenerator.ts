/**
 * An inference-only compilation of a trained landmark encoder and generator into plain TF.js ops, for the places a
 * person waits on the generator (transfer, animation, the web editor's preview).
 *
 * Why: `LayersModel.predict` runs every layer as its own kernel (convolution, then BatchNorm, then ReLU, then the
 * bias add of a transposed convolution, plus the reshapes and bookkeeping of tf.layers): at batch 1 the generator
 * took 8–12 ms, of which the convolutions' arithmetic is about 6 ms. Here, once at load:
 * - each BatchNormalization (inference mode: moving mean and variance) is folded into the weights and bias of the
 *   convolution or dense layer before it, so a layer is one fused op with its bias and ReLU;
 * - each stride-2 4×4 'same' transposed convolution gets its bias and ReLU fused too, with the engine's
 *   MimicFusedConv2DTranspose kernel (src/engine/kernels/FusedConv2DTranspose.ts) where the backend is WASM.
 * (A 3×3 stride-1 convolution to four times the channels plus depthToSpace, the textbook sub-pixel form, was
 * measured slower here: 2.25× the multiplies, and TF.js WASM's DepthToSpace took 0.6–1.7 ms a layer; the engine's
 * Conv2DBackpropInput already splits the transposed convolution into its four 2×2 phases.)
 * The result equals `generator.predict` up to float rounding (test/model/fastGenerator.test.ts checks it on the
 * shipped model and on other configurations).
 *
 * The compiled weights are copies: changing the layers model's weights afterwards does not reach them, which is why
 * only a model loaded for inference compiles (a model being trained keeps `predict`).
 */
import tf from '../engine/tfjs.cjs';
import { fusedConv2dTransposeOp } from '../engine/kernels/FusedConv2DTranspose.js';
import type { MimicModelConfig } from './config.js';

/** The two networks as one function: [image, (warped,) target landmarks] → generated image, like the two predicts. */
export interface CompiledInference {
  /**
   * images N×s×s×C, warped (generatorBase "warped" only) N×s×s×C, targets N×136 → N×s×s×C. Call it inside
   * tf.tidy: intermediate tensors are left to the caller's scope.
   */
  generate(images: tf.Tensor4D, warped: tf.Tensor4D | undefined, targets: tf.Tensor2D): tf.Tensor4D;
  /** The landmark encoder alone: targets N×136 → landmark codes (as landmarkEncoder.predict). */
  encodeLandmarks(targets: tf.Tensor2D): tf.Tensor2D;
  /** The generator alone: its inputs as `generate`'s, with landmark codes (as generator.predict). */
  generator(images: tf.Tensor4D, warped: tf.Tensor4D | undefined, code: tf.Tensor2D): tf.Tensor4D;
  /** Frees the compiled weights (not the layers models'). */
  dispose(): void;
}

/** One layer with its BatchNorm folded in: the weights of a single fused op. */
interface FoldedLayer {
  kernel: tf.Tensor;
  bias: tf.Tensor1D;
}

/** Thrown inside compilation when a network does not have the layout buildGenerator makes; the caller falls back. */
class UnexpectedLayout extends Error {}

function layerOf(model: tf.LayersModel, name: string, className: string): tf.layers.Layer {
  let layer: tf.layers.Layer;
  try {
    layer = model.getLayer(name);
  } catch {
    throw new UnexpectedLayout(`${model.name} has no layer ${name}`);
  }
  if (layer.getClassName() !== className)
    throw new UnexpectedLayout(`${name} is a ${layer.getClassName()}, expected ${className}`);
  return layer;
}

async function valuesOf(tensor: tf.Tensor): Promise<Float32Array> {
  // data(), not dataSync(): in the page the backend may be WebGL.
  return Float32Array.from(await tensor.data());
}

/** A layer's kernel and bias (zeros when the layer has none), as plain arrays. */
async function kernelAndBias(
  layer: tf.layers.Layer,
  outChannels: (kernel: tf.Tensor) => number,
): Promise<{ kernel: Float32Array; shape: number[]; bias: Float32Array }> {
  const weights = layer.getWeights();
  const kernel = weights[0];
  if (kernel === undefined || weights.length > 2)
    throw new UnexpectedLayout(`${layer.name}: unexpected weights`);
  const units = outChannels(kernel);
  const bias = weights[1] === undefined ? new Float32Array(units) : await valuesOf(weights[1]);
  if (bias.length !== units) throw new UnexpectedLayout(`${layer.name}: bias of ${bias.length} values`);
  return { kernel: await valuesOf(kernel), shape: kernel.shape, bias };
}

/**
 * A BatchNormalization layer in inference mode as y = x·scale + shift per channel:
 * scale = gamma / sqrt(movingVariance + epsilon), shift = beta − movingMean·scale (computed in doubles).
 */
async function batchNormAffine(
  layer: tf.layers.Layer,
): Promise<{ scale: Float64Array; shift: Float64Array }> {
  const config = layer.getConfig();
  const axis = config['axis'];
  if (axis !== -1 && axis !== 3 && axis !== 1)
    throw new UnexpectedLayout(`${layer.name}: normalizes axis ${String(axis)}`);
  const epsilon = config['epsilon'];
  if (typeof epsilon !== 'number') throw new UnexpectedLayout(`${layer.name}: no epsilon`);
  // getWeights' order is gamma, beta, moving mean, moving variance when center and scale are on (the default).
  if (config['center'] !== true || config['scale'] !== true)
    throw new UnexpectedLayout(`${layer.name}: without center or scale`);
  const [gamma, beta, mean, variance] = await Promise.all(layer.getWeights().map(valuesOf));
  if (gamma === undefined || beta === undefined || mean === undefined || variance === undefined)
    throw new UnexpectedLayout(`${layer.name}: expected four weights`);
  const scale = new Float64Array(gamma.length);
  const shift = new Float64Array(gamma.length);
  for (let c = 0; c < gamma.length; c++) {
    scale[c] = gamma[c]! / Math.sqrt(variance[c]! + epsilon);
    shift[c] = beta[c]! - mean[c]! * scale[c]!;
  }
  return { scale, shift };
}

/**
 * Folds y = BN(x·W + b) into x·W' + b': W' = W·scale, b' = b·scale + shift, per output channel. `inner` is the
 * number of values after the output-channel axis in the kernel's layout: 1 when it is the last axis (conv2d
 * [kh, kw, in, out], dense [in, out]), `in` for a transposed kernel [kh, kw, out, in].
 */
function foldChannels(
  kernel: Float32Array,
  bias: Float32Array,
  bn: { scale: Float64Array; shift: Float64Array } | undefined,
  inner = 1,
): { kernel: Float32Array; bias: Float32Array } {
  if (bn === undefined) return { kernel, bias };
  const units = bias.length;
  if (bn.scale.length !== units)
    throw new UnexpectedLayout(`BatchNorm of ${bn.scale.length} channels after ${units}`);
  const folded = new Float32Array(kernel.length);
  for (let i = 0; i < kernel.length; i++) folded[i] = kernel[i]! * bn.scale[Math.floor(i / inner) % units]!;
  const foldedBias = bias.map((b, c) => b * bn.scale[c]! + bn.shift[c]!);
  return { kernel: folded, bias: foldedBias };
}

function keepFolded(kernel: Float32Array, shape: number[], bias: Float32Array): FoldedLayer {
  return { kernel: tf.tensor(kernel, shape), bias: tf.tensor1d(bias) };
}

/** A conv2d or dense layer and the BatchNorm after it (when named), folded. */
async function foldedLayer(
  model: tf.LayersModel,
  name: string,
  className: 'Conv2D' | 'Dense',
  bnName: string | undefined,
): Promise<FoldedLayer> {
  const layer = layerOf(model, name, className);
  // The ReLU (if any) is a layer of its own in buildGenerator's networks; an activation here would be lost.
  if (layer.getConfig()['activation'] !== 'linear')
    throw new UnexpectedLayout(`${name}: activation ${String(layer.getConfig()['activation'])}`);
  const { kernel, shape, bias } = await kernelAndBias(layer, (k) => k.shape[k.shape.length - 1]!);
  const bn =
    bnName === undefined ? undefined : await batchNormAffine(layerOf(model, bnName, 'BatchNormalization'));
  const folded = foldChannels(kernel, bias, bn);
  return keepFolded(folded.kernel, shape, folded.bias);
}

/**
 * A conv2dTranspose layer (stride 2, 4×4, 'same') and the BatchNorm after it (when named), folded. Its kernel is
 * [kh, kw, out, in] (tf.layers' layout): the output channel is axis 2, so each value is scaled by channel
 * ⌊i / in⌋ mod out.
 */
async function foldedTransposeLayer(
  model: tf.LayersModel,
  name: string,
  bnName: string | undefined,
): Promise<FoldedLayer> {
  const layer = layerOf(model, name, 'Conv2DTranspose');
  if (bnName !== undefined && layer.getConfig()['activation'] !== 'linear')
    throw new UnexpectedLayout(`${name}: activation before its BatchNorm`);
  const config = layer.getConfig();
  const strides = config['strides'];
  if (config['padding'] !== 'same' || !Array.isArray(strides) || strides.some((s) => s !== 2))
    throw new UnexpectedLayout(`${name}: not a stride-2 'same' transposed convolution`);
  const { kernel, shape, bias } = await kernelAndBias(layer, (k) => k.shape[2]!);
  const bn =
    bnName === undefined ? undefined : await batchNormAffine(layerOf(model, bnName, 'BatchNormalization'));
  const folded = foldChannels(kernel, bias, bn, shape[3]!);
  return keepFolded(folded.kernel, shape, folded.bias);
}

function activationOf(layer: tf.layers.Layer): 'linear' | 'tanh' {
  const activation = layer.getConfig()['activation'];
  if (activation !== 'linear' && activation !== 'tanh')
    throw new UnexpectedLayout(`${layer.name}: activation ${String(activation)}`);
  return activation;
}

/**
 * A stride-2 'same' transposed convolution with its bias and activation: one MimicFusedConv2DTranspose on WASM
 * (the engine's sub-pixel transposed convolution, four 2×2 XNNPACK convolutions that add the bias and apply the
 * ReLU themselves), stock ops elsewhere.
 */
function upsample(x: tf.Tensor4D, layer: FoldedLayer, activation: 'relu' | 'linear'): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const outputShape: [number, number, number, number] = [n, 2 * h, 2 * w, layer.bias.shape[0]];
  return fusedConv2dTransposeOp(x, layer.kernel as tf.Tensor4D, layer.bias, {
    outputShape,
    strides: [2, 2],
    pad: 'same',
    activation,
  });
}

function dense(x: tf.Tensor2D, layer: FoldedLayer, activation: 'relu' | 'linear'): tf.Tensor2D {
  return tf.fused.matMul({
    a: x,
    b: layer.kernel as tf.Tensor2D,
    bias: layer.bias,
    activation,
  }) as tf.Tensor2D;
}

/**
 * Compiles the landmark encoder and the generator that buildLandmarkEncoder and buildGenerator made for `config`,
 * or returns undefined (with the reason) when their layers are not laid out as those builders lay them out, so the
 * caller keeps `predict`.
 */
export async function compileInference(
  config: MimicModelConfig,
  landmarkEncoder: tf.LayersModel,
  generator: tf.LayersModel,
): Promise<{ compiled: CompiledInference } | { reason: string }> {
  const owned: FoldedLayer[] = [];
  const track = async (layer: Promise<FoldedLayer>): Promise<FoldedLayer> => {
    const l = await layer;
    owned.push(l);
    return l;
  };
  try {
    const encoderHidden: FoldedLayer[] = [];
    for (let i = 0; i < config.landmarkEncoderUnits.length; i++)
      encoderHidden.push(await track(foldedLayer(landmarkEncoder, `lenc${i}_dense`, 'Dense', `lenc${i}_bn`)));
    const encoderCode = await track(foldedLayer(landmarkEncoder, 'lenc_code', 'Dense', undefined));

    const ch = config.generatorChannels;
    const convs: FoldedLayer[] = [];
    for (let i = 0; i < ch.length; i++)
      convs.push(await track(foldedLayer(generator, `genc${i}_conv`, 'Conv2D', `genc${i}_bn`)));
    for (let i = 0; i < ch.length; i++) {
      const c = layerOf(generator, `genc${i}_conv`, 'Conv2D').getConfig();
      const strides = c['strides'];
      if (c['padding'] !== 'same' || !Array.isArray(strides) || strides.some((s) => s !== 2))
        throw new UnexpectedLayout(`genc${i}_conv: not a stride-2 'same' convolution`);
    }
    const imageCode = await track(foldedLayer(generator, 'genc_code_dense', 'Dense', 'genc_code_bn'));
    const bottleneck = await track(foldedLayer(generator, 'gdec_fc_dense', 'Dense', 'gdec_fc_bn'));
    const deconvs = new Map<number, FoldedLayer>();
    for (let stage = 2; stage >= 0; stage--)
      deconvs.set(
        stage,
        await track(foldedTransposeLayer(generator, `gdec${stage}_deconv`, `gdec${stage}_bn`)),
      );
    const outLayer = await track(foldedTransposeLayer(generator, 'gdec_out', undefined));
    const outActivation = activationOf(layerOf(generator, 'gdec_out', 'Conv2DTranspose'));
    const blended = config.generatorBase !== 'none';
    if (blended) layerOf(generator, 'gblend', 'MimicMaskedBlend');
    if (blended !== (outActivation === 'linear'))
      throw new UnexpectedLayout(
        `gdec_out's activation ${outActivation} does not fit generatorBase ${config.generatorBase}`,
      );
    for (const stage of config.generatorSkips) layerOf(generator, `gskip${stage}`, 'Concatenate');
    // Each folded BatchNorm is followed by a plain ReLU layer, which the fused ops apply.
    const reluNames = [
      ...config.landmarkEncoderUnits.map((_, i) => [landmarkEncoder, `lenc${i}_relu`] as const),
      ...ch.map((_, i) => [generator, `genc${i}_relu`] as const),
      [generator, 'genc_code_relu'] as const,
      [generator, 'gdec_fc_relu'] as const,
      ...[2, 1, 0].map((stage) => [generator, `gdec${stage}_relu`] as const),
    ];
    for (const [model, name] of reluNames) {
      const relu = layerOf(model, name, 'ReLU').getConfig();
      if (relu['maxValue'] !== null && relu['maxValue'] !== undefined)
        throw new UnexpectedLayout(`${name}: a capped ReLU`);
    }
    const bottom = config.imageSize / 16;

    const encodeLandmarks = (targets: tf.Tensor2D): tf.Tensor2D => {
      let code: tf.Tensor2D = targets;
      for (const layer of encoderHidden) code = dense(code, layer, 'relu');
      return dense(code, encoderCode, 'linear');
    };
    const generatorFn = (
      images: tf.Tensor4D,
      warped: tf.Tensor4D | undefined,
      code: tf.Tensor2D,
    ): tf.Tensor4D => {
      const n = images.shape[0];
      if (config.generatorBase === 'warped' && warped === undefined)
        throw new Error('this generator needs the warped input image');
      let x: tf.Tensor4D = config.generatorBase === 'warped' ? tf.concat([images, warped!], 3) : images;
      const encoded: tf.Tensor4D[] = [];
      for (const layer of convs) {
        x = tf.fused.conv2d({
          x,
          filter: layer.kernel as tf.Tensor4D,
          strides: 2,
          pad: 'same',
          bias: layer.bias,
          activation: 'relu',
        });
        encoded.push(x);
      }
      const z = dense(tf.reshape(x, [n, -1]), imageCode, 'relu');
      // The order of buildGenerator's concatenations: image code before landmark code, decoder before skip.
      let y = dense(tf.concat([z, code], 1), bottleneck, 'relu').reshape([
        n,
        bottom,
        bottom,
        ch[3]!,
      ]) as tf.Tensor4D;
      for (let stage = 2; stage >= 0; stage--) {
        y = upsample(y, deconvs.get(stage)!, 'relu');
        if (config.generatorSkips.includes(stage)) y = tf.concat([y, encoded[stage]!], 3);
      }
      const raw = upsample(y, outLayer, 'linear');
      if (!blended) return tf.tanh(raw);
      // MaskedBlend's arithmetic (maskedBlend.ts), in the same order.
      const base = config.generatorBase === 'warped' ? warped! : images;
      const [colourRaw, maskRaw] = tf.split(raw, [config.channels, 1], 3) as [tf.Tensor4D, tf.Tensor4D];
      const colour = tf.tanh(colourRaw);
      const mask = tf.sigmoid(maskRaw);
      return tf.add(base, tf.mul(mask, tf.sub(colour, base)));
    };
    return {
      compiled: {
        generate: (images, warped, targets) => generatorFn(images, warped, encodeLandmarks(targets)),
        encodeLandmarks,
        generator: generatorFn,
        dispose: () => {
          for (const layer of owned) tf.dispose([layer.kernel, layer.bias]);
          owned.length = 0;
        },
      },
    };
  } catch (error) {
    for (const layer of owned) tf.dispose([layer.kernel, layer.bias]);
    if (error instanceof UnexpectedLayout) return { reason: error.message };
    throw error;
  }
}
