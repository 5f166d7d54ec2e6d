/**
 * Signed distance to a convex polygon for many query points: the edges, their lengths and the polygon's winding
 * are worked out once, then each query is a loop over flat typed arrays with no allocation. The paste evaluates
 * its mask this way at every photo pixel of the face (hundreds of thousands per frame), where building the same
 * quantities per pixel, and a [x, y] array per call, was the largest single cost of a transfer or an animation.
 *
 * The arithmetic is the same, in the same order, as signedDistance() in src/transfer/paste.ts, so both return
 * bit-identical values (test/geometry/convexDistance.test.ts checks it).
 */
import type { Point } from './affine.js';

export class ConvexDistance {
  private readonly ax: Float64Array;
  private readonly ay: Float64Array;
  private readonly ex: Float64Array;
  private readonly ey: Float64Array;
  private readonly len2: Float64Array;
  /** 1 / edge length (0 for a degenerate, zero-length edge, which bounds nothing). */
  private readonly invLength: Float64Array;
  /** Scratch per edge for distance(): squared distance and the offset to the nearest point of the edge. */
  private readonly squared: Float64Array;
  private readonly qx: Float64Array;
  private readonly qy: Float64Array;
  /** +1 or −1: which side of every edge is inside, whichever way the polygon winds. */
  private readonly sign: number;

  constructor(polygon: readonly Point[]) {
    const n = polygon.length;
    this.ax = new Float64Array(n);
    this.ay = new Float64Array(n);
    this.ex = new Float64Array(n);
    this.ey = new Float64Array(n);
    this.len2 = new Float64Array(n);
    this.invLength = new Float64Array(n);
    this.squared = new Float64Array(n);
    this.qx = new Float64Array(n);
    this.qy = new Float64Array(n);
    let area = 0;
    for (let i = 0; i < n; i++) {
      const a = polygon[i]!;
      const b = polygon[(i + 1) % n]!;
      area += a[0] * b[1] - b[0] * a[1];
      this.ax[i] = a[0];
      this.ay[i] = a[1];
      this.ex[i] = b[0] - a[0];
      this.ey[i] = b[1] - a[1];
      this.len2[i] = this.ex[i]! * this.ex[i]! + this.ey[i]! * this.ey[i]!;
      this.invLength[i] = this.len2[i]! > 0 ? 1 / Math.sqrt(this.len2[i]!) : 0;
    }
    this.sign = area >= 0 ? 1 : -1;
  }

  /** Whether (x, y) is inside or on the polygon (distance ≥ 0). Cheaper than distance(): no square roots. */
  contains(x: number, y: number): boolean {
    const { ax, ay, ex, ey, sign } = this;
    for (let i = 0; i < ax.length; i++)
      if (sign * (ex[i]! * (y - ay[i]!) - ey[i]! * (x - ax[i]!)) < 0) return false;
    return true;
  }

  /**
   * The smallest distance from (x, y) to the lines through the edges, negative when the point is outside. Inside a
   * convex polygon this is a lower bound of distance() (a segment is never nearer than its line) that costs no
   * square root, so a caller that only needs to know "at least this deep" can skip distance() for most points.
   */
  depth(x: number, y: number): number {
    const { ax, ay, ex, ey, invLength, sign } = this;
    let depth = Infinity;
    for (let i = 0; i < ax.length; i++) {
      const d = sign * (ex[i]! * (y - ay[i]!) - ey[i]! * (x - ax[i]!));
      if (d < 0) return -1;
      if (invLength[i]! > 0) depth = Math.min(depth, d * invLength[i]!);
    }
    return depth;
  }

  /**
   * Along a line of points (A·c + B, C·c + D) for a parameter c (a row of photo pixels mapped into the polygon's
   * frame), the interval of c where the distance to every edge's line exceeds `threshold`: [lo, hi], empty when
   * lo > hi. Inside a convex polygon the distance to the nearest edge line is the distance to the boundary, so this is
   * where distance() > threshold, found without visiting the points; callers keep a margin for rounding.
   */
  lineInterval(a: number, b: number, c: number, d: number, threshold: number): [number, number] {
    const { ax, ay, ex, ey, invLength, sign } = this;
    let lo = -Infinity;
    let hi = Infinity;
    for (let i = 0; i < ax.length; i++) {
      const inv = invLength[i]!;
      if (inv === 0) continue; // a zero-length edge bounds nothing
      // distance to edge i's line at parameter t: slope·t + offset
      const slope = sign * inv * (ex[i]! * c - ey[i]! * a);
      const offset = sign * inv * (ex[i]! * (d - ay[i]!) - ey[i]! * (b - ax[i]!));
      if (slope > 0) lo = Math.max(lo, (threshold - offset) / slope);
      else if (slope < 0) hi = Math.min(hi, (threshold - offset) / slope);
      else if (!(offset > threshold)) return [Infinity, -Infinity];
    }
    return [lo, hi];
  }

  /**
   * Positive inside (distance to the nearest edge), negative outside.
   *
   * Math.hypot is slow next to the rest of the loop, so the edges are first compared by squared distance and only
   * those within a rounding error of the nearest get their hypot: the same minimum as taking every edge's hypot.
   */
  distance(x: number, y: number): number {
    const { ax, ay, ex, ey, len2, sign, squared, qx, qy } = this;
    let inside = true;
    let nearestSquared = Infinity;
    for (let i = 0; i < ax.length; i++) {
      const exi = ex[i]!;
      const eyi = ey[i]!;
      const px = x - ax[i]!;
      const py = y - ay[i]!;
      if (sign * (exi * py - eyi * px) < 0) inside = false;
      const l2 = len2[i]!;
      const t = l2 > 0 ? Math.max(0, Math.min(1, (px * exi + py * eyi) / l2)) : 0;
      const dx = px - t * exi;
      const dy = py - t * eyi;
      qx[i] = dx;
      qy[i] = dy;
      const d2 = dx * dx + dy * dy;
      squared[i] = d2;
      if (d2 < nearestSquared) nearestSquared = d2;
    }
    // Squared sums carry a relative rounding error of a few 1e-16: any edge further than 1e-12 (relative) from the
    // nearest is surely not nearer once hypot is taken.
    const limit = nearestSquared * (1 + 1e-12);
    let nearest = Infinity;
    for (let i = 0; i < ax.length; i++)
      if (squared[i]! <= limit) nearest = Math.min(nearest, Math.hypot(qx[i]!, qy[i]!));
    return inside ? nearest : -nearest;
  }
}
