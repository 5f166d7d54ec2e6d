/**
 * Face detection in Node: FaceDetection (faceDetection.ts) with face-api's Node build and its bundled weights
 * (faceApi.ts), and the detector MIMIC_DETECTOR names. The page binds the same FaceDetection to its own face-api
 * (web/src/faceDetector.ts).
 */
import type { RgbImage } from '../image/rgbImage.js';
import { MimicError } from '../util/errors.js';
import { getFaceApi } from './faceApi.js';
import {
  FACE_DETECTORS,
  FaceDetection,
  type DetectedFace,
  type DetectOptions,
  type FaceDetectorName,
} from './faceDetection.js';

export { chooseFace, type DetectedFace, type DetectOptions, type FaceDetectorName } from './faceDetection.js';

/** Detection with face-api's Node build (what `mimic drive`'s tracker is given, too). */
export const nodeFaceDetection = new FaceDetection(getFaceApi);

/** The detector MIMIC_DETECTOR names (`tiny`, the default, or `ssd`); a clear error for anything else. */
export function detectorFromEnvironment(): FaceDetectorName {
  const value = process.env.MIMIC_DETECTOR;
  if (value === undefined || value === '') return 'tiny';
  if (!(FACE_DETECTORS as readonly string[]).includes(value))
    throw new MimicError(`MIMIC_DETECTOR must be one of ${FACE_DETECTORS.join(', ')} (got "${value}")`);
  return value as FaceDetectorName;
}

/**
 * All faces in the photo, largest first (FaceDetection.detectFaces; the detector by default MIMIC_DETECTOR's). A
 * bad MIMIC_DETECTOR rejects the promise, as every other detection error does.
 */
export async function detectFaces(image: RgbImage, options: DetectOptions = {}): Promise<DetectedFace[]> {
  return nodeFaceDetection.detectFaces(image, {
    ...options,
    detector: options.detector ?? detectorFromEnvironment(),
  });
}

/** FaceDetection.facesToChooseFrom. */
export function facesToChooseFrom(
  image: RgbImage,
  faces: DetectedFace[],
  index: number,
  options: Pick<DetectOptions, 'minConfidence'> = {},
): Promise<DetectedFace[]> {
  return nodeFaceDetection.facesToChooseFrom(image, faces, index, options);
}
