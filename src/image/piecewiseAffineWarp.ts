/**
 * A piecewise-affine warp of a crop from its own landmarks to target landmarks (image morphing as in the related
 * work Qiao et al. 2018 cite). Three users: the evaluation's classical baseline, the warp paste-back, and the
 * generator's warped base image (generatorBase "warped", src/model/config.ts).
 *
 * Control points: the 68 landmarks, plus the four crop corners and the four edge midpoints, which stay where
 * they are so the warp covers the whole crop and fades out towards its border. Triangles: Delaunay
 * triangulation (delaunator) of the TARGET points, because we map backwards: each output pixel centre is found
 * in a target triangle, carried by that triangle's affine map into the source crop and sampled bilinearly
 * (edge pixels repeated outside the crop, as in src/image/warpAffine.ts). Pixels that no usable triangle covers
 * (possible only when landmarks fold over) keep the input's pixel.
 */
import Delaunator from 'delaunator';
import { affineFromThreePoints, type Affine, type Point } from '../geometry/affine.js';
import { createRgbImage, sampleBilinear, type PixelBox, type RgbImage } from './rgbImage.js';

/** Corners and edge midpoints of a size × size crop (pixel coordinates run from 0 to size). */
export function borderAnchors(width: number, height: number): Point[] {
  return [
    [0, 0],
    [width / 2, 0],
    [width, 0],
    [width, height / 2],
    [width, height],
    [width / 2, height],
    [0, height],
    [0, height / 2],
  ];
}

/**
 * Corners and edge midpoints of the square [−margin, size + margin]²: the control frame of a warp that may move points
 * up to and past the crop's own border (a dropped jaw takes the chin there), so that the warp still fades out
 * smoothly, outside the crop. margin 0 gives borderAnchors(size, size).
 */
export function frameAnchors(size: number, margin: number): Point[] {
  return borderAnchors(size + 2 * margin, size + 2 * margin).map(([x, y]) => [x - margin, y - margin]);
}

/** Triangles (index triples into `points`) of the Delaunay triangulation. */
export function delaunayTriangles(points: Point[]): [number, number, number][] {
  const d = Delaunator.from(points);
  const out: [number, number, number][] = [];
  for (let t = 0; t < d.triangles.length; t += 3)
    out.push([d.triangles[t]!, d.triangles[t + 1]!, d.triangles[t + 2]!]);
  return out;
}

/**
 * The cells of the row at `py` (triangle coordinates) that can lie inside the triangle (ta, tb, tc) of signed area
 * `area`, within [x0, x1], into span[0]..span[1]. Along a row each barycentric weight is linear in x, so the cells
 * that can pass an inside test form an interval, and the rest of the bounding box need not be visited. One cell of
 * margin each side (far above rounding error): the caller's test still decides every cell, so results do not
 * change. `scale`: cells per triangle unit (1 for pixels); `line` is scratch space for 6 values.
 */
function rowSpan(
  ta: Point,
  tb: Point,
  tc: Point,
  area: number,
  py: number,
  x0: number,
  x1: number,
  scale: number,
  line: Float64Array,
  span: Float64Array,
): void {
  let from = x0;
  let to = x1;
  line[0] = (tb[1] - tc[1]) / area;
  line[1] = (tb[0] * (tc[1] - py) - tc[0] * (tb[1] - py)) / area;
  line[2] = (tc[1] - ta[1]) / area;
  line[3] = (tc[0] * (ta[1] - py) - ta[0] * (tc[1] - py)) / area;
  line[4] = -(line[0] + line[2]);
  line[5] = 1 - line[1] - line[3];
  for (let k = 0; k < 6; k += 2) {
    const slope = line[k]!;
    if (Math.abs(slope) < 1e-9) continue; // (nearly) constant along the row: left to the test
    const bound = ((-1e-9 - line[k + 1]!) / slope) * scale - 0.5; // cell index where the weight crosses −1e-9
    if (slope > 0) from = Math.max(from, Math.floor(bound) - 1);
    else to = Math.min(to, Math.ceil(bound) + 1);
  }
  span[0] = from;
  span[1] = to;
}

/**
 * Warps `image` so that the points `from` (its landmarks, crop pixels) move to `to` (target landmarks, crop
 * pixels). Returns a new image of the same size.
 *
 * With `region`, only the pixels inside it are warped (each exactly as the whole warp gives it); the others keep
 * the input's pixels. For a caller that reads the result only there (the mouth interior reads its face view only
 * around the lips).
 */
