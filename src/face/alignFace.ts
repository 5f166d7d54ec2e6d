/**
 * From a photo and its 68 landmarks to the aligned crop the networks see. The image scaler is passed in (sharp in
 * Node, src/image/io.ts; the browser's canvas in the web page), so this module runs in both.
 */
import type { ResizeImage, RgbImage } from '../image/rgbImage.js';
import { warpAffine } from '../image/warpAffine.js';
import { MimicError } from '../util/errors.js';
import { MIN_INNER_EYE_DISTANCE_PX } from './landmarkGeometry.js';
import { affineScale, composeAffine, type Affine } from '../geometry/affine.js';
import { computeAlignment, transformLandmarks, type Alignment, type AlignmentConfig } from './align.js';
import { ALIGNMENT_POINTS, type Landmarks } from './landmarks.js';

export interface AlignedFace {
  /** size × size RGB crop. */
  crop: RgbImage;
  /** Landmarks in crop pixels (0..size). */
  landmarks: Landmarks;
  alignment: Alignment;
}

// The smallest face: one constant for detected faces and landmark files (landmarkGeometry.ts).
export { MIN_INNER_EYE_DISTANCE_PX };

export async function alignFace(
  photo: RgbImage,
  landmarks: Landmarks,
  config: AlignmentConfig,
  name: string,
  resize: ResizeImage,
): Promise<AlignedFace> {
  const r = landmarks[ALIGNMENT_POINTS.rightInnerEye]!;
  const l = landmarks[ALIGNMENT_POINTS.leftInnerEye]!;
  const eyeDistance = Math.hypot(l[0] - r[0], l[1] - r[1]);
  if (eyeDistance < MIN_INNER_EYE_DISTANCE_PX)
    throw new MimicError(
      `${name}: the face is too small to align (inner eye corners ${eyeDistance.toFixed(1)} px apart, at least ${MIN_INNER_EYE_DISTANCE_PX} needed)`,
    );
  let alignment: Alignment;
  try {
    alignment = computeAlignment(landmarks, config);
  } catch (error) {
    throw new MimicError(`${name}: cannot align the face (${(error as Error).message})`);
  }
  // Bilinear sampling alone aliases when the crop shrinks the photo a lot (a 675-px photo → 64-px crop is ~4×).
  // Shrink the photo first with a proper filter so that the final warp scales by about 1, then compose.
  const scale = affineScale(alignment.toCrop);
  let source = photo;
  let toCrop: Affine = alignment.toCrop;
  if (scale < 0.5) {
    const factor = Math.min(1, scale * 1.5);
    const width = Math.max(1, Math.round(photo.width * factor));
    const height = Math.max(1, Math.round(photo.height * factor));
    source = await resize(photo, width, height);
    // crop = toCrop(photo) = toCrop(shrink⁻¹(small))
    toCrop = composeAffine(alignment.toCrop, [photo.width / width, 0, 0, 0, photo.height / height, 0]);
  }
  const crop = warpAffine(source, toCrop, config.size, config.size);
  return { crop, landmarks: transformLandmarks(landmarks, alignment.toCrop), alignment };
}
