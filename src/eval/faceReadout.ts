/**
 * What face-api's networks read from an aligned crop: the 128-d identity descriptor (face recognition net),
 * the expression class (expression net) and 68 landmarks (landmark net).
 *
 * The nets run on the WHOLE aligned crop, treated as the face box, upsampled to 150×150 (the recognition net's
 * input size; the other two resize to 112 themselves) with sharp's Lanczos filter. We do not put face-api's SSD
 * detector in front: on 64-pixel crops it misses faces or finds them with scores of 0.1–0.3 (2 misses in 8 tries
 * on four FRL crops), while the whole crop gives landmarks within 2–4 % of the inter-ocular distance of the
 * crop's own landmarks and descriptor distances of ~0.3 for the same person vs ~0.7 for different people.
 * Every image (model output, baselines, real target) goes through exactly the same path.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { getFaceApi } from '../face/faceApi.js';
import { interocularDistance, meanPointDistance, type Landmarks } from '../face/landmarks.js';
import { resizeImage } from '../image/io.js';
import type { RgbImage } from '../image/rgbImage.js';

/** The recognition net's input side; the crop is upsampled to it once for all three nets. */
export const READOUT_SIZE = 150;
/** Descriptor distance under which two faces count as the same person (the threshold of issue 6). */
export const SAME_PERSON_DISTANCE = 0.45;

export type ExpressionName = 'neutral' | 'happy' | 'sad' | 'angry' | 'fearful' | 'disgusted' | 'surprised';

export interface FaceReadout {
  descriptor: Float32Array;
  /** The expression class with the highest probability. */
  expression: ExpressionName;
  /** 68 points in the crop's pixel coordinates (0..crop size). */
  landmarks: Landmarks;
}

/** Data set expression labels → face-api's classes; labels with no counterpart are left out of that metric. */
const LABEL_TO_EXPRESSION: Record<string, ExpressionName> = {
  neutral: 'neutral',
  happy: 'happy',
  happiness: 'happy',
  smile: 'happy',
  smiling: 'happy',
  sad: 'sad',
  sadness: 'sad',
  angry: 'angry',
  anger: 'angry',
  fear: 'fearful',
  fearful: 'fearful',
  afraid: 'fearful',
  disgust: 'disgusted',
  disgusted: 'disgusted',
  surprise: 'surprised',
  surprised: 'surprised',
};

export function expressionForLabel(label: string): ExpressionName | undefined {
  return LABEL_TO_EXPRESSION[label.toLowerCase()];
}

export function descriptorDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(sum);
}

/** Mean point error normalised by the inter-ocular distance (eye centres) of the target landmarks. */
export function normalizedLandmarkError(detected: Landmarks, target: Landmarks): number {
  return meanPointDistance(detected, target) / interocularDistance(target);
}

function single<T>(value: T | T[]): T {
  return Array.isArray(value) ? value[0]! : value;
}

/** Runs the three nets on each crop (one at a time, every tensor disposed). */
export async function readFaces(crops: RgbImage[]): Promise<FaceReadout[]> {
  const faceapi = await getFaceApi(['landmarks', 'recognition', 'expression']);
  const tf = faceapi.tf as unknown as typeof tfTypes;
  const out: FaceReadout[] = [];
  for (const crop of crops) {
    const big = await resizeImage(crop, READOUT_SIZE, READOUT_SIZE);
    const input = tf.tensor3d(big.data, [READOUT_SIZE, READOUT_SIZE, 3], 'int32');
    try {
      const netInput = input as unknown as Parameters<
        typeof faceapi.nets.faceRecognitionNet.computeFaceDescriptor
      >[0];
      const descriptor = single(await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(netInput));
      const expressions = single(await faceapi.nets.faceExpressionNet.predictExpressions(netInput));
      const marks = single(await faceapi.nets.faceLandmark68Net.detectLandmarks(netInput));
      const sx = crop.width / READOUT_SIZE;
      const sy = crop.height / READOUT_SIZE;
      out.push({
        descriptor,
        expression: expressions.asSortedArray()[0]!.expression,
        landmarks: marks.positions.map((p) => [p.x * sx, p.y * sy]),
      });
    } finally {
      input.dispose();
    }
  }
  return out;
}
