/**
 * Closed eyelids where the target landmarks close an eye further than the photo has it open.
 *
 * A landmark warp can only squash the open eye (iris, sclera) into the closed eye's thin outline: a dark line,
 * not a lid. Method (in the spirit of the mouth interior, mouthInterior.ts, and of exemplar-based eye closing as
 * in Averbuch-Elor et al., "Bringing Portraits to Life", which fill a region from real skin rather than warping):
 * a **lid-skin fill**. Each pixel of the target eye's outline (landmarks 36–41 / 42–47, grown by a small margin
 * and feathered) takes a colour running from the photo's own skin in a thin band just above the fill (the upper
 * lid, below the brow's hair) to the skin just below it, both averaged across the column's neighbours, plus the
 * fine grain of the skin under the eye; a thin darker lash line follows the closed lid's lower edge. Colours are
 * mixed channel by channel from the photo's own pixels, so a grayscale photo stays gray.
 * The fill fades in with the closure (1 − target opening / own opening), as the mouth interior does with the
 * opening.
 *
 * Pure: no Node modules, so the web editor runs it too. Nothing here looks at an expression classifier.
 */
import type { Landmarks } from './landmarks.js';
import type { Point } from '../geometry/affine.js';
import { sampleBilinearFloat, type PixelBox, type RgbImage } from '../image/rgbImage.js';

/** Landmark indices of each eye (36–41, 42–47: corner, upper, upper, corner, lower, lower) and its brow. */
const EYES: ReadonlyArray<{ eye: readonly number[]; brow: readonly number[] }> = [
  { eye: [36, 37, 38, 39, 40, 41], brow: [17, 18, 19, 20, 21] },
  { eye: [42, 43, 44, 45, 46, 47], brow: [22, 23, 24, 25, 26] },
];

/** Eye opening: mean lid gap (upper 1–2 to lower 5–4) over the corner-to-corner width (0: closed). */
export function eyeOpening(eye: readonly Point[]): number {
  const width = Math.hypot(eye[3]![0] - eye[0]![0], eye[3]![1] - eye[0]![1]);
  if (width < 1e-6) return 0;
  return (eye[5]![1] - eye[1]![1] + (eye[4]![1] - eye[2]![1])) / 2 / width;
}

/**
 * Closure (1 − target / own opening) where a lid starts to show, and over how much more it fades in fully (a blink
 * closes 0.92). A squint (AU44 + 6: 0.59) or a smile's narrowed eyes still show the iris, and lid skin over them
 * would only wash it out; the squashed-eye line is a problem only as the eye nears closing. The ramp is short
 * because a part-strength lid is a translucent skin over a visible iris (blink@0.8 with a ramp from 0.6 showed it).
 */
export const CLOSURE_START = 0.75;
export const CLOSURE_RAMP = 0.15;

/** 0..1: how much closed lid an eye needs, given the photo's own opening. */
export function eyelidStrength(own: readonly Point[], target: readonly Point[]): number {
  const open = eyeOpening(own);
  if (open <= 0.02) return 0; // the photo's eye is closed already: its own lid is there
  const closure = 1 - Math.max(0, eyeOpening(target)) / open;
  const t = (closure - CLOSURE_START) / CLOSURE_RAMP;
  return t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t);
}

/** Margin grown around the eye outline (eye widths; the squashed iris blurs a little past it) and its feather. */
const MARGIN = 0.06;
const FEATHER = 0.14;
/**
 * Where the lid skin is read: from this far above the fill's top edge (eye widths), upwards, so that the fill
 * continues the skin just above it (a larger gap showed as a lighter patch: the lid is lit more than the socket).
 */
const SKIP = 0.02;
/**
 * The lid is read from a band this high (eye widths) just above the fill, and averaged across this width: read
 * from further up (up to 0.6 source rows per row, the first version) it copied the crease, the brow's lower hairs
 * and deep-set eyes' shadows into the lid as dark smudges and streaks (Canada 095m, 113m). What is left is smooth
 * skin in the colours just above the eye, turning into those just below it towards the lash line.
 */
