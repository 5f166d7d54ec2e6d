/**
 * The whole face pipeline for one photo: decode → detect → choose a face → align.
 */
import { decodeImage, resizeImage, type DecodeOptions } from '../image/io.js';
import type { RgbImage } from '../image/rgbImage.js';
import { DEFAULT_ALIGNMENT, type AlignmentConfig } from './align.js';
import { alignFace, type AlignedFace } from './alignFace.js';
import { chooseFace, detectFaces, facesToChooseFrom, type DetectedFace } from './detect.js';

export interface FaceInPhoto {
  photo: RgbImage;
  face: DetectedFace;
  /** Index of the chosen face (0 = largest) and how many were found. */
  index: number;
  count: number;
  aligned: AlignedFace;
}

export interface FindFaceOptions {
  /** Which face, 0 = largest. */
  face?: number;
  alignment?: AlignmentConfig;
  decode?: DecodeOptions;
  minConfidence?: number;
}

/** Decodes a photo (path or bytes), finds its faces, picks one and aligns it. */
export async function findAndAlignFace(
  input: string | Uint8Array,
  options: FindFaceOptions = {},
  name = typeof input === 'string' ? input : 'photo',
): Promise<FaceInPhoto> {
  const photo = await decodeImage(input, options.decode, name);
  return alignFaceInPhoto(photo, options, name);
}

/** Same as findAndAlignFace for a photo already in memory. */
export async function alignFaceInPhoto(
  photo: RgbImage,
  options: FindFaceOptions = {},
  name = 'photo',
): Promise<FaceInPhoto> {
  const faces = await detectFaces(photo, { minConfidence: options.minConfidence });
  return alignChosenFace(photo, faces, options, name);
}

/** The rest of alignFaceInPhoto once the faces are found (in this thread or a detection worker's). */
export async function alignChosenFace(
  photo: RgbImage,
  faces: DetectedFace[],
  options: FindFaceOptions = {},
  name = 'photo',
): Promise<FaceInPhoto> {
  const wanted = options.face ?? 0;
  const from = await facesToChooseFrom(photo, faces, wanted, { minConfidence: options.minConfidence });
  const { face, index, count } = chooseFace(from, name, wanted);
  const alignment = options.alignment ?? DEFAULT_ALIGNMENT;
  const aligned = await alignFace(photo, face.landmarks, alignment, name, resizeImage);
  return { photo, face, index, count, aligned };
}

/** The notice the CLI prints when a photo has more than one face. */
export function faceCountNotice(
  name: string,
  result: Pick<FaceInPhoto, 'index' | 'count'>,
): string | undefined {
  if (result.count <= 1) return undefined;
  return `${name}: ${result.count} faces found; using face ${result.index}${result.index === 0 ? ' (the largest)' : ''} — choose another with --face N`;
}
