/**
 * Loads @vladmandic/face-api (its Node WASM build, which shares our @tensorflow/tfjs instance and so our
 * backend and kernels) and its bundled model weights from node_modules. No network is touched.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { initBackend } from '../engine/backend.js';
import { MimicError } from '../util/errors.js';

/** face-api's Node build, as a type (the page's build has the same API). */
export type FaceApi = typeof import('@vladmandic/face-api/dist/face-api.node-wasm.js');

const require = createRequire(import.meta.url);

/** `detector` is the SSD MobileNet v1 detector, `tinyDetector` the Tiny Face Detector. */
export type FaceNet = 'detector' | 'tinyDetector' | 'landmarks' | 'recognition' | 'expression';

let faceApi: FaceApi | undefined;
const loaded = new Set<FaceNet>();

/** Folder of face-api's bundled weights. */
export function faceApiModelFolder(): string {
  const pkg = require.resolve('@vladmandic/face-api/package.json');
  return join(dirname(pkg), 'model');
}

/** face-api with the requested nets loaded (each once per process). */
export async function getFaceApi(nets: FaceNet[] = ['detector', 'landmarks']): Promise<FaceApi> {
  await initBackend();
  faceApi ??= require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
  const folder = faceApiModelFolder();
  if (!existsSync(folder))
    throw new MimicError(`face-api model files are missing (${folder}); run npm install`, 3);
  for (const net of nets) {
    if (loaded.has(net)) continue;
    const target = {
      detector: faceApi.nets.ssdMobilenetv1,
      tinyDetector: faceApi.nets.tinyFaceDetector,
      landmarks: faceApi.nets.faceLandmark68Net,
      recognition: faceApi.nets.faceRecognitionNet,
      expression: faceApi.nets.faceExpressionNet,
    }[net];
    try {
      await target.loadFromDisk(folder);
    } catch (error) {
      throw new MimicError(
        `cannot load face-api ${net} model from ${folder}: ${(error as Error).message}`,
        3,
      );
    }
    loaded.add(net);
  }
  return faceApi;
}