const SOURCE_BAND = 0.04;
const SOURCE_SPAN = 0.2;
const SOURCE_TAPS = 7;
/** The brow landmarks run along the brow's middle; its hair reaches this far (eye widths) below them. */
const BROW_CLEARANCE = 0.12;
/** The lash line: how dark at its middle (share of luma taken), and its half-thickness (eye widths). */
const LASH_DARKEN = 0.5;
const LASH_WIDTH = 0.028;
/**
 * The landmark net puts the lower-lid points a little inside the visible eye: the warp leaves a strip of the
 * photo's sclera under the target's lower lid, this share of the photo's own lid gap (seen on the Canada photos).
 * The fill reaches that far down, and the lash line sits this share of the way into it.
 */
const BELOW = 0.3;
const LASH_AT = 0.6;
/**
 * The skin under the eye the lid turns into towards the lash line: read this far (eye widths) below the fill. The
 * first version relit the band above by a luma gain towards the skin further below (0.12–0.25 eye widths) and kept
 * the band's colour: on a dim photo with lit lids and shadowed sockets (cc0 lisa1) that gave a pale, gray patch
 * with a lighter rim, like goggles.
 */
const UNDER_EYE_SKIN = 0.03;

function points(landmarks: Landmarks, indices: readonly number[], zoom: number): Point[] {
  return indices.map((i) => [landmarks[i]![0] * zoom, landmarks[i]![1] * zoom] as Point);
}

/** y of the polyline through `line` (sorted by x) at x, held flat past its ends. */
function yAt(line: readonly Point[], x: number): number {
  if (x <= line[0]![0]) return line[0]![1];
  for (let i = 1; i < line.length; i++) {
    const [ax, ay] = line[i - 1]!;
    const [bx, by] = line[i]!;
    if (x <= bx) return bx - ax < 1e-9 ? by : ay + ((by - ay) * (x - ax)) / (bx - ax);
  }
  return line[line.length - 1]![1];
}

function sortedByX(line: Point[]): Point[] {
  return [...line].sort((a, b) => a[0] - b[0]);
}

/** The mean of SOURCE_TAPS bilinear samples along a horizontal line `span` wide centred on (x, y), into rgb. */
function sampleAcross(view: RgbImage, x: number, y: number, span: number, rgb: Float64Array): void {
  let r = 0;
  let g = 0;
  let b = 0;
  for (let k = 0; k < SOURCE_TAPS; k++) {
    sampleBilinearFloat(view, x + span * (k / (SOURCE_TAPS - 1) - 0.5), y, rgb);
    r += rgb[0]!;
    g += rgb[1]!;
    b += rgb[2]!;
  }
  rgb[0] = r / SOURCE_TAPS;
  rgb[1] = g / SOURCE_TAPS;
  rgb[2] = b / SOURCE_TAPS;
}

/** The mean of sampleAcross over three rows `height` apart in all, centred on y, into rgb. */
function sampleBand(
  view: RgbImage,
  x: number,
  y: number,
  height: number,
  span: number,
  rgb: Float64Array,
): void {
  let r = 0;
  let g = 0;
  let b = 0;
  for (const dy of [-0.5, 0, 0.5]) {
    sampleAcross(view, x, y + dy * height, span, rgb);
    r += rgb[0]!;
    g += rgb[1]!;
    b += rgb[2]!;
  }
  rgb[0] = r / 3;
  rgb[1] = g / 3;
  rgb[2] = b / 3;
}

/** How far (levels) the grain may move a channel: a dark pore or a lash under the eye must not print as a spot. */
const GRAIN_LIMIT = 14;

// Scratch for grainAt, which runs for every lid pixel (no allocation per pixel).
const GRAIN_TAP = new Float64Array(3);
const GRAIN_CENTRE = new Float64Array(3);

