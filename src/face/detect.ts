/**
 * Face detection and 68-point landmarks (face-api's SSD MobileNet v1 detector + 68-point landmark net).
 */
import * as tf from '@tensorflow/tfjs';
import type { RgbImage } from '../image/rgbImage.js';
import { MimicError } from '../util/errors.js';
import { getFaceApi } from './faceApi.js';
import type { Landmarks } from './landmarks.js';

export interface DetectedFace {
  /** Detector box in photo pixels. */
  box: { x: number; y: number; width: number; height: number };
  /** Detector confidence in [0, 1]. */
  score: number;
  /** 68 iBUG points in photo pixels. */
  landmarks: Landmarks;
}

export interface DetectOptions {
  /** Detections below this confidence are ignored. */
  minConfidence?: number;
}

export const DEFAULT_MIN_CONFIDENCE = 0.5;

/** All faces in the photo, largest first. */
export async function detectFaces(image: RgbImage, options: DetectOptions = {}): Promise<DetectedFace[]> {
  const faceapi = await getFaceApi(['detector', 'landmarks']);
  const input = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  try {
    const results = await faceapi
      .detectAllFaces(
        input as unknown as Parameters<typeof faceapi.detectAllFaces>[0],
        new faceapi.SsdMobilenetv1Options({ minConfidence: options.minConfidence ?? DEFAULT_MIN_CONFIDENCE }),
      )
      .withFaceLandmarks();
    const faces = results.map((r) => ({
      box: {
        x: r.detection.box.x,
        y: r.detection.box.y,
        width: r.detection.box.width,
        height: r.detection.box.height,
      },
      score: r.detection.score,
      landmarks: r.landmarks.positions.map((p) => [p.x, p.y] as [number, number]),
    }));
    return faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
  } finally {
    input.dispose();
  }
}

export interface FaceChoice {
  face: DetectedFace;
  /** Index in the size-sorted list (0 = largest). */
  index: number;
  count: number;
}

/**
 * Picks face `index` (0 = largest, the default) from a detection result; a clear error when there is none.
 * `name` is the photo's name for messages.
 */
export function chooseFace(faces: DetectedFace[], name: string, index = 0): FaceChoice {
  if (faces.length === 0) throw new MimicError(`${name}: no face found`);
  if (!Number.isInteger(index) || index < 0 || index >= faces.length)
    throw new MimicError(
      `${name}: --face ${index} is out of range: ${faces.length} face${faces.length === 1 ? '' : 's'} found (0 = largest)`,
    );
  return { face: faces[index]!, index, count: faces.length };
}
