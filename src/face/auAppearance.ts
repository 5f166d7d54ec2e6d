/**
 * The appearance of action units that a landmark warp cannot make: the vertical furrow between lowered, drawn
 * together brows (AU4), the creases across a wrinkled nose and the deepened nasolabial folds of a raised nose and
 * upper lip (AU9/AU10), the horizontal forehead lines of raised brows (AU1+2).
 *
 * How strongly each shows is read from the target's shape against the photo's own landmarks (`auActivations`),
 * never from a preset's name: a preset, `--au`, a dragged brow, an animation frame and a driven video frame that
 * lower the brows all get the furrow, the photo's own landmarks get nothing. The creases are painted
 * procedurally, anchored on the target landmarks, sized in the face's inter-ocular distance (IOD), as a log luma
 * gain (`auLogGain`) that the warp paste multiplies into all three channels like the ratio images: a dark crease
 * with a lighter edge where the skin bulges beside it, so the photo's own light and skin tone carry through (a
 * dark skin darkens by the same share as a pale one, a gray photo stays exactly gray).
 *
 * The amounts were set by eye on FRL London neutral photos of the training people, not on the photos the README
 * reports. Pure: no Node modules, so the web editor runs it too. Nothing here looks at an expression classifier.
 */
import type { Point } from '../geometry/affine.js';
import type { RgbImage } from '../image/rgbImage.js';
import { interocularDistance, type Landmarks } from './landmarks.js';

/** How strongly a target activates each appearance, about 1 for the AU at intensity 1 (0 for the own face). */
export interface AuActivations {
  /** AU4: inner brows drawn together and lowered. */
  furrow: number;
  /** AU9: nose wings pulled up. */
  noseWrinkle: number;
  /** AU9/AU10: nose wings or upper lip raised, deepening the nasolabial folds. */
  nasolabial: number;
  /** AU1+2: brows raised; per brow point 17–26 (each point's own rise), for forehead lines above it. */
  browRise: number[];
}

/** Activations saturate at this (M·tanh(a/M)): an exaggerated target creases a little more, never without bound. */
export const MAX_ACTIVATION = 1.5;

const saturate = (a: number): number => (a <= 0 ? 0 : MAX_ACTIVATION * Math.tanh(a / MAX_ACTIVATION));

/**
 * Activations under 0.2 are taken as none, the rest scaled back to 1 at 1: the mean FRL smile moves the inner brows
 * and the nose by that much (landmark noise and the face's own slack), and a smile should not furrow.
 */
const NOISE = 0.2;
const deadZone = (a: number): number => (a <= NOISE ? 0 : (a - NOISE) / (1 - NOISE));

/**
 * What the move from `own` to `target` (the same pixels) activates. Moves are divided by the own face's IOD and
 * taken relative to the eye corners (36, 39, 42, 45, which no AU moves), so a shifted or scaled target alone
 * creases nothing. The divisors are the moves of the AU at intensity 1 (actionUnits.ts).
 */
export function auActivations(own: Landmarks, target: Landmarks): AuActivations {
  const iod = interocularDistance(own);
  if (!(iod > 0)) return { furrow: 0, noseWrinkle: 0, nasolabial: 0, browRise: new Array(10).fill(0) };
  const corners = [36, 39, 42, 45];
  // (A horizontal shift needs no correction: no measure below uses an absolute x.)
  let sy = 0;
  for (const i of corners) sy += target[i]![1] - own[i]![1];
  sy /= corners.length;
  // up > 0 towards the forehead
  const up = (i: number): number => -(target[i]![1] - own[i]![1] - sy) / iod;
  const gapOwn = own[22]![0] - own[21]![0];
  const gapTarget = target[22]![0] - target[21]![0];
  const approach = (gapOwn - gapTarget) / iod;
  const descent = -(up(21) + up(22)) / 2;
  // AU4 at 1: the inner brow ends approach by 0.12 IOD and descend by 0.1. Drawing together is the corrugator's
  // own work (it makes the furrow even with raised inner brows, as in sadness); lowering alone furrows less.
  const furrow = saturate(deadZone(0.6 * Math.max(0, approach / 0.12) + 0.4 * Math.max(0, descent / 0.1)));
  // AU9 at 1 lifts the nose wings (31, 35) by 0.05 IOD; AU10 at 1 the upper lip (50–52) by 0.07. A smile lifts
  // both too, by pulling the mouth corners up (AU12 at 1: 0.1 IOD): half the corners' rise is taken off, so a
  // smile wrinkles no nose (its folds are the ratio image's) while a snarl, corners still, does.
  const smileLift = Math.max(0, (up(48) + up(54)) / 2) * 0.5;
  const wings = (up(31) + up(35)) / 2 - smileLift;
  const lip = (up(50) + up(51) + up(52)) / 3 - smileLift;
  const noseWrinkle = saturate(deadZone(wings / 0.05));
  const nasolabial = saturate(deadZone(Math.max(wings / 0.05, lip / 0.07)));
  // AU1+2 at 1 raise the brows by about 0.1 IOD.
  const browRise = Array.from({ length: 10 }, (_, k) => saturate(deadZone(up(17 + k) / 0.1)));
  return { furrow, noseWrinkle, nasolabial, browRise };
}

