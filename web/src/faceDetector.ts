/**
 * Face detection and 68 landmarks in the page, with @vladmandic/face-api's build that uses the page's own TF.js
 * (so it runs on the backend tfBackend.ts chose) and the weights the local server publishes. The SSD detector and
 * the landmark net with the CLI's threshold: the CLI (src/face/detect.ts) tries the Tiny Face Detector first and
 * takes the SSD for groups and where it finds nothing, so on one-face photos the two can place the points a little
 * apart (about 0.025 of the eye distance on average, README).
 */
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.esm-nobundle.js';
import type { Landmarks } from '../../src/face/landmarks.js';
import { landmarksFromNet, plainFace } from '../../src/face/faceApiResults.js';
import { checkedFetch } from './checkedFetch.js';
import { urlOf, URLS } from './urls.js';

export interface PageFace {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  landmarks: Landmarks;
}

/** The CLI's DEFAULT_MIN_CONFIDENCE (src/face/detect.ts imports Node modules, so the value is repeated here). */
const MIN_CONFIDENCE = 0.5;

let loading: Promise<void> | undefined;

/**
 * One face-api net's weights through checkedFetch (face-api's loadFromUri fetches the weight files with TF.js's
 * own fetch, which does not look at the HTTP status: a missing file reached the parser as a 9-byte 404 page).
 */
async function loadNet(
  net: { loadFromWeightMap(map: never): void },
  folder: string,
  name: string,
): Promise<void> {
  const manifest = (await (
    await checkedFetch(`${folder}${name}-weights_manifest.json`)
  ).json()) as tf.io.WeightsManifestConfig;
  const load = tf.io.weightsLoaderFactory((paths) =>
    Promise.all(paths.map(async (path) => (await checkedFetch(path)).arrayBuffer())),
  );
  // (face-api declares its own copy of the TF.js types; the tensors are the page's TF.js.)
  net.loadFromWeightMap((await load(manifest, folder)) as never);
}

export function loadFaceDetector(): Promise<void> {
  loading ??= (async () => {
    const folder = urlOf(URLS.faceApiModels);
    await loadNet(faceapi.nets.ssdMobilenetv1, folder, 'ssd_mobilenetv1_model');
    await loadNet(faceapi.nets.faceLandmark68Net, folder, 'face_landmark_68_model');
  })();
  return loading;
}

/** All faces in the photo drawn on `canvas`, largest first (the CLI's order, so "face 0" means the same). */
export async function detectFaces(canvas: HTMLCanvasElement): Promise<PageFace[]> {
  await loadFaceDetector();
  const results = await faceapi
    .detectAllFaces(canvas, new faceapi.SsdMobilenetv1Options({ minConfidence: MIN_CONFIDENCE }))
    .withFaceLandmarks();
  return results.map(plainFace).sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
}

let loadingTiny: Promise<void> | undefined;

/**
 * The nets that follow a face through camera frames (the CLI's `mimic drive` uses the same pair): the Tiny Face
 * Detector to find the face now and then, the 68-point landmark net on every frame.
 */
export function loadTrackingNets(): Promise<void> {
  loadingTiny ??= (async () => {
    await loadFaceDetector();
    await loadNet(faceapi.nets.tinyFaceDetector, urlOf(URLS.faceApiModels), 'tiny_face_detector_model');
  })();
  return loadingTiny;
}

/** Input side of the tiny detector on camera frames (at most 320 px here): a face filling a fifth of it is found. */
const TINY_INPUT_SIZE = 224;
/** As in the CLI's tracker: the tiny detector scores faces lower than the SSD one. */
const TINY_MIN_SCORE = 0.3;

/** Every face's box in a frame tensor (pixels), with the Tiny Face Detector. */
export async function detectFaceBoxes(frame: tf.Tensor3D): Promise<PageFace['box'][]> {
  await loadTrackingNets();
  const found = await faceapi.detectAllFaces(
    frame as unknown as faceapi.TNetInput,
    new faceapi.TinyFaceDetectorOptions({ inputSize: TINY_INPUT_SIZE, scoreThreshold: TINY_MIN_SCORE }),
  );
  return found.map((d) => ({ x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height }));
}

/** The 68 landmarks of the face in `box` (whole pixels inside the frame), in frame pixels. */
export async function landmarksInBox(frame: tf.Tensor3D, box: PageFace['box']): Promise<Landmarks> {
  const crop = tf.slice(frame, [box.y, box.x, 0], [box.height, box.width, 3]);
  try {
    const result = await faceapi.nets.faceLandmark68Net.detectLandmarks(crop as unknown as faceapi.TNetInput);
    return landmarksFromNet(result, box.x, box.y);
  } finally {
    crop.dispose();
  }
}