/** The fine texture at (x, y): the pixel minus the mean of its four neighbours 2 pixels away, within GRAIN_LIMIT. */
function grainAt(view: RgbImage, x: number, y: number, out: Float64Array): void {
  const tap = GRAIN_TAP;
  sampleBilinearFloat(view, x, y, tap);
  const centre = GRAIN_CENTRE;
  centre.set(tap);
  out[0] = out[1] = out[2] = 0;
  for (const [dx, dy] of [
    [-2, 0],
    [2, 0],
    [0, -2],
    [0, 2],
  ] as const) {
    sampleBilinearFloat(view, x + dx, y + dy, tap);
    for (let c = 0; c < 3; c++) out[c] = out[c]! + tap[c]! / 4;
  }
  for (let c = 0; c < 3; c++) out[c] = Math.max(-GRAIN_LIMIT, Math.min(GRAIN_LIMIT, centre[c]! - out[c]!));
}

/** y at x of the parabola through three points (distinct x). */
function parabola(through: readonly [Point, Point, Point], x: number): number {
  const [[x0, y0], [x1, y1], [x2, y2]] = through;
  return (
    (y0 * (x - x1) * (x - x2)) / ((x0 - x1) * (x0 - x2)) +
    (y1 * (x - x0) * (x - x2)) / ((x1 - x0) * (x1 - x2)) +
    (y2 * (x - x0) * (x - x1)) / ((x2 - x0) * (x2 - x1))
  );
}

interface EyeGeometry {
  lashCurve: [Point, Point, Point];
  upper: Point[];
  lower: Point[];
  brow: Point[];
  width: number;
  left: number;
  right: number;
}

function eyeGeometry(
  target: Landmarks,
  eye: readonly number[],
  brow: readonly number[],
  zoom: number,
  warped: Landmarks = target,
): EyeGeometry {
  const p = points(target, eye, zoom);
  const w = points(warped, eye, zoom);
  const width = Math.hypot(p[3]![0] - p[0]![0], p[3]![1] - p[0]![1]);
  const [left, right] = p[0]![0] <= p[3]![0] ? [p[0]!, p[3]!] : [p[3]!, p[0]!];
  const middle: Point = [(p[4]![0] + p[5]![0]) / 2, (p[4]![1] + p[5]![1]) / 2];
  const degenerate = Math.abs(middle[0] - left[0]) < 1e-3 || Math.abs(right[0] - middle[0]) < 1e-3;
  return {
    lashCurve: degenerate
      ? [left, [(left[0] + right[0]) / 2 + 1e-3, (left[1] + right[1]) / 2], right]
      : [left, middle, right],
    upper: sortedByX([w[0]!, w[1]!, w[2]!, w[3]!]),
    lower: sortedByX([p[0]!, p[5]!, p[4]!, p[3]!]),
    brow: sortedByX(points(target, brow, zoom)),
    width,
    left: Math.min(p[0]![0], p[3]![0]),
    right: Math.max(p[0]![0], p[3]![0]),
  };
}

/**
 * Paint one closed lid into `out` (a copy of `view`), reading `view` only. `below`: how far under the target's
 * lower lid the photo's eye may still show (view pixels).
 */