/** Whether any appearance is active enough to paint (below this a crease would change no pixel by a level). */
export function hasAuAppearance(a: AuActivations): boolean {
  return a.furrow > 0.05 || a.noseWrinkle > 0.05 || a.nasolabial > 0.05 || a.browRise.some((r) => r > 0.05);
}

/** One crease: a polyline in crop pixels with a dark core and lighter edges, its strength per polyline vertex. */
interface Crease {
  points: Point[];
  /** Depth (log gain, > 0 darkens) at each vertex, interpolated along the line. */
  depth: number[];
  /** Half-width of the dark core, crop pixels. */
  width: number;
  /** Lighter edge as a share of the depth. */
  light: number;
  /** Which side the lighter edge is on: +1 left of the direction of travel, −1 right, 0 both. */
  lightSide: -1 | 0 | 1;
}

/**
 * The appearance tuning, set by eye on FRL neutral photos (see the module comment): depths are log gains at
 * activation 1 (0.3 darkens the crease's core to 74 %), lengths in IOD.
 */
export const AU_APPEARANCE = {
  furrowDepth: 0.32,
  furrowShoulder: 0.15,
  procerusDepth: 0.08,
  browShadowDepth: 0.1,
  noseDepth: 0.2,
  nasolabialDepth: 0.22,
  foreheadDepth: 0.11,
};

function lerp(a: Point, b: Point, t: number): Point {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
}

function quadratic(p0: Point, c: Point, p1: Point, n = 8): Point[] {
  return Array.from({ length: n + 1 }, (_, i) => {
    const t = i / n;
    return lerp(lerp(p0, c, t), lerp(c, p1, t), t);
  });
}