export function piecewiseAffineWarp(
  image: RgbImage,
  from: Point[],
  to: Point[],
  region?: PixelBox,
  /** With a margin (pixels, square images only), the control frame lies that far outside the image (frameAnchors). */
  margin = 0,
): RgbImage {
  if (from.length !== to.length) throw new Error('warp: landmark sets differ in length');
  const { width, height } = image;
  if (margin !== 0 && width !== height) throw new Error('warp: a framed warp needs a square image');
  const anchors = margin === 0 ? borderAnchors(width, height) : frameAnchors(width, margin);
  const source = [...from, ...anchors];
  const target = [...to, ...anchors];
  const out = createRgbImage(width, height);
  const covered = new Uint8Array(width * height);
  const left = Math.max(0, region?.x0 ?? 0);
  const right = Math.min(width - 1, region?.x1 ?? width - 1);
  const top = Math.max(0, region?.y0 ?? 0);
  const bottom = Math.min(height - 1, region?.y1 ?? height - 1);
  /** Per row: slope and offset (in x) of the three barycentric weights, and the pixels that can be inside. */
  const line = new Float64Array(6);
  const span = new Float64Array(2);

  for (const [a, b, c] of delaunayTriangles(target)) {
    const ta = target[a]!;
    const tb = target[b]!;
    const tc = target[c]!;
    const area = (tb[0] - ta[0]) * (tc[1] - ta[1]) - (tc[0] - ta[0]) * (tb[1] - ta[1]);
    if (Math.abs(area) < 1e-9) continue;
    let back: Affine;
    try {
      back = affineFromThreePoints([ta, tb, tc], [source[a]!, source[b]!, source[c]!]);
    } catch {
      continue; // degenerate triangle: its pixels fall back to the input
    }
    // pixel centres (x + 0.5, y + 0.5) inside the triangle's bounding box
    const x0 = Math.max(left, Math.floor(Math.min(ta[0], tb[0], tc[0]) - 0.5));
    const x1 = Math.min(right, Math.ceil(Math.max(ta[0], tb[0], tc[0]) - 0.5));
    const y0 = Math.max(top, Math.floor(Math.min(ta[1], tb[1], tc[1]) - 0.5));
    const y1 = Math.min(bottom, Math.ceil(Math.max(ta[1], tb[1], tc[1]) - 0.5));
    const eps = 1e-9;
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5;
      rowSpan(ta, tb, tc, area, py, x0, x1, 1, line, span);
      for (let x = span[0]!; x <= span[1]!; x++) {
        const p = y * width + x;
        if (covered[p]) continue;
        const px = x + 0.5;
        // barycentric weights (signed areas relative to the triangle's orientation)
        const wa = ((tb[0] - px) * (tc[1] - py) - (tc[0] - px) * (tb[1] - py)) / area;
        const wb = ((tc[0] - px) * (ta[1] - py) - (ta[0] - px) * (tc[1] - py)) / area;
        const wc = 1 - wa - wb;
        if (wa < -eps || wb < -eps || wc < -eps) continue;
        const sx = back[0] * px + back[1] * py + back[2];
        const sy = back[3] * px + back[4] * py + back[5];
        sampleBilinear(image, sx, sy, out.data, p * 3);
        covered[p] = 1;
      }
    }
  }
  for (let p = 0; p < covered.length; p++) {
    if (covered[p]) continue;
    out.data[3 * p] = image.data[3 * p]!;
    out.data[3 * p + 1] = image.data[3 * p + 1]!;
    out.data[3 * p + 2] = image.data[3 * p + 2]!;
  }
  return out;
}

/** A barycentric weight this far above 0 is inside by a margin far above the exact test's rounding error. */
const DEEP = 1e-4;

/**
 * The backward map of piecewiseAffineWarp(·, from, to) as a function: for a point of the warped crop, where it comes
 * from in the input crop. Lets a caller sample the original photo once at photo resolution instead of resampling a
 * warped copy (the warp paste), so pixels the warp does not move come back exactly. Which triangle holds a point is
 * looked up in a grid of `grid` cells per crop pixel; near a triangle edge the neighbour's map may be used, which
 * agrees with it on the edge.
 */
export class BackwardWarp {
  /** The affine map (6 values) of each triangle. Read by the warp paste's inlined copy of map(). */
  readonly maps: Float64Array;
  /** Per lookup cell, the triangle whose map it uses (-1: none, the point stays). */
  readonly cells: Int32Array;
  /** Cells along each side of the lookup, which covers [−margin, size + margin]². */
  readonly side: number;
  /** Side of the square the lookup covers: size + 2 · margin. */
  readonly span: number;

