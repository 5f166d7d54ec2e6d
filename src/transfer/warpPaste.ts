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
import { composeAffine, invertAffine, type Affine } from '../geometry/affine.js';
import { warpAffineCached } from '../image/warpAffineCache.js';
import type { Landmarks } from '../face/landmarks.js';
import { BackwardWarp, piecewiseAffineWarp } from '../image/piecewiseAffineWarp.js';
import { sampleBilinear, sampleGrid, type PixelBox, type RgbImage } from '../image/rgbImage.js';
import { limitChroma } from '../image/palette.js';
import { photoBox, removeColourDrift } from './paste.js';

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
): { view: RgbImage; toView: Affine } {
  const zoom = viewSize / cropSize;
  const toView = composeAffine([zoom, 0, 0, 0, zoom, 0], toCrop);
  const scale = (points: Landmarks): Landmarks => points.map(([x, y]) => [x * zoom, y * zoom]);
  const view = piecewiseAffineWarp(
    warpAffineCached(photo, toView, viewSize, viewSize),
    scale(own),
    scale(target),
    region,
  );
  if (!layers.change && !layers.logGain) return { view, toView };
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
      addLayers(rgb, layers, cropSize, (x + 0.5) / zoom, (y + 0.5) / zoom);
      for (let c = 0; c < 3; c++) out.data[o + c] = toByte(rgb[c]!);
    }
  return { view: out, toView };
}

/**
 * The photo with its aligned crop region (`toCrop`: photo pixels → crop pixels) warped from `own` to `target` and the
 * layers added. Every photo pixel inside the crop samples the photo once where the warp takes it from; outside the
 * crop, and wherever the warp moves nothing and no layer adds anything, the photo is unchanged.
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
): RgbImage {
  const out: RgbImage = { width: photo.width, height: photo.height, data: Uint8Array.from(photo.data) };
  const warp = new BackwardWarp(own, target, cropSize, grid);
  const toPhoto = invertAffine(toCrop);
  const box = photoBox(toCrop, [
    [0, 0],
    [cropSize, 0],
    [cropSize, cropSize],
    [0, cropSize],
  ]);
  const x0 = Math.max(0, Math.floor(box.minX));
  const x1 = Math.min(photo.width - 1, Math.ceil(box.maxX));
  const y0 = Math.max(0, Math.floor(box.minY));
  const y1 = Math.min(photo.height - 1, Math.ceil(box.maxY));
  const source = new Float64Array(2);
  const rgb = new Float64Array(3);
  const sampled = new Uint8Array(3);
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const qx = toCrop[0] * px + toCrop[1] * py + toCrop[2];
      const qy = toCrop[3] * px + toCrop[4] * py + toCrop[5];
      if (qx < 0 || qy < 0 || qx >= cropSize || qy >= cropSize) continue;
      warp.map(qx, qy, source);
      const sx = toPhoto[0] * source[0]! + toPhoto[1] * source[1]! + toPhoto[2];
      const sy = toPhoto[3] * source[0]! + toPhoto[4] * source[1]! + toPhoto[5];
      const o = (y * photo.width + x) * 3;
      // Unmoved (up to rounding far below a pixel): the photo's own pixel, not an interpolation of it.
      if (Math.abs(sx - px) < 1e-6 && Math.abs(sy - py) < 1e-6) {
        for (let c = 0; c < 3; c++) rgb[c] = photo.data[o + c]!;
      } else {
        sampleBilinear(photo, sx, sy, sampled, 0);
        for (let c = 0; c < 3; c++) rgb[c] = sampled[c]!;
      }
      addLayers(rgb, layers, cropSize, qx, qy);
      for (let c = 0; c < 3; c++) out.data[o + c] = toByte(rgb[c]!);
    }
  return out;
}

/**
 * rgb + change, times the gain, plus the detail; at crop position (qx, qy). The change and the gain share their
 * bilinear taps on the crop's grid, worked out once (the same taps and sums sampleGrid makes).
 */
function addLayers(rgb: Float64Array, layers: WarpLayers, cropSize: number, qx: number, qy: number): void {
  const { change, logGain, detail } = layers;
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