/** The creases the activations ask for, on the target landmarks (crop pixels). */
function creases(target: Landmarks, iod: number, a: AuActivations): Crease[] {
  const out: Crease[] = [];
  const t = (i: number): Point => target[i]!;
  const T = AU_APPEARANCE;
  const along = (n: number, f: (s: number) => number): number[] =>
    Array.from({ length: n }, (_, i) => f(i / (n - 1)));
  // A crease fades in and out along its length.
  const taper = (s: number): number => Math.sin(Math.PI * s) ** 0.6;

  // AU4: two vertical furrows between the inner brow ends, converging a little downwards, from above the brows to
  // the nasal root; a short horizontal crease across the root (procerus); a soft shadow under the lowered brows.
  if (a.furrow > 0.05) {
    const mid: Point = lerp(t(21), t(22), 0.5);
    const root = t(27);
    const half = Math.max(0.05 * iod, Math.abs(t(22)[0] - t(21)[0]) * 0.22);
    for (const side of [-1, 1]) {
      const top: Point = [mid[0] + side * half * 1.1, mid[1] - 0.14 * iod];
      const bottom: Point = [mid[0] + side * half * 0.8, (mid[1] + root[1]) / 2 + 0.02 * iod];
      const c: Point = [(top[0] + bottom[0]) / 2 + side * 0.03 * iod, (top[1] + bottom[1]) / 2];
      out.push({
        points: quadratic(top, c, bottom),
        // deepest in its lower third, by the brow heads where the corrugators bunch the skin, fading upwards
        // (an even, symmetric taper made two parallel stripes that looked drawn on at full size)
        depth: along(9, (s) => T.furrowDepth * a.furrow * Math.sin(Math.PI * s ** 1.6) ** 0.8),
        width: 0.016 * iod,
        light: 0.12,
        // the lit bulge is the skin bunched between the two furrows, not outside them
        lightSide: side === -1 ? -1 : 1,
      });
      // the groove's soft shoulder: a broad, shallow shadow under the thin line (a wide line alone looked painted)
      out.push({
        points: quadratic(top, c, bottom),
        depth: along(9, (s) => T.furrowShoulder * a.furrow * Math.sin(Math.PI * s ** 1.6) ** 0.8),
        width: 0.06 * iod,
        light: 0,
        lightSide: 0,
      });
    }
    const rootY = (mid[1] + root[1]) / 2 + 0.06 * iod;
    out.push({
      points: quadratic(
        [root[0] - 0.06 * iod, rootY + 0.008 * iod],
        [root[0], rootY - 0.012 * iod],
        [root[0] + 0.06 * iod, rootY + 0.008 * iod],
      ),
      depth: along(9, (s) => T.procerusDepth * a.furrow * taper(s)),
      width: 0.014 * iod,
      light: 0.18,
      lightSide: 0,
    });
    for (const [brow, lid, corner] of [
      [20, 38, 39],
      [23, 43, 42],
    ] as const) {
      // a broad, shallow shadow under the inner half of the brow, over the upper lid
      const p0: Point = lerp(t(brow), t(lid), 0.45);
      const p1: Point = lerp(lerp(t(brow === 20 ? 21 : 22), t(corner), 0.5), p0, 0.1);
      out.push({
        points: [p0, lerp(p0, p1, 0.5), p1],
        depth: along(3, () => T.browShadowDepth * a.furrow),
        width: 0.07 * iod,
        light: 0,
        lightSide: 0,
      });
    }
  }

  // AU9: short creases across the nasal root, and oblique ones on each side of the upper nose running down and
  // outward (where the skin bunches as the nose wings rise).
  if (a.noseWrinkle > 0.05) {
    const axis = (s: number): Point => lerp(t(27), t(30), s);
    for (const [s, span, depth] of [
      [0.08, 0.09, 0.8],
      [0.22, 0.1, 1],
    ] as const) {
      const c = axis(s);
      out.push({
        points: quadratic(
          [c[0] - span * iod, c[1] + 0.025 * iod],
          [c[0], c[1] - 0.02 * iod],
          [c[0] + span * iod, c[1] + 0.025 * iod],
        ),
        depth: along(9, (u) => T.noseDepth * depth * a.noseWrinkle * taper(u)),
        width: 0.016 * iod,
        light: 0.2,
        lightSide: 0,
      });
    }
    for (const side of [-1, 1]) {
      for (const [s0, s1, out0, out1, depth] of [
        [0.18, 0.36, 0.075, 0.14, 1],
        [0.3, 0.45, 0.085, 0.15, 0.6],
      ] as const) {
        const a0 = axis(s0);
        const a1 = axis(s1);
        out.push({
          points: quadratic(
            [a0[0] + side * out0 * iod, a0[1]],
            [(a0[0] + a1[0]) / 2 + side * (out0 + out1) * 0.5 * iod, (a0[1] + a1[1]) / 2 - 0.01 * iod],
            [a1[0] + side * out1 * iod, a1[1]],
          ),
          depth: along(9, (u) => T.noseDepth * depth * a.noseWrinkle * taper(u)),
          width: 0.016 * iod,
          light: 0.2,
          lightSide: 0,
        });
      }
    }
  }

  // AU9/AU10: the nasolabial folds, from above the nose wing down and out to beside the mouth corner, bowed
  // outward; the lit cheek bulges on their outer side.
  if (a.nasolabial > 0.05) {
    for (const [wing, corner, side] of [
      [31, 48, -1],
      [35, 54, 1],
    ] as const) {
      const top: Point = [t(wing)[0] + side * 0.06 * iod, t(wing)[1] - 0.07 * iod];
      const bottom: Point = [t(corner)[0] + side * 0.07 * iod, t(corner)[1] + 0.03 * iod];
      const c: Point = [
        Math.max(top[0] * side, bottom[0] * side) * side + side * 0.06 * iod,
        (top[1] + bottom[1]) / 2,
      ];
      out.push({
        points: quadratic(top, c, bottom),
        // deepest near its top, by the nose wing, where AU9/10 bunch the skin
        depth: along(9, (s) => T.nasolabialDepth * a.nasolabial * taper(s) * (1.2 - 0.5 * s)),
        width: 0.03 * iod,
        light: 0.3,
        // travelling down, the outer (cheek) side is the right of the right fold (image left) and the left of the left one
        lightSide: side === -1 ? -1 : 1,
      });
    }
  }

  // AU1+2: three forehead lines over the brows, flatter than the brows' arch, each as deep as the brow below rose;
  // a little wavy and uneven along their length, the top one shorter (evenly spaced straight grooves looked
  // drawn on).
  const rise = a.browRise;
  if (rise.some((r) => r > 0.05)) {
    const brow = Array.from({ length: 10 }, (_, k) => t(17 + k));
    const meanY = brow.reduce((s, p) => s + p[1], 0) / brow.length;
    for (const [lift, depth, phase, from, to] of [
      [0.28, 0.9, 0, 0, 9],
      [0.45, 1, 2.1, 0, 9],
      [0.6, 0.7, 4.4, 2, 7],
    ] as const) {
      const points = brow.map(
        ([x, y], k) =>
          [x, 0.35 * y + 0.65 * meanY - lift * iod + 0.012 * iod * Math.sin(1.3 * k + phase)] as Point,
      );
      out.push({
        points,
        depth: rise.map((r, k) =>
          k < from || k > to
            ? 0
            : T.foreheadDepth *
              depth *
              r *
              (k === from || k === to ? 0.3 : 1) *
              (0.75 + 0.25 * Math.sin(1.7 * k + phase)),
        ),
        width: 0.014 * iod,
        light: 0.2,
        lightSide: 0,
      });
    }
  }
  return out;
}

