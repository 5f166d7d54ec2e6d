// The generator forward at batch 1 (the default networks, as `npm run bench:infer`), on TF.js WASM with the
// engine's kernels, and the same graph and weights on ONNX Runtime for Node when it can be loaded: installed in
// this project (`npm install --no-save --ignore-scripts onnxruntime-node`; --ignore-scripts skips its optional
// GPU download) or in the folder named by MIMIC_ORT_DIR. Both outputs are compared, so the two rows time one graph.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend.js';
import { DEFAULT_MODEL_CONFIG } from '../../src/model/config.js';
import { compileInference } from '../../src/model/fastGenerator.js';
import { buildGenerator, buildLandmarkEncoder } from '../../src/model/networks.js';
import { exportToOnnx } from './onnxExport.js';

const REPEATS = 30;

/** The part of onnxruntime-node's API used here (it is not a dependency, so its types are not either). */
interface OrtTensor {
  data: unknown;
}
interface Ort {
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => OrtTensor;
  InferenceSession: {
    create(
      model: Uint8Array,
      options: { intraOpNumThreads: number; interOpNumThreads: number },
    ): Promise<{
      run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
      release(): Promise<void>;
    }>;
  };
}

function loadOrt(): { ort?: Ort; missing?: string } {
  const places = [join(process.cwd(), 'package.json')];
  if (process.env.MIMIC_ORT_DIR) places.unshift(join(process.env.MIMIC_ORT_DIR, 'package.json'));
  for (const place of places) {
    try {
      return { ort: createRequire(place)('onnxruntime-node') as Ort };
    } catch {
      // try the next place
    }
  }
  return {
    missing:
      'onnxruntime-node is not installed (npm install --no-save --ignore-scripts onnxruntime-node, or MIMIC_ORT_DIR)',
  };
}

export interface ForwardResult {
  /** Through tf.layers' predict. */
  tfjsMs: number;
  /** The compiled path that inference.ts uses (src/model/fastGenerator.ts), and its largest difference from predict. */
  compiled: { ms: number; maxDiff: number };
  ort?: { ms: number; threads: string; maxDiff: number };
  ortMissing?: string;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function generatorForward(): Promise<ForwardResult> {
  await initBackend({ backend: 'wasm' });
  const config = DEFAULT_MODEL_CONFIG;
  const generator = buildGenerator(config);
  // Trained-looking BatchNorm statistics (not 0 and 1), so that the comparison covers them too.
  let seed = 1;
  const next = (): number => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  for (const layer of generator.layers)
    if (layer.getClassName() === 'BatchNormalization')
      layer.setWeights(
        layer.getWeights().map((w, k) =>
          tf.tensor(
            Float32Array.from({ length: w.size }, () => (k === 3 ? 0.5 + next() : next() - 0.5)),
            w.shape,
          ),
        ),
      );
  const s = config.imageSize;
  const image = Float32Array.from({ length: s * s * config.channels }, () => next() * 2 - 1);
  const code = Float32Array.from({ length: config.landmarkCodeSize }, () => next() * 2 - 1);
  const x = [tf.tensor4d(image, [1, s, s, config.channels]), tf.tensor2d(code, [1, config.landmarkCodeSize])];
  const times: number[] = [];
  let reference: ArrayLike<number> = new Float32Array(0);
  for (let i = 0; i < REPEATS + 2; i++) {
    const start = performance.now();
    reference = tf.tidy(() => (generator.predict(x) as tf.Tensor).dataSync());
    if (i >= 2) times.push(performance.now() - start); // two warm-up runs: XNNPACK operator creation
  }
  // The compiled path, timed right after predict on the same inputs (only its generator: the bench's input is a code).
  const landmarkEncoder = buildLandmarkEncoder(config);
  const compilation = await compileInference(config, landmarkEncoder, generator);
  if (!('compiled' in compilation)) throw new Error(`the generator did not compile: ${compilation.reason}`);
  const compiledTimes: number[] = [];
  let compiledOut: ArrayLike<number> = new Float32Array(0);
  for (let i = 0; i < REPEATS + 2; i++) {
    const start = performance.now();
    compiledOut = tf.tidy(() =>
      compilation.compiled.generator(x[0] as tf.Tensor4D, undefined, x[1] as tf.Tensor2D).dataSync(),
    );
    if (i >= 2) compiledTimes.push(performance.now() - start);
  }
  let compiledDiff = 0;
  for (let k = 0; k < reference.length; k++)
    compiledDiff = Math.max(compiledDiff, Math.abs(compiledOut[k]! - reference[k]!));
  compilation.compiled.dispose();
  landmarkEncoder.dispose();
  const result: ForwardResult = {
    tfjsMs: median(times),
    compiled: { ms: median(compiledTimes), maxDiff: compiledDiff },
  };

  const { ort, missing } = loadOrt();
  if (ort === undefined) result.ortMissing = missing;
  else {
    const bytes = exportToOnnx(generator);
    // One thread, as TF.js WASM runs in Node: the same share of the machine.
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const feeds = {
      [generator.inputLayers[0]!.name]: new ort.Tensor('float32', image, [1, s, s, config.channels]),
      [generator.inputLayers[1]!.name]: new ort.Tensor('float32', code, [1, config.landmarkCodeSize]),
    };
    const ortTimes: number[] = [];
    let output: ArrayLike<number> = new Float32Array(0);
    for (let i = 0; i < REPEATS + 2; i++) {
      const start = performance.now();
      output = (await session.run(feeds)).output!.data as Float32Array;
      if (i >= 2) ortTimes.push(performance.now() - start);
    }
    let maxDiff = 0;
    for (let k = 0; k < output.length; k++) maxDiff = Math.max(maxDiff, Math.abs(output[k]! - reference[k]!));
    if (output.length !== reference.length || !(maxDiff < 1e-3))
      throw new Error(`the ONNX export does not compute what TF.js computes (max |Δ| ${maxDiff})`);
    result.ort = { ms: median(ortTimes), threads: '1 thread', maxDiff };
    await session.release();
  }
  tf.dispose(x);
  generator.dispose();
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await generatorForward());
