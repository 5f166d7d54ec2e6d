/**
 * The "warp" paste: geometry from the landmarks at photo resolution, appearance from the generator.
 *
 * The generator's 64-px output is blurry next to a photo; its landmark-driven geometry can be reproduced sharply
 * by warping the photo's own face region (piecewise-affine, own landmarks → target landmarks). What the warp cannot
 * make (teeth, creases, shading) is the generator's output minus its own rendering of the input moved by the same
 * warp; that difference is enlarged and added. With a well-trained generator the difference carries the new
 * appearance; with a weak one the result degrades towards the warp alone, never towards a blurry face.
 *
 * The geometry covers the whole aligned crop, not just the face: a smile or an open mouth moves the jaw line and
 * the chin, and the warp fades to nothing at the crop's border. Each photo pixel samples the photo once, at the
 * position the warp brings there (pasteWarpedFace), so a pixel the warp does not move comes back exactly and a
 * moved one is interpolated once, at the photo's own resolution. The appearance layers (the generator's change,
 * the ratio images' shading) stay inside the face mask; the mouth interior inside the lips.
 */
import { applyAffine, composeAffine, invertAffine, type Affine } from '../geometry/affine.js';
import { warpAffineCached } from '../image/warpAffineCache.js';
import type { Landmarks } from '../face/landmarks.js';
import { BackwardWarp, piecewiseAffineWarp } from '../image/piecewiseAffineWarp.js';
import { sampleGrid, type PixelBox, type RgbImage } from '../image/rgbImage.js';
import { limitChroma } from '../image/palette.js';
import { photoBox, removeColourDrift } from './paste.js';
import { shadeSkin } from '../face/auAppearance.js';

/**
 * The generator's appearance change on the crop's grid (3 values a pixel): generated − (its rendering of the input,
 * moved by the same warp), its overall colour drift removed, its chroma limited to `chromaAllowance` (palette.ts:
 * 0 for a grayscale photo), and weighted by `faceMask` (crop-size, 0..1): outside the face only geometry changes.
 */
export function appearanceChange(
  generated: RgbImage,
  generatedOwn: RgbImage,
  own: Landmarks,
  target: Landmarks,
  faceMask: Float32Array,
  chromaAllowance = 1,
): Float32Array {
  const moved = piecewiseAffineWarp(generatedOwn, own, target);
  const centred = removeColourDrift(generated, moved, faceMask);
  const diff = new Float32Array(generated.data.length);
  for (let i = 0; i < diff.length; i += 3)
    limitChroma(
      centred.data[i]! - moved.data[i]!,
      centred.data[i + 1]! - moved.data[i + 1]!,
      centred.data[i + 2]! - moved.data[i + 2]!,
      chromaAllowance,
      diff,
      i,
    );
  for (let i = 0; i < diff.length; i++) diff[i] = diff[i]! * faceMask[Math.floor(i / 3)]!;
  return diff;
}

/** What the warp paste adds to the warped photo, each optional. */
export interface WarpLayers {
  /** appearanceChange(), on the crop's grid. */
  change?: Float32Array | null;
  /** Log luma gain on the crop's grid (ratio images), multiplying all three channels. */
  logGain?: Float32Array | null;
  /**
   * Log luma gain on a finer grid, `zoom` grid pixels a crop pixel (the creases of auAppearance.ts, too thin for
   * the crop's grid), multiplying all three channels like logGain, where the pixel is skin (creaseGate against
   * `skinLuma`, the face's skin luma).
   */
  shade?: { logGain: Float32Array; zoom: number; skinLuma: number } | null;
  /** A change painted on the view (the mouth interior): 3 values per view pixel, `zoom` view pixels a crop pixel. */
  detail?: {
    values: Float32Array;
    zoom: number;
    /**
     * Where the painted view replaces the warp outright (closed eyelids): 1 value per view pixel, 0..1, and the
     * painted view itself (3 values per view pixel). There the warp at the photo's resolution is not the view's: in
     * a squashed eye, a hair's difference in where the thin iris strip is sampled would leak through an added change.
     */
    cover?: { alpha: Float32Array; painted: Float32Array };
  } | null;
}

/**
 * How far outside the crop (a share of its side) the warp's control frame may lie. On the crop's own border, a
 * target that took the chin to the border (a dropped jaw on a face whose chin is low in the crop: AU26 at 1 brought
 * canada/147m's to 0.996 of the way down) folded the triangles below it and left a hard seam where the paste ended:
 * a vertical line down the chin and a horizontal one across the neck. Only the paste and its face view use the
 * frame; the generator's warped input keeps the crop's border, as it was trained.
 */