/** How much wider than the dark core the lighter edge is. */
const LIGHT_SPREAD = 1.8;

/** The bounding box of each segment of a polyline: 4 values (min x, min y, max x, max y) a segment. */
function segmentBoxes(points: Point[]): Float64Array {
  const boxes = new Float64Array(4 * (points.length - 1));
  for (let i = 0; i + 1 < points.length; i++) {
    const [ax, ay] = points[i]!;
    const [bx, by] = points[i + 1]!;
    boxes.set([Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)], 4 * i);
  }
  return boxes;
}

/**
 * Nearest point of a polyline within `cutoff`: distance, which side (+1 left of travel), and the depth interpolated
 * there; undefined when no point of it is that near. The segments are tried in order and the first at the least
 * distance wins, as if all were measured; a segment whose bounding box is already farther than the best so far (by
 * a margin far above rounding error) cannot win and is not measured: in the view around a crease most pixels are far
 * from most of its segments, and Math.hypot is the costly part.
 */
function nearest(
  c: Crease,
  boxes: Float64Array,
  x: number,
  y: number,
  cutoff: number,
): { distance: number; side: number; depth: number; along: number } | undefined {
  let best = Infinity;
  let bound = cutoff;
  let side = 0;
  let depth = 0;
  let along = 0;
  const n = c.points.length - 1;
  for (let i = 0; i < n; i++) {
    const dx = Math.max(boxes[4 * i]! - x, 0, x - boxes[4 * i + 2]!);
    const dy = Math.max(boxes[4 * i + 1]! - y, 0, y - boxes[4 * i + 3]!);
    if (dx * dx + dy * dy > bound * bound * (1 + 1e-9) + 1e-12) continue;
    const [ax, ay] = c.points[i]!;
    const ex = c.points[i + 1]![0] - ax;
    const ey = c.points[i + 1]![1] - ay;
    const len2 = ex * ex + ey * ey;
    const u = len2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * ex + (y - ay) * ey) / len2)) : 0;
    const d = Math.hypot(x - ax - u * ex, y - ay - u * ey);
    if (d < best) {
      best = d;
      bound = Math.min(bound, d);
      // y down: (ex·dy − ey·dx) < 0 is the left of travel as seen on screen
      side = ex * (y - ay) - ey * (x - ax) < 0 ? 1 : -1;
      depth = c.depth[i]! + (c.depth[i + 1]! - c.depth[i]!) * u;
      along = (i + u) / n;
    }
  }
  return best <= cutoff ? { distance: best, side, depth, along } : undefined;
}

/**
 * The log luma gain of the appearance the move from `own` to `target` (crop pixels) asks for, on a view of the
 * crop at `zoom` view pixels per crop pixel (side round(cropSize·zoom)), or null when nothing is active. Zero
 * wherever no crease reaches (outside a few IOD-sized boxes around the brows, the nose and the mouth).
 */
