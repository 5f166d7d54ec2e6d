/** The shared face alignment (src/face/alignFace.ts) with the browser's image scaler, where the CLI uses sharp. */
import { DEFAULT_ALIGNMENT, type AlignmentConfig } from '../../src/face/align.js';
import { alignFace as alignFaceWith, type AlignedFace } from '../../src/face/alignFace.js';
import type { Landmarks } from '../../src/face/landmarks.js';
import type { RgbImage } from '../../src/image/rgbImage.js';
import { resizeImage } from './canvasImage.js';

export type { AlignedFace };

export function alignFace(
  photo: RgbImage,
  landmarks: Landmarks,
  config: AlignmentConfig = DEFAULT_ALIGNMENT,
  name = 'photo',
): Promise<AlignedFace> {
  return alignFaceWith(photo, landmarks, config, name, resizeImage);
}