function paintLid(
  view: RgbImage,
  out: RgbImage,
  g: EyeGeometry,
  strength: number,
  below: number,
  cover?: Float32Array,
): void {
  const margin = MARGIN * g.width;
  const feather = Math.max(FEATHER * g.width, 0.75);
  const reach = margin + feather;
  const span = g.right - g.left;
  const rgb = new Float64Array(3);
  const above = new Float64Array(3);
  const under = new Float64Array(3);
  const grain = new Float64Array(3);

  // The row the lid skin is read along: just above the highest point of the fill.
  const readRow = Math.min(...g.upper.map((p) => p[1])) - reach - (SKIP + SOURCE_BAND / 2) * g.width;
  const x0 = Math.max(0, Math.floor(g.left - reach));
  const x1 = Math.min(view.width - 1, Math.ceil(g.right + reach));
  for (let px = x0; px <= x1; px++) {
    const x = px + 0.5;
    const top = yAt(g.upper, x);
    const bottom = Math.max(top, yAt(g.lower, x));
    // Past the corners the region narrows to a point: the weight fades with the horizontal distance too.
    const outside = Math.max(0, g.left - x, x - g.right);
    const fillTop = top - reach;
    const fillBottom = bottom + below + reach;
    const y0 = Math.max(0, Math.floor(fillTop));
    const y1 = Math.min(view.height - 1, Math.ceil(fillBottom));
    // The lash line: the closed lid's lower edge, thinning towards the corners.
    const u = span > 1e-6 ? (x - g.left) / span : 0.5;
    const taper = u <= 0 || u >= 1 ? 0 : Math.sqrt(Math.sin(Math.PI * u));
    const lashWidth = Math.max(LASH_WIDTH * g.width, 0.6);
    const brow = yAt(g.brow, x);
    // The lash line follows a smooth curve (a parabola through the corners and the lower lid's middle), not the
    // landmarks' polyline, whose kinks showed as a bent line.
    const lashY = parabola(g.lashCurve, x);
    // The lid's colour runs from the skin just above the fill to the skin just below it (each averaged across
    // the column's neighbours): continuous with both edges, so no lighter or darker rim around the closed eye.
    // (read along one row above the whole fill, not above each column's top: towards the corners the upper lid
    // drops steeply, and a read point following it ran down onto the lashes there, a lighter patch with a straight
    // edge beside the lid's outer third, Canada 003f)
    const srcY = Math.max(brow + BROW_CLEARANCE * g.width, readRow);
    sampleBand(view, x, srcY, SOURCE_BAND * g.width, SOURCE_SPAN * g.width, above);
    sampleBand(
      view,
      x,
      fillBottom + UNDER_EYE_SKIN * g.width,
      SOURCE_BAND * g.width,
      SOURCE_SPAN * g.width,
      under,
    );
    // The skin's grain (pores, the photo's noise) comes from the skin under the eye, moved up by the fill's height:
    // a smooth lid on a grainy photo looked like a patch stuck on.
    const grainShift = fillBottom - fillTop + UNDER_EYE_SKIN * g.width;
    for (let py = y0; py <= y1; py++) {
      const y = py + 0.5;
      const vertical = y < top ? top - y : y > bottom + below ? y - bottom - below : 0;
      const distance = Math.hypot(Math.max(0, vertical - margin), Math.max(0, outside - margin));
      const edge = distance >= feather ? 0 : 1 - distance / feather;
      const weight = strength * edge * edge * (3 - 2 * edge);
      if (weight <= 0) continue;
      const t = fillBottom > fillTop ? (y - fillTop) / (fillBottom - fillTop) : 0;
      const depth = t * t * (3 - 2 * t);
      grainAt(view, x, y + grainShift, grain);
      for (let c = 0; c < 3; c++) rgb[c] = above[c]! + depth * (under[c]! - above[c]!) + grain[c]!;
      const lash = (y - lashY - LASH_AT * below) / lashWidth;
      const gain = 1 - LASH_DARKEN * taper * Math.exp(-lash * lash);
      if (cover) cover[py * view.width + px] = Math.max(cover[py * view.width + px]!, weight);
      const o = (py * view.width + px) * 3;
      for (let c = 0; c < 3; c++) {
        const v = view.data[o + c]! + weight * (rgb[c]! * gain - view.data[o + c]!);
        out.data[o + c] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
      }
    }
  }
}

/**
 * The warped face view (`zoom` view pixels per crop pixel) with closed lids where `target` (crop pixels) closes an
 * eye beyond `own`. The view itself when neither eye closes.
 */