  constructor(
    from: Point[],
    to: Point[],
    readonly size: number,
    private readonly grid: number,
    /** How far outside the crop the control frame lies (frameAnchors); 0: on its border. */
    readonly margin = 0,
  ) {
    if (from.length !== to.length) throw new Error('warp: landmark sets differ in length');
    const anchors = frameAnchors(size, margin);
    const source = [...from, ...anchors];
    const target = [...to, ...anchors];
    const triangles = delaunayTriangles(target);
    this.span = size + 2 * margin;
    this.side = Math.max(1, Math.round(this.span * grid));
    this.cells = new Int32Array(this.side * this.side).fill(-1);
    this.maps = new Float64Array(6 * triangles.length);
    const scale = this.side / this.span;
    /** Per row: slope and offset (in x) of the three barycentric weights, and the cells that can be inside. */
    const line = new Float64Array(6);
    const span = new Float64Array(2);
    // Cells count from the frame's corner (−margin, −margin); points stay in crop coordinates, so that the maps
    // and the inside test are computed exactly as without a frame.
    const cell = (p: Point): Point => [p[0] + margin, p[1] + margin];
    triangles.forEach(([a, b, c], t) => {
      const ta = target[a]!;
      const tb = target[b]!;
      const tc = target[c]!;
      const area = (tb[0] - ta[0]) * (tc[1] - ta[1]) - (tc[0] - ta[0]) * (tb[1] - ta[1]);
      if (Math.abs(area) < 1e-9) return;
      let back: Affine;
      try {
        back = affineFromThreePoints([ta, tb, tc], [source[a]!, source[b]!, source[c]!]);
      } catch {
        return; // degenerate: its points keep their place
      }
      this.maps.set(back, 6 * t);
      const [ca, cb, cc] = [cell(ta), cell(tb), cell(tc)];
      const x0 = Math.max(0, Math.floor(Math.min(ca[0], cb[0], cc[0]) * scale));
      const x1 = Math.min(this.side - 1, Math.ceil(Math.max(ca[0], cb[0], cc[0]) * scale));
      const y0 = Math.max(0, Math.floor(Math.min(ca[1], cb[1], cc[1]) * scale));
      const y1 = Math.min(this.side - 1, Math.ceil(Math.max(ca[1], cb[1], cc[1]) * scale));
      const cells = this.cells;
      const side = this.side;
      /** The exact test of cell (x, y): takes the cell if inside and not yet taken; true if it lies deep inside. */
      const test = (x: number, y: number, py: number): boolean => {
        const px = (x + 0.5) / scale - margin;
        const wa = ((tb[0] - px) * (tc[1] - py) - (tc[0] - px) * (tb[1] - py)) / area;
        const wb = ((tc[0] - px) * (ta[1] - py) - (ta[0] - px) * (tc[1] - py)) / area;
        const wc = 1 - wa - wb;
        if (wa < -1e-9 || wb < -1e-9 || wc < -1e-9) return false;
        if (cells[y * side + x] === -1) cells[y * side + x] = t;
        return wa >= DEEP && wb >= DEEP && wc >= DEEP;
      };
      // Along a row each weight is linear in x: between two cells deep inside (every weight ≥ DEEP, far above the
      // rounding error of the test), every cell is inside too and takes the triangle without the test. Not for a
      // sliver, whose weights' rounding error grows as its area shrinks.
      const skipInterior = Math.abs(area) >= 1e-3;
      for (let y = y0; y <= y1; y++) {
        const py = (y + 0.5) / scale - margin;
        // (the interval is worked out in frame coordinates; it only narrows the cells the exact test below visits)
        rowSpan(ca, cb, cc, area, py + margin, x0, x1, scale, line, span);
        const from = span[0]!;
        const to = span[1]!;
        if (!skipInterior) {
          for (let x = from; x <= to; x++) if (cells[y * side + x] === -1) test(x, y, py);
          continue;
        }
        let left = from;
        while (left <= to && !test(left, y, py)) left++;
        let right = to;
        while (right > left && !test(right, y, py)) right--;
        for (let x = left + 1; x < right; x++) if (cells[y * side + x] === -1) cells[y * side + x] = t;
      }
    });
  }

  /** Source position of the warped crop's point (x, y), written to out[0], out[1]. */
  map(x: number, y: number, out: Float64Array): void {
    const cx = Math.min(this.side - 1, Math.max(0, Math.floor(((x + this.margin) * this.side) / this.span)));
    const cy = Math.min(this.side - 1, Math.max(0, Math.floor(((y + this.margin) * this.side) / this.span)));
    const t = this.cells[cy * this.side + cx]!;
    if (t < 0) {
      out[0] = x;
      out[1] = y;
      return;
    }
    const m = this.maps;
    const o = 6 * t;
    out[0] = m[o]! * x + m[o + 1]! * y + m[o + 2]!;
    out[1] = m[o + 3]! * x + m[o + 4]! * y + m[o + 5]!;
  }
}