export const WARP_MARGIN = 0.25;

/**
 * The frame margin (crop pixels) for pasting into `photo`: WARP_MARGIN of the crop, or less, as far as the photo
 * reaches past the crop on every side (the warp must not pull in pixels from beyond the photo's edge, which are
 * only its border repeated). 0 when the crop is the whole photo (the evaluation pastes into the crop itself).
 */
export function warpFrameMargin(photo: RgbImage, toCrop: Affine, cropSize: number): number {
  const toPhoto = invertAffine(toCrop);
  let margin = WARP_MARGIN * cropSize;
  for (const [cx, cy, dx, dy] of [
    [0, 0, -1, -1],
    [cropSize, 0, 1, -1],
    [cropSize, cropSize, 1, 1],
    [0, cropSize, -1, 1],
  ] as const) {
    // the crop's corner pushed out by m along (dx, dy) lands at p + m·v in the photo
    const p = applyAffine(toPhoto, [cx, cy]);
    const v = [toPhoto[0] * dx + toPhoto[1] * dy, toPhoto[3] * dx + toPhoto[4] * dy];
    for (const [at, step, limit] of [
      [p[0], v[0]!, photo.width],
      [p[1], v[1]!, photo.height],
    ] as const) {
      if (at < 0 || at > limit) return 0; // the crop itself reaches past the photo here
      if (step > 0) margin = Math.min(margin, (limit - at) / step);
      if (step < 0) margin = Math.min(margin, at / -step);
    }
  }
  return Math.max(0, margin);
}

/**
 * The face region of `photo` at `viewSize` px (aligned like the crops), warped from `own` to `target` (crop pixels),
 * with the change and the gain: what the mouth interior is painted on (it matches the skin around the lips).
 */
export function warpedFaceView(
  photo: RgbImage,
  toCrop: Affine,
  cropSize: number,
  viewSize: number,
  own: Landmarks,
  target: Landmarks,
  layers: WarpLayers = {},
  /** The view pixels the caller will read (default: all); the others are left as the unwarped view. */
  region?: PixelBox,
  /** The warp's frame margin in crop pixels (warpFrameMargin): the paste's, so that the two warp alike. */
  margin = 0,
): { view: RgbImage; toView: Affine } {
  const zoom = viewSize / cropSize;
  const toView = composeAffine([zoom, 0, 0, 0, zoom, 0], toCrop);
  const scale = (points: Landmarks): Landmarks => points.map(([x, y]) => [x * zoom, y * zoom]);
  const view = piecewiseAffineWarp(
    warpAffineCached(photo, toView, viewSize, viewSize),
    scale(own),
    scale(target),
    region,
    margin * zoom,
  );
  if (!layers.change && !layers.logGain && !layers.shade) return { view, toView };
  const out: RgbImage = { width: viewSize, height: viewSize, data: view.data.slice() };
  const rgb = new Float64Array(3);
  const x0 = Math.max(0, region?.x0 ?? 0);
  const x1 = Math.min(viewSize - 1, region?.x1 ?? viewSize - 1);
  const y0 = Math.max(0, region?.y0 ?? 0);
  const y1 = Math.min(viewSize - 1, region?.y1 ?? viewSize - 1);
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      const o = (y * viewSize + x) * 3;
      for (let c = 0; c < 3; c++) rgb[c] = view.data[o + c]!;
      addLayers(
        rgb,
        layers.change,
        layers.logGain,
        layers.shade,
        layers.detail,
        cropSize,
        (x + 0.5) / zoom,
        (y + 0.5) / zoom,
      );
      for (let c = 0; c < 3; c++) out.data[o + c] = toByte(rgb[c]!);
    }
  return { view: out, toView };
}

/**
 * The photo with its aligned crop region (`toCrop`: photo pixels → crop pixels) warped from `own` to `target` and the
 * layers added. Every photo pixel inside the crop samples the photo once where the warp takes it from; outside the
 * crop, and wherever the warp moves nothing and no layer adds anything, the photo is unchanged.
 *
 * Written for speed, with the arithmetic of the plain per-pixel version (test/transfer/warpPasteLoop.test.ts keeps
 * that version and compares bit for bit): a pixel the warp leaves in place and whose layer taps are all zero is
 * not computed at all (its byte is the photo's, already copied), the bilinear sample is inlined, and each layer is
 * evaluated only where one of its taps is non-zero (adding an exact zero, or multiplying by exp(0) = 1, changes
 * nothing).
 */
