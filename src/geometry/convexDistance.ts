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
  /** Scratch per edge for rowCandidates(): the distance to the edge's line at both ends of a segment. */
  private readonly lineDistance: Float64Array;
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
    this.lineDistance = new Float64Array(2 * n);
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
   * The edges that can hold the nearest boundary point of any point INSIDE the polygon on the segment of the line
   * (a·t + b, c·t + d), t ∈ [t0, t1]; written to `out` (room for every edge), their count returned.
   *
   * Inside a convex polygon the distance to the boundary is the least distance to the edges' lines
   * (mathematically), and no edge is nearer than its line. Along the segment every line's distance is linear in t;
   * an edge whose line is further, at both ends, than some other edge's line by a margin (1e-6, relative and
   * absolute: far above the rounding of these sums) is therefore never the nearest, nor within distance()'s
   * rounding allowance of it, anywhere on the segment. Near one side of a face a handful of edges remain.
   */
  rowCandidates(a: number, b: number, c: number, d: number, t0: number, t1: number, out: Int32Array): number {
    const { ax, ay, ex, ey, invLength, sign, lineDistance } = this;
    const n = ax.length;
    let largest = 0;
    for (let i = 0; i < n; i++) {
      const inv = invLength[i]!;
      const slope = sign * inv * (ex[i]! * c - ey[i]! * a);
      const offset = sign * inv * (ex[i]! * (d - ay[i]!) - ey[i]! * (b - ax[i]!));
      lineDistance[2 * i] = slope * t0 + offset;
      lineDistance[2 * i + 1] = slope * t1 + offset;
      largest = Math.max(largest, Math.abs(lineDistance[2 * i]!), Math.abs(lineDistance[2 * i + 1]!));
    }
    const margin = 1e-6 * (1 + largest);
    let count = 0;
    for (let i = 0; i < n; i++) {
      let dominated = false;
      // a zero-length edge has no line: always a candidate (its distance is to its single point)
      if (invLength[i]! > 0)
        for (let j = 0; j < n && !dominated; j++)
          dominated =
            j !== i &&
            invLength[j]! > 0 &&
            lineDistance[2 * i]! - lineDistance[2 * j]! > margin &&
            lineDistance[2 * i + 1]! - lineDistance[2 * j + 1]! > margin;
      if (!dominated) out[count++] = i;
    }
    return count;
  }

  /**
   * distance(x, y) for a point inside the polygon, from the edges rowCandidates() kept for a segment that holds
   * the point: the same arithmetic on the edges that can matter, so the same value, bit for bit.
   */
  candidateDistance(x: number, y: number, candidates: Int32Array, count: number): number {
    const { ax, ay, ex, ey, len2, squared, qx, qy } = this;
    let nearestSquared = Infinity;
    for (let k = 0; k < count; k++) {
      const i = candidates[k]!;
      const exi = ex[i]!;
      const eyi = ey[i]!;
      const px = x - ax[i]!;
      const py = y - ay[i]!;
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
    const limit = nearestSquared * (1 + 1e-12);
    let nearest = Infinity;
    for (let k = 0; k < count; k++) {
      const i = candidates[k]!;
      if (squared[i]! <= limit) nearest = Math.min(nearest, Math.hypot(qx[i]!, qy[i]!));
    }
    return nearest;
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
