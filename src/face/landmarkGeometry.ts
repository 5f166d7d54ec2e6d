/**
 * Geometric sanity of 68 landmarks that come from a file (or a library caller) rather than from the detector:
 * numbers can be well-formed JSON and still describe no face (all points equal, both inner eye corners on one
 * spot, a face 1e290 pixels wide). Alignment divides by the inner-eye distance and, in "affine3" mode, by the
 * triangle eyes–lower lip, so such files would fail deep inside with "affine transform is not invertible".
 * Checked here once, with a message that says what is wrong with the file.
 */
import { ALIGNMENT_POINTS, type Landmarks } from './landmarks.js';

/** Largest image side a landmark file may refer to (photos are limited to 40 megapixels anyway). */
export const MAX_LANDMARK_IMAGE_SIDE = 65_536;

/** Faces whose inner eye corners are closer than this (photo pixels) are too small to give a useful crop. */
export const MIN_INNER_EYE_DISTANCE_PX = 8;

/**
 * Smallest inner-eye distance in an aligned crop, as a share of its side: the canonical distance is 0.19 of the
 * side, so 0.05 is already a face shrunk to a quarter.
 */
const MIN_CROP_EYE_SHARE = 0.05;

/**
 * Smallest distance of the lower lip (57) from the line through the inner eye corners, in inner-eye distances.
 * Real faces have about 2; a lip on the eye line makes the three alignment points collinear.
 */
const MIN_LIP_HEIGHT = 0.3;

/** Why these landmarks cannot be a face, or undefined when they can. `side` is the image's longer side. */
export function landmarkGeometryProblem(
  points: Landmarks,
  space: 'image' | 'aligned' | 'normalized',
  side: number,
): string | undefined {
  const [rx, ry] = points[ALIGNMENT_POINTS.rightInnerEye]!;
  const [lx, ly] = points[ALIGNMENT_POINTS.leftInnerEye]!;
  const [mx, my] = points[ALIGNMENT_POINTS.lowerLipBottom]!;
  const eyeDistance = Math.hypot(lx - rx, ly - ry);
  // In a photo, the same smallest face the detector path aligns; in a crop, a share of its side.
  const minEye =
    space === 'image' ? MIN_INNER_EYE_DISTANCE_PX : MIN_CROP_EYE_SHARE * (space === 'normalized' ? 2 : side);
  const why =
    space === 'image' ? 'pixels, the smallest face Mimic aligns' : `${MIN_CROP_EYE_SHARE} of the crop`;
  if (!(eyeDistance >= minEye))
    return `the inner eye corners (points 39 and 42) are ${formatLength(eyeDistance)} apart, less than ${formatLength(minEye)} (${why}): not a face`;
  // Distance of the lip from the eye line: |cross(eye vector, lip − right eye)| / |eye vector|.
  const lipHeight = Math.abs((lx - rx) * (my - ry) - (ly - ry) * (mx - rx)) / eyeDistance;
  if (!(lipHeight >= MIN_LIP_HEIGHT * eyeDistance))
    return `the lower lip (point 57) lies on the line through the inner eye corners: not a face`;
  return undefined;
}

function formatLength(v: number): string {
  return Number.isFinite(v) ? String(Math.round(v * 1000) / 1000) : String(v);
}