export function pasteWarpedFace(
  photo: RgbImage,
  toCrop: Affine,
  cropSize: number,
  own: Landmarks,
  target: Landmarks,
  layers: WarpLayers,
  /** cells per crop pixel of the warp's triangle lookup (about the photo's pixels per crop pixel) */
  grid: number,
  /** How far past the crop (crop pixels) the warp's control frame lies: warpFrameMargin; 0 on its border. */
  margin = 0,
): RgbImage {
  const out: RgbImage = { width: photo.width, height: photo.height, data: Uint8Array.from(photo.data) };
  const warp = new BackwardWarp(own, target, cropSize, grid, margin);
  const toPhoto = invertAffine(toCrop);
  // The warp's whole frame, past the crop (a dropped chin moves the skin below the crop's border too); the layers
  // stay inside the crop.
  const box = photoBox(toCrop, [
    [-margin, -margin],
    [cropSize + margin, -margin],
    [cropSize + margin, cropSize + margin],
    [-margin, cropSize + margin],
  ]);
  const x0 = Math.max(0, Math.floor(box.minX));
  const x1 = Math.min(photo.width - 1, Math.ceil(box.maxX));
  const y0 = Math.max(0, Math.floor(box.minY));
  const y1 = Math.min(photo.height - 1, Math.ceil(box.maxY));
  const { width: sw, height: sh, data: src } = photo;
  const dst = out.data;
  const { change, logGain, shade, detail } = layers;
  // Per crop-grid cell whose four taps the change and the gain read (as addLayers works them out): bit 1, the change
  // adds something there; bit 2, the gain does.
  const activeTaps = new Uint8Array(cropSize * cropSize);
  if (change) activeTaps.set(loudTaps(change, cropSize, 3, 1));
  if (logGain) {
    const gain = loudTaps(logGain, cropSize, 1, 2);
    for (let i = 0; i < gain.length; i++) activeTaps[i] = activeTaps[i]! | gain[i]!;
  }
  const detailReach = detail ? tapReach(detailTapBox(detail, cropSize)) : null;
  const shadeReach = shade
    ? tapReach(tapBox(Math.round(cropSize * shade.zoom), shade.zoom, (p) => shade.logGain[p] !== 0))
    : null;
  const [t0, t1, t2, t3, t4, t5] = toCrop;
  const [p0, p1, p2, p3, p4, p5] = toPhoto;
  const { cells, maps, side, span } = warp;
  const rgb = new Float64Array(3);
  const lo = -margin;
  const hi = cropSize + margin;
  for (let y = y0; y <= y1; y++) {
    const py = y + 0.5;
    const t1py = t1 * py;
    const t4py = t4 * py;
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      const qx = t0 * px + t1py + t2;
      const qy = t3 * px + t4py + t5;
      if (qx < lo || qy < lo || qx >= hi || qy >= hi) continue;
      let withChange = false;
      let withGain = false;
      let withDetail = false;
      let withShade = false;
      if (qx >= 0 && qy >= 0 && qx < cropSize && qy < cropSize) {
        // the cell addLayers reads: floor of min(cropSize − 1, max(0, q − 0.5)), the min never binding inside the crop
        const active = activeTaps[(Math.max(0, qy - 0.5) | 0) * cropSize + (Math.max(0, qx - 0.5) | 0)]!;
        withChange = (active & 1) !== 0;
        withGain = (active & 2) !== 0;
        withDetail = detailReach !== null && reaches(detailReach, qx, qy);
        withShade = shadeReach !== null && reaches(shadeReach, qx, qy);
      }
      const layered = withChange || withGain || withShade || withDetail;
      // BackwardWarp.map, inlined: the same cell (q + margin ≥ 0 here, so truncation is the floor), the same map.
      const cx = Math.min(side - 1, (((qx + margin) * side) / span) | 0);
      const cy = Math.min(side - 1, (((qy + margin) * side) / span) | 0);
      const triangle = cells[cy * side + cx]!;
      let fromX = qx;
      let fromY = qy;
      if (triangle >= 0) {
        const m = 6 * triangle;
        fromX = maps[m]! * qx + maps[m + 1]! * qy + maps[m + 2]!;
        fromY = maps[m + 3]! * qx + maps[m + 4]! * qy + maps[m + 5]!;
      }
      const sx = p0 * fromX + p1 * fromY + p2;
      const sy = p3 * fromX + p4 * fromY + p5;
      const o = (y * sw + x) * 3;
      // Unmoved (up to rounding far below a pixel): the photo's own pixel, not an interpolation of it.
      const unmoved = Math.abs(sx - px) < 1e-6 && Math.abs(sy - py) < 1e-6;
      if (unmoved && !layered) continue; // already the photo's
      if (unmoved) {
        rgb[0] = src[o]!;
        rgb[1] = src[o + 1]!;
        rgb[2] = src[o + 2]!;
      } else {
        // sampleBilinear, inlined: its taps, weights and rounding (clamped coordinates are ≥ 0: truncation floors).
        let bx = sx - 0.5;
        let by = sy - 0.5;
        bx = bx < 0 ? 0 : bx > sw - 1 ? sw - 1 : bx;
        by = by < 0 ? 0 : by > sh - 1 ? sh - 1 : by;
        const ax = bx | 0;
        const ay = by | 0;
        const ex = Math.min(ax + 1, sw - 1);
        const ey = Math.min(ay + 1, sh - 1);
        const fx = bx - ax;
        const fy = by - ay;
        const gx0 = 1 - fx;
        const gy0 = 1 - fy;
        const i00 = (ay * sw + ax) * 3;
        const i01 = (ay * sw + ex) * 3;
        const i10 = (ey * sw + ax) * 3;
        const i11 = (ey * sw + ex) * 3;
        const r = Math.round(
          (src[i00]! * gx0 + src[i01]! * fx) * gy0 + (src[i10]! * gx0 + src[i11]! * fx) * fy,
        );
        const g = Math.round(
          (src[i00 + 1]! * gx0 + src[i01 + 1]! * fx) * gy0 + (src[i10 + 1]! * gx0 + src[i11 + 1]! * fx) * fy,
        );
        const b = Math.round(
          (src[i00 + 2]! * gx0 + src[i01 + 2]! * fx) * gy0 + (src[i10 + 2]! * gx0 + src[i11 + 2]! * fx) * fy,
        );
        if (!layered) {
          // bytes already: toByte leaves them as they are
          dst[o] = r;
          dst[o + 1] = g;
          dst[o + 2] = b;
          continue;
        }
        rgb[0] = r;
        rgb[1] = g;
        rgb[2] = b;
      }
      addLayers(
        rgb,
        withChange ? change : null,
        withGain ? logGain : null,
        withShade ? shade : null,
        withDetail ? detail : null,
        cropSize,
        qx,
        qy,
      );
      dst[o] = toByte(rgb[0]!);
      dst[o + 1] = toByte(rgb[1]!);
      dst[o + 2] = toByte(rgb[2]!);
    }
  }
  return out;
}

