/** A plausible 68-point iBUG face for tests, in crop pixels of a size × size crop (no data set needed). */
import type { Landmarks } from '../../src/face/landmarks.js';
import type { Point } from '../../src/geometry/affine.js';

export function syntheticFace(size = 64): Landmarks {
  const s = size / 64;
  const pts: Point[] = [];
  // jaw 0–16: lower half of an ellipse from the right temple to the left temple (subject's right = image left)
  for (let i = 0; i <= 16; i++) {
    const t = Math.PI - (i / 16) * Math.PI;
    pts.push([32 + 20 * Math.cos(t), 26 + 28 * Math.sin(t)]);
  }
  // brows 17–26
  for (let i = 0; i < 5; i++) pts.push([15 + i * 3.5, 18 - Math.sin((i / 4) * Math.PI) * 2]);
  for (let i = 0; i < 5; i++) pts.push([35 + i * 3.5, 18 - Math.sin((i / 4) * Math.PI) * 2]);
  // nose bridge 27–30, nose bottom 31–35
  for (let i = 0; i < 4; i++) pts.push([32, 23 + i * 3.5]);
  for (let i = 0; i < 5; i++) pts.push([28 + i * 2, 36 + (i === 2 ? 1 : 0)]);
  // eyes 36–41, 42–47: hexagons
  const eye = (cx: number): void => {
    const shape: Point[] = [
      [-4, 0],
      [-2, -1.5],
      [2, -1.5],
      [4, 0],
      [2, 1.5],
      [-2, 1.5],
    ];
    for (const [dx, dy] of shape) pts.push([cx + dx, 23 + dy]);
  };
  eye(24);
  eye(40);
  // outer lips 48–59, inner lips 60–67: ellipses
  for (let i = 0; i < 12; i++) {
    const t = Math.PI + (i / 12) * 2 * Math.PI;
    pts.push([32 + 8 * Math.cos(t), 45 + 4 * Math.sin(t)]);
  }
  for (let i = 0; i < 8; i++) {
    const t = Math.PI + (i / 8) * 2 * Math.PI;
    pts.push([32 + 5 * Math.cos(t), 45 + 1.5 * Math.sin(t)]);
  }
  return pts.map(([x, y]) => [x * s, y * s]);
}
