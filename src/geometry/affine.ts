/**
 * 2-D points and affine transforms as [a, b, c, d, e, f]: x' = a·x + b·y + c, y' = d·x + e·y + f. The geometry
 * under both image warps (src/image/) and face alignment (src/face/).
 */

/** One point, [x, y] in pixels (or in [-1, 1] where a function says "normalized"). */
export type Point = [number, number];

export type Affine = [number, number, number, number, number, number];

export function applyAffine(m: Affine, [x, y]: Point): Point {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}

export function invertAffine(m: Affine): Affine {
  const det = m[0] * m[4] - m[1] * m[3];
  if (Math.abs(det) < 1e-12) throw new Error('affine transform is not invertible');
  const a = m[4] / det;
  const b = -m[1] / det;
  const d = -m[3] / det;
  const e = m[0] / det;
  return [a, b, -(a * m[2] + b * m[5]), d, e, -(d * m[2] + e * m[5])];
}

/** Composition: first `inner`, then `outer`. */
export function composeAffine(outer: Affine, inner: Affine): Affine {
  return [
    outer[0] * inner[0] + outer[1] * inner[3],
    outer[0] * inner[1] + outer[1] * inner[4],
    outer[0] * inner[2] + outer[1] * inner[5] + outer[2],
    outer[3] * inner[0] + outer[4] * inner[3],
    outer[3] * inner[1] + outer[4] * inner[4],
    outer[3] * inner[2] + outer[4] * inner[5] + outer[5],
  ];
}

/** The affine map that sends the three `from` points exactly onto the three `to` points. */
export function affineFromThreePoints(from: [Point, Point, Point], to: [Point, Point, Point]): Affine {
  const [[x1, y1], [x2, y2], [x3, y3]] = from;
  const det = x1 * (y2 - y3) - x2 * (y1 - y3) + x3 * (y1 - y2);
  if (Math.abs(det) < 1e-9) throw new Error('the three alignment points are collinear');
  // Solve [x y 1] · [a b c]ᵀ = u for each output coordinate by Cramer's rule.
  const solve = (u1: number, u2: number, u3: number): [number, number, number] => [
    (u1 * (y2 - y3) - u2 * (y1 - y3) + u3 * (y1 - y2)) / det,
    (x1 * (u2 - u3) - x2 * (u1 - u3) + x3 * (u1 - u2)) / det,
    (x1 * (y2 * u3 - y3 * u2) - x2 * (y1 * u3 - y3 * u1) + x3 * (y1 * u2 - y2 * u1)) / det,
  ];
  const [a, b, c] = solve(to[0][0], to[1][0], to[2][0]);
  const [d, e, f] = solve(to[0][1], to[1][1], to[2][1]);
  return [a, b, c, d, e, f];
}

/** The similarity (rotation, uniform scale, translation) that sends two points onto two points. */
export function similarityFromTwoPoints(from: [Point, Point], to: [Point, Point]): Affine {
  const [[x1, y1], [x2, y2]] = from;
  const [[u1, v1], [u2, v2]] = to;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const du = u2 - u1;
  const dv = v2 - v1;
  const norm = dx * dx + dy * dy;
  if (norm < 1e-12) throw new Error('the two alignment points coincide');
  // Complex division (du + i·dv) / (dx + i·dy) = s·e^{iθ} = a + i·b
  const a = (du * dx + dv * dy) / norm;
  const b = (dv * dx - du * dy) / norm;
  return [a, -b, u1 - (a * x1 - b * y1), b, a, v1 - (b * x1 + a * y1)];
}

/** Scale factor of the transform (geometric mean of the axis scales). */
export function affineScale(m: Affine): number {
  return Math.sqrt(Math.abs(m[0] * m[4] - m[1] * m[3]));
}