/**
 * Per cell (x, y) of a size × size grid: `mark` when any of the four bilinear taps a point in [x, x + 1) × [y, y + 1)
 * (after the half-pixel shift) reads — (x, y), (x + 1, y), (x, y + 1), (x + 1, y + 1), clamped at the border — is not
 * 0 in some channel, else 0.
 */
function loudTaps(values: Float32Array, size: number, channels: number, mark: number): Uint8Array {
  const zeroCell = new Uint8Array(size * size);
  for (let i = 0; i < size * size; i++) {
    let zero = 1;
    for (let c = 0; c < channels; c++) if (values[i * channels + c] !== 0) zero = 0;
    zeroCell[i] = zero;
  }
  const loud = new Uint8Array(size * size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const xb = Math.min(x + 1, size - 1);
      const yb = Math.min(y + 1, size - 1);
      const quiet =
        zeroCell[y * size + x]! &
        zeroCell[y * size + xb]! &
        zeroCell[yb * size + x]! &
        zeroCell[yb * size + xb]!;
      loud[y * size + x] = quiet ? 0 : mark;
    }
  return loud;
}

/** A grid's cells (`side` a side, `zoom` a crop pixel) that hold non-zero values: their bounding box. */
interface TapBox {
  side: number;
  zoom: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * The bounding box of the cells of a `side` × `side` grid (`zoom` cells a crop pixel) where `set` holds: where every
 * bilinear tap sampleGrid reads lies outside it, the layer adds nothing. Empty: x1 = -1.
 */
function tapBox(side: number, zoom: number, set: (cell: number) => boolean): TapBox {
  const box = { side, zoom, x0: side, x1: -1, y0: side, y1: -1 };
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      if (!set(y * side + x)) continue;
      if (x < box.x0) box.x0 = x;
      if (x > box.x1) box.x1 = x;
      if (y < box.y0) box.y0 = y;
      if (y > box.y1) box.y1 = y;
    }
  return box;
}

/** The detail layer's box: its non-zero values and the cover's non-zero alpha. */
function detailTapBox(detail: NonNullable<WarpLayers['detail']>, cropSize: number): TapBox {
  const { values, zoom, cover } = detail;
  return tapBox(
    Math.round(cropSize * zoom),
    zoom,
    (p) =>
      values[3 * p] !== 0 ||
      values[3 * p + 1] !== 0 ||
      values[3 * p + 2] !== 0 ||
      (cover !== undefined && cover.alpha[p] !== 0),
  );
}