export function auLogGain(
  own: Landmarks,
  target: Landmarks,
  cropSize: number,
  zoom: number,
): Float32Array | null {
  const activations = auActivations(own, target);
  if (!hasAuAppearance(activations)) return null;
  const iod = interocularDistance(own);
  const side = Math.round(cropSize * zoom);
  const gain = new Float32Array(side * side);
  for (const c of creases(target, iod, activations)) {
    const reach = c.width * (2.2 + 2 * LIGHT_SPREAD);
    const xs = c.points.map((p) => p[0]);
    const ys = c.points.map((p) => p[1]);
    const x0 = Math.max(0, Math.floor((Math.min(...xs) - reach) * zoom));
    const x1 = Math.min(side - 1, Math.ceil((Math.max(...xs) + reach) * zoom));
    const y0 = Math.max(0, Math.floor((Math.min(...ys) - reach) * zoom));
    const y1 = Math.min(side - 1, Math.ceil((Math.max(...ys) + reach) * zoom));
    const w2 = c.width * c.width;
    const boxes = segmentBoxes(c.points);
    for (let y = y0; y <= y1; y++)
      for (let x = x0; x <= x1; x++) {
        const px = (x + 0.5) / zoom;
        const py = (y + 0.5) / zoom;
        const near = nearest(c, boxes, px, py, reach);
        if (near === undefined || near.depth <= 0) continue;
        // Past the polyline's ends the distance grows from the end point: round caps, already tapered to 0.
        const dark = Math.exp(-(near.distance * near.distance) / w2);
        // the bulge beside a crease is broad and soft; as narrow as the core it read as a raised ridge
        const edge = near.distance - 2.2 * c.width;
        const lit =
          c.light > 0 && (c.lightSide === 0 || c.lightSide === near.side)
            ? c.light * Math.exp(-(edge * edge) / (LIGHT_SPREAD * LIGHT_SPREAD * w2))
            : 0;
        gain[y * side + x] = gain[y * side + x]! + near.depth * (lit - dark);
      }
  }
  return gain;
}

/**
 * The luma of the face's skin in `crop` (its own landmarks `own`, crop pixels): the median over the nose bridge
 * and the upper cheeks, below the eyes. What a crease may darken is compared with it (creaseGate): a fringe of hair
 * over the forehead or the brows themselves are not skin and get no lines.
 */
export function skinLuma(crop: RgbImage, own: Landmarks): number {
  const centres: Point[] = [
    own[28]!,
    own[29]!,
    lerp(own[41]!, own[2]!, 0.35),
    lerp(own[46]!, own[14]!, 0.35),
    lerp(own[40]!, own[31]!, 0.5),
    lerp(own[47]!, own[35]!, 0.5),
  ];
  const values: number[] = [];
  for (const [cx, cy] of centres)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const x = Math.min(crop.width - 1, Math.max(0, Math.floor(cx) + dx));
        const y = Math.min(crop.height - 1, Math.max(0, Math.floor(cy) + dy));
        const o = (y * crop.width + x) * 3;
        values.push(0.299 * crop.data[o]! + 0.587 * crop.data[o + 1]! + 0.114 * crop.data[o + 2]!);
      }
  values.sort((a, b) => a - b);
  return values[values.length >> 1]!;
}

/**
 * Share (0..1) of a crease's gain a pixel of luma `l` takes, on a face whose skin has luma `skin`: all of it on
 * skin, none on what is much darker (hair: a fringe over the forehead, the brows), so a forehead line never
 * streaks across a fringe. Only the pixel's luma decides, the same for R, G and B: a gray photo stays gray.
 */
export function creaseGate(l: number, skin: number): number {
  const t = (l / Math.max(skin, 1) - 0.45) / 0.25;
  return t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t);
}

/** How much a crease's shadow saturates the skin per unit of log darkening (shadeSkin). */
const CREASE_SATURATION = 0.6;

/**
 * Applies a crease's log gain `log` (auLogGain, sampled at this pixel) to one pixel `rgb` (0..255, changed in
 * place), on a face whose skin has luma `skin`: only on skin (creaseGate). Skin in a crease's shadow is darker and
 * more saturated (light scattered under the skin comes back reddened); the same gain on all three channels made
 * gray strokes on pale skin. So the pixel's chroma (its channels minus its luma) grows with the darkening, and a
 * gray pixel, which has none, stays exactly gray.
 */
export function shadeSkin(rgb: { [c: number]: number }, log: number, skin: number): void {
  const luma = 0.299 * rgb[0]! + 0.587 * rgb[1]! + 0.114 * rgb[2]!;
  const gate = creaseGate(luma, skin);
  const gain = Math.exp(log * gate);
  const chroma = gain * (1 + CREASE_SATURATION * Math.max(0, -log * gate));
  for (let c = 0; c < 3; c++) rgb[c] = luma * gain + (rgb[c]! - luma) * chroma;
}
