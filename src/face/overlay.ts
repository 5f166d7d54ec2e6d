/**
 * Draws landmarks over a photo (for `mimic landmarks` and for checking alignments by eye): an SVG of lines and
 * dots composited by sharp, so strokes are anti-aliased and scale with the face.
 */
import { sharp } from '../image/sharpModule.js';
import { createRgbImage, type RgbImage } from '../image/rgbImage.js';
import { LANDMARK_GROUPS, type Landmarks } from './landmarks.js';

const OPEN_CURVES: readonly (readonly number[])[] = [
  LANDMARK_GROUPS.jaw,
  LANDMARK_GROUPS.rightBrow,
  LANDMARK_GROUPS.leftBrow,
  LANDMARK_GROUPS.noseBridge,
  LANDMARK_GROUPS.noseBottom,
];
const CLOSED_CURVES: readonly (readonly number[])[] = [
  LANDMARK_GROUPS.rightEye,
  LANDMARK_GROUPS.leftEye,
  LANDMARK_GROUPS.outerLips,
  LANDMARK_GROUPS.innerLips,
];

export interface OverlayFace {
  landmarks: Landmarks;
  box?: { x: number; y: number; width: number; height: number };
  label?: string;
}

/** The photo with the faces' landmarks drawn over it (the caller encodes it, in the format its path names). */
export async function drawLandmarkOverlay(image: RgbImage, faces: OverlayFace[]): Promise<RgbImage> {
  const parts: string[] = [];
  for (const face of faces) {
    const pts = face.landmarks;
    const eye = Math.hypot(pts[42]![0] - pts[39]![0], pts[42]![1] - pts[39]![1]);
    const stroke = Math.max(1, eye / 25);
    const path = (indices: readonly number[], closed: boolean): string =>
      `<polyline fill="none" stroke="#00e0ff" stroke-width="${stroke}" points="${[
        ...indices,
        ...(closed ? [indices[0]!] : []),
      ]
        .map((i) => `${pts[i]![0].toFixed(1)},${pts[i]![1].toFixed(1)}`)
        .join(' ')}"/>`;
    for (const c of OPEN_CURVES) parts.push(path(c, false));
    for (const c of CLOSED_CURVES) parts.push(path(c, true));
    for (const [x, y] of pts)
      parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${stroke * 1.6}" fill="#ff3070"/>`);
    if (face.box) {
      const b = face.box;
      parts.push(
        `<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" fill="none" stroke="#ffe000" stroke-width="${stroke}"/>`,
      );
      if (face.label)
        parts.push(
          `<text x="${b.x}" y="${Math.max(12, b.y - 4)}" font-family="sans-serif" font-size="${Math.max(12, b.height / 12)}" fill="#ffe000">${face.label}</text>`,
        );
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${image.width}" height="${image.height}">${parts.join('')}</svg>`;
  const { data, info } = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .raw()
    .toBuffer({ resolveWithObject: true });
  const out = createRgbImage(info.width, info.height);
  // Compositing may add an alpha channel: keep the first three channels of each pixel.
  for (let i = 0, j = 0; i < out.data.length; i += 3, j += info.channels) {
    out.data[i] = data[j]!;
    out.data[i + 1] = data[j + 1]!;
    out.data[i + 2] = data[j + 2]!;
  }
  return out;
}
