/**
 * face-api's results as Mimic's plain shapes. face-api comes as two bundles, its Node WASM build for the CLI and its
 * browser build for the page, each with its own types; these take the structure both share, so the CLI and the page
 * read a detection and a landmark pass the same way.
 */
import type { Landmarks } from './landmarks.js';

interface FaceApiBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface FaceApiLandmarks {
  positions: readonly { x: number; y: number }[];
}

/** The landmark net's answer on a crop whose corner is (dx, dy): its 68 points in the frame's pixels. */
export function landmarksFromNet(
  result: FaceApiLandmarks | readonly FaceApiLandmarks[],
  dx: number,
  dy: number,
): Landmarks {
  const marks = 'positions' in result ? result : result[0]!;
  return marks.positions.map((p) => [p.x + dx, p.y + dy] as [number, number]);
}

/** A detection with its landmarks (face-api's detectAllFaces(…).withFaceLandmarks()) as box, score and points. */
export function plainFace(result: {
  detection: { box: FaceApiBox; score: number };
  landmarks: FaceApiLandmarks;
}): { box: FaceApiBox; score: number; landmarks: Landmarks } {
  const { box, score } = result.detection;
  return {
    box: { x: box.x, y: box.y, width: box.width, height: box.height },
    score,
    landmarks: result.landmarks.positions.map((p) => [p.x, p.y] as [number, number]),
  };
}
