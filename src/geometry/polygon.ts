/** Simple polygons (any winding, convex or not): inside tests and signed distances, in the polygon's pixels. */
import type { Point } from './affine.js';

export function insidePolygon(polygon: Point[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Signed distance to a simple polygon (any winding, convex or not): positive inside. */
export function polygonDistance(polygon: Point[], x: number, y: number): number {
  let nearest = Infinity;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [ax, ay] = polygon[j]!;
    const ex = polygon[i]![0] - ax;
    const ey = polygon[i]![1] - ay;
    const len2 = ex * ex + ey * ey;
    const t = len2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * ex + (y - ay) * ey) / len2)) : 0;
    nearest = Math.min(nearest, Math.hypot(x - ax - t * ex, y - ay - t * ey));
  }
  return insidePolygon(polygon, x, y) ? nearest : -nearest;
}