/**
 * Where the taps sampleGrid reads at crop position (qx, qy) reach into a TapBox, as thresholds on v = q × zoom − 0.5
 * per axis. The taps reach it when their first tap t = floor(min(side − 1, max(0, v))) and the next, t + 1, meet
 * [x0, x1]: t ≥ x0 − 1, which holds always when x0 ≤ 1 and otherwise exactly when v ≥ x0 − 1; and t ≤ x1, which
 * holds always when x1 is the last cell and otherwise exactly when v < x1 + 1. The same comparisons without the
 * floor, min and max: null for an empty box, which no tap reaches.
 */
interface TapReach {
  zoom: number;
  /** v ≥ from (−∞: always) and v < to (∞: always), per axis. */
  fromX: number;
  toX: number;
  fromY: number;
  toY: number;
}

function tapReach(box: TapBox): TapReach | null {
  if (box.x1 < 0) return null;
  const from = (first: number): number => (first - 1 <= 0 ? -Infinity : first - 1);
  const to = (last: number): number => (last >= box.side - 1 ? Infinity : last + 1);
  return { zoom: box.zoom, fromX: from(box.x0), toX: to(box.x1), fromY: from(box.y0), toY: to(box.y1) };
}

function reaches(reach: TapReach, qx: number, qy: number): boolean {
  const vx = qx * reach.zoom - 0.5;
  const vy = qy * reach.zoom - 0.5;
  return vx >= reach.fromX && vx < reach.toX && vy >= reach.fromY && vy < reach.toY;
}

/**
 * rgb + change, times the gain and the shade, plus the detail; at crop position (qx, qy). The change and the gain share their
 * bilinear taps on the crop's grid, worked out once (the same taps and sums sampleGrid makes).
 */
function addLayers(
  rgb: Float64Array,
  change: Float32Array | null | undefined,
  logGain: Float32Array | null | undefined,
  shade: WarpLayers['shade'],
  detail: WarpLayers['detail'],
  cropSize: number,
  qx: number,
  qy: number,
): void {
  if (change || logGain) {
    const sx = Math.min(cropSize - 1, Math.max(0, qx - 0.5));
    const sy = Math.min(cropSize - 1, Math.max(0, qy - 0.5));
    const x0 = Math.floor(sx);
    const y0 = Math.floor(sy);
    const x1 = Math.min(x0 + 1, cropSize - 1);
    const y1 = Math.min(y0 + 1, cropSize - 1);
    const fx = sx - x0;
    const fy = sy - y0;
    const i00 = y0 * cropSize + x0;
    const i01 = y0 * cropSize + x1;
    const i10 = y1 * cropSize + x0;
    const i11 = y1 * cropSize + x1;
    if (change)
      for (let c = 0; c < 3; c++)
        rgb[c] =
          rgb[c]! +
          ((change[i00 * 3 + c]! * (1 - fx) + change[i01 * 3 + c]! * fx) * (1 - fy) +
            (change[i10 * 3 + c]! * (1 - fx) + change[i11 * 3 + c]! * fx) * fy);
    if (logGain) {
      const gain = Math.exp(
        (logGain[i00]! * (1 - fx) + logGain[i01]! * fx) * (1 - fy) +
          (logGain[i10]! * (1 - fx) + logGain[i11]! * fx) * fy,
      );
      for (let c = 0; c < 3; c++) rgb[c] = rgb[c]! * gain;
    }
  }
  if (shade) {
    const side = Math.round(cropSize * shade.zoom);
    const log = sampleGrid(shade.logGain, side, qx * shade.zoom, qy * shade.zoom);
    // on skin only (not on hair over the forehead), darker and more saturated: shadeSkin
    if (log !== 0) shadeSkin(rgb, log, shade.skinLuma);
  }
  if (detail) {
    const { values, zoom, cover } = detail;
    const side = Math.round(cropSize * zoom);
    for (let c = 0; c < 3; c++) rgb[c] = rgb[c]! + sampleGrid(values, side, qx * zoom, qy * zoom, 3, c);
    if (cover) {
      const alpha = sampleGrid(cover.alpha, side, qx * zoom, qy * zoom);
      if (alpha > 0)
        for (let c = 0; c < 3; c++)
          rgb[c] = rgb[c]! + alpha * (sampleGrid(cover.painted, side, qx * zoom, qy * zoom, 3, c) - rgb[c]!);
    }
  }
}

function toByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
