/**
 * The driver's face in every frame of a video, on Node's TF.js: face-api's Tiny Face Detector and 68-point landmark
 * net plugged into the platform-neutral tracking of faceTracking.ts (the web editor's camera mode plugs the page's
 * face-api into the same tracking).
 */
import * as tf from '@tensorflow/tfjs';
import type { RgbImage } from '../image/rgbImage.js';
import { getFaceApi } from '../face/faceApi.js';
import { landmarksFromNet } from '../face/faceApiResults.js';
import type { Landmarks } from '../face/landmarks.js';
import {
  FaceTracker,
  type Box,
  type TrackerOptions as TrackingOptions,
  type TrackerStats,
} from './faceTracking.js';

export type { TrackerStats };

export interface TrackerOptions extends TrackingOptions {
  minConfidence?: number;
}

/** Input side of the tiny detector: 416 finds faces down to about 40 px in a 640-px frame. */
const TINY_INPUT_SIZE = 416;

/** The tiny detector scores faces lower than the SSD one: 0.5 missed a third of a clear frontal clip's frames. */
const TINY_MIN_SCORE = 0.3;

/**
 * face-api with its Tiny Face Detector loaded too: several times cheaper than the SSD detector (a video has many
 * frames, and a driver's face is usually large and frontal).
 */
function faceApiWithTinyDetector(): ReturnType<typeof getFaceApi> {
  return getFaceApi(['tinyDetector', 'landmarks']);
}

export class DriverTracker {
  private readonly tracker: FaceTracker<tf.Tensor3D>;

  constructor(options: TrackerOptions = {}) {
    const minScore = options.minConfidence ?? TINY_MIN_SCORE;
    this.tracker = new FaceTracker<tf.Tensor3D>(
      {
        detect: async (input) => {
          const faceapi = await faceApiWithTinyDetector();
          const found = await faceapi.detectAllFaces(
            input as unknown as Parameters<typeof faceapi.detectAllFaces>[0],
            new faceapi.TinyFaceDetectorOptions({ inputSize: TINY_INPUT_SIZE, scoreThreshold: minScore }),
          );
          return found.map((d) => ({ x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height }));
        },
        landmarksInBox,
      },
      options,
    );
  }

  get stats(): TrackerStats {
    return this.tracker.stats;
  }

  /** Landmarks of the followed face in this frame (frame pixels), or null when there is none. */
  async track(frame: RgbImage): Promise<Landmarks | null> {
    await faceApiWithTinyDetector(); // also readies the TF.js backend the frame tensor needs
    const input = tf.tensor3d(frame.data, [frame.height, frame.width, 3], 'int32');
    try {
      return await this.tracker.track(input, frame.width, frame.height);
    } finally {
      input.dispose();
    }
  }
}

/** The landmark net on one box of the frame; points in frame pixels. */
async function landmarksInBox(input: tf.Tensor3D, box: Box): Promise<Landmarks> {
  const faceapi = await getFaceApi(['landmarks']);
  const crop = tf.slice(input, [box.y, box.x, 0], [box.height, box.width, 3]);
  try {
    const result = await faceapi.nets.faceLandmark68Net.detectLandmarks(
      crop as unknown as Parameters<typeof faceapi.nets.faceLandmark68Net.detectLandmarks>[0],
    );
    return landmarksFromNet(result, box.x, box.y);
  } finally {
    crop.dispose();
  }
}