export function addEyelids(
  view: RgbImage,
  zoom: number,
  own: Landmarks,
  target: Landmarks,
  /** If given (1 per view pixel), how much of each pixel the lids painted over (0..1) is written here. */
  cover?: Float32Array,
  /** The landmarks the view was warped to, when not `target` (lidWarpTarget). */
  warped: Landmarks = target,
): RgbImage {
  let out: RgbImage | null = null;
  for (const { eye, brow } of EYES) {
    const strength = eyelidStrength(points(own, eye, 1), points(target, eye, 1));
    if (strength <= 0) continue;
    out ??= { width: view.width, height: view.height, data: view.data.slice() };
    const mine = points(own, eye, zoom);
    const gap = Math.max(0, (mine[5]![1] - mine[1]![1] + (mine[4]![1] - mine[2]![1])) / 2);
    paintLid(view, out, eyeGeometry(target, eye, brow, zoom, warped), strength, BELOW * gap, cover);
  }
  return out ?? view;
}

/** Whether addEyelids would paint anything (a caller can skip making the view). */
export function paintsEyelids(own: Landmarks, target: Landmarks): boolean {
  return EYES.some(({ eye }) => eyelidStrength(points(own, eye, 1), points(target, eye, 1)) > 0);
}

/**
 * A box holding every view pixel addEyelids may read or paint for `target` (crop pixels, `zoom` view pixels per
 * crop pixel): both eyes with their margins, the lid skin up to the brows, the skin under the eyes. Not clipped.
 */
export function eyelidReadBox(target: Landmarks, zoom: number, warped: Landmarks = target): PixelBox {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const { eye, brow } of EYES) {
    const g = eyeGeometry(target, eye, brow, zoom, warped);
    const reach = (MARGIN + FEATHER) * g.width + 1;
    const across = (SOURCE_SPAN / 2) * g.width;
    xs.push(g.left - reach - across, g.right + reach + across);
    ys.push(...g.brow.map((p) => p[1]), ...g.upper.map((p) => p[1] - reach));
    // The skin under the fill, and the grain read from below it, moved up by the fill's whole height.
    const lowest = Math.max(...g.lower.map((p) => p[1]));
    const highest = Math.min(...g.upper.map((p) => p[1]));
    ys.push(
      lowest +
        (lowest - highest) +
        2 * BELOW * g.width +
        3 * reach +
        (UNDER_EYE_SKIN + SOURCE_BAND) * g.width +
        3,
    );
  }
  return {
    x0: Math.floor(Math.min(...xs)),
    x1: Math.ceil(Math.max(...xs)),
    y0: Math.floor(Math.min(...ys)),
    y1: Math.ceil(Math.max(...ys)),
  };
}

/**
 * The landmarks to warp the photo to when lids are painted: `target`, except that the upper lid of an eye that
 * closes keeps the photo's own height above its lower lid, once the lid is nearly opaque (eyelidStrength⁴). In a
 * blink the skin above the lashes stays where it is and the lid slides out from under it; dragging that skin down
 * with the lid landmarks bent the photo's own lash line and crease into hooks at the eye corners.
 */
export function lidWarpTarget(own: Landmarks, target: Landmarks): Landmarks {
  let out: Landmarks | null = null;
  for (const { eye } of EYES) {
    const strength = eyelidStrength(points(own, eye, 1), points(target, eye, 1));
    if (strength <= 0) continue;
    // Held late: while the lid is still translucent the eye under it must keep closing. Held as fast as the lid
    // fades in, the eye reopened under it in the frames of an animated blink (blink@0.84 → 0.88 showed a larger
    // iris); with the fourth power the visible eye, (1 − strength) × its warped opening, shrinks all the way.
    const s = strength ** 4;
    out ??= target.map((p) => [p[0], p[1]] as Point);
    // Upper points 1, 2 of the eye over lower points 5, 4.
    for (const [up, low] of [
      [eye[1]!, eye[5]!],
      [eye[2]!, eye[4]!],
    ] as const) {
      const ownGap: Point = [own[up]![0] - own[low]![0], own[up]![1] - own[low]![1]];
      const targetGap: Point = [target[up]![0] - target[low]![0], target[up]![1] - target[low]![1]];
      out[up] = [
        target[low]![0] + targetGap[0] + s * (ownGap[0] - targetGap[0]),
        target[low]![1] + targetGap[1] + s * (ownGap[1] - targetGap[1]),
      ];
    }
  }
  return out ?? target;
}
