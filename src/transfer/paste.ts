/**
 * Putting a generated 64×64 face back into the original photo, so the output keeps the photo's resolution.
 *
 * - Mask: the convex hull of the jaw and brow landmarks (input and target together, so a dropped jaw is not cut
 *   off), eroded and feathered in crop pixels. Measured in crop pixels, the same mask fits a face of any size in
 *   the photo. It is evaluated analytically per photo pixel (signed distance to the hull), so its edge is smooth at
 *   photo resolution rather than a blocky upscaled 64×64 mask.
 * - Colour matching: the generator's skin tone drifts a little from the input's; matching the per-channel mean and
 *   standard deviation of the generated crop to the input crop inside the mask keeps the pasted face from standing
 *   out as a patch of another colour.
 * - Resampling: the crop is first enlarged with a Lanczos filter to about the face's size in the photo, then
 *   placed through the inverse alignment with bilinear sampling (bilinear straight from 64 px shows the pixel grid).
 */
import type { Affine } from '../geometry/affine.js';
import { affineScale, applyAffine, composeAffine, invertAffine, type Point } from '../geometry/affine.js';
import { LANDMARK_GROUPS, type Landmarks } from '../face/landmarks.js';
import type { ResizeImage, RgbImage } from '../image/rgbImage.js';
import { ConvexDistance } from '../geometry/convexDistance.js';
import { blendIntoPhoto } from './pasteBlend.js';

export interface MaskOptions {
  /** How far inside the hull the mask reaches full strength, in crop pixels. */
  erode: number;
  /** Width of the soft edge, in crop pixels. */
  feather: number;
}

/** Chosen by looking at pastes on the sample photos: the hull's jaw line sits on the face edge, so pulling the
 * mask ~1 px inside and fading over ~4 px hides the seam without losing the cheeks. */
export const DEFAULT_MASK: MaskOptions = { erode: 1, feather: 4 };

const HULL_POINTS = [...LANDMARK_GROUPS.jaw, ...LANDMARK_GROUPS.brows];

/** Convex hull (counter-clockwise in image axes as seen on screen, i.e. with y down) by Andrew's monotone chain. */
export function convexHull(points: Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: Point, a: Point, b: Point): number =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const build = (list: Point[]): Point[] => {
    const hull: Point[] = [];
    for (const p of list) {
      while (hull.length >= 2 && cross(hull[hull.length - 2]!, hull[hull.length - 1]!, p) <= 0) hull.pop();
      hull.push(p);
    }
    hull.pop();
    return hull;
  };
  return [...build(sorted), ...build([...sorted].reverse())];
}

/** The face polygon in crop pixels from one or more landmark sets (crop pixels). */
export function facePolygon(...landmarkSets: Landmarks[]): Point[] {
  return convexHull(landmarkSets.flatMap((set) => HULL_POINTS.map((i) => set[i]!)));
}

/** Signed distance from p to a convex polygon: positive inside (distance to the nearest edge), negative outside. */
export function signedDistance(polygon: Point[], p: Point): number {
  // (The paste evaluates it per photo pixel through the equivalent, precomputed ConvexDistance.)
  let inside = true;
  let nearest = Infinity;
  const n = polygon.length;
  // Orientation of the hull, so "inside" is the same side of every edge whichever way it winds.
  let area = 0;
  for (let i = 0; i < n; i++) {
    const a = polygon[i]!;
    const b = polygon[(i + 1) % n]!;
    area += a[0] * b[1] - b[0] * a[1];
  }
  const sign = area >= 0 ? 1 : -1;
  for (let i = 0; i < n; i++) {
    const a = polygon[i]!;
    const b = polygon[(i + 1) % n]!;
    const ex = b[0] - a[0];
    const ey = b[1] - a[1];
    const px = p[0] - a[0];
    const py = p[1] - a[1];
    if (sign * (ex * py - ey * px) < 0) inside = false;
    const len2 = ex * ex + ey * ey;
    const t = len2 > 0 ? Math.max(0, Math.min(1, (px * ex + py * ey) / len2)) : 0;
    nearest = Math.min(nearest, Math.hypot(px - t * ex, py - t * ey));
  }
  return inside ? nearest : -nearest;
}

/** Mask strength 0..1 for a point at signed distance d (crop pixels), with a smoothstep edge. */
export function maskValue(d: number, options: MaskOptions = DEFAULT_MASK): number {
  const t = (d - options.erode) / Math.max(options.feather, 1e-6);
  if (t <= 0) return 0;
  if (t >= 1) return 1;
  return t * t * (3 - 2 * t);
}

/** The mask on the crop's own pixel grid (pixel centres), size × size values in 0..1. */
export function cropMask(polygon: Point[], size: number, options: MaskOptions = DEFAULT_MASK): Float32Array {
  const mask = new Float32Array(size * size);
  const hull = new ConvexDistance(polygon);
  // As in blendIntoPhoto (pasteBlend.ts): per row, the pixels surely outside (mask 0, with a non-negative erosion)
  // and surely deeper than erosion + feather (mask 1) are found as intervals, with a margin of a pixel and 1e-6
  // crop pixels; only the band between them takes the exact distance. Every value is the one maskValue(distance)
  // gives (test/transfer/paste.test.ts compares them).
  const eps = 1e-6;
  const full = options.erode + options.feather;
  const surelyFull = full + eps * (1 + Math.abs(full));
  for (let y = 0; y < size; y++) {
    const cy = y + 0.5;
    let from = 0;
    let to = size - 1;
    let fullFrom = 1;
    let fullTo = 0;
    if (options.erode >= 0) {
      const [lo, hi] = hull.lineInterval(1, 0, 0, cy, options.erode - eps);
      from = Math.max(0, Math.floor(lo - 0.5) - 1);
      to = Math.min(size - 1, Math.ceil(hi - 0.5) + 1);
      const [flo, fhi] = hull.lineInterval(1, 0, 0, cy, surelyFull);
      fullFrom = Math.ceil(flo - 0.5) + 1;
      fullTo = Math.floor(fhi - 0.5) - 1;
    }
    for (let x = from; x <= to; x++)
      mask[y * size + x] = x >= fullFrom && x <= fullTo ? 1 : maskValue(hull.distance(x + 0.5, cy), options);
  }
  return mask;
}

/**
 * `generated` with each channel's mean and standard deviation (weighted by `mask`) moved to those of `reference`.
 * The std ratio is limited to [0.5, 2]: a nearly flat generated channel must not be blown up into noise.
 */
export function matchColours(generated: RgbImage, reference: RgbImage, mask: Float32Array): RgbImage {
  const n = generated.width * generated.height;
  const out = new Uint8Array(generated.data.length);
  for (let c = 0; c < 3; c++) {
    let w = 0;
    let mg = 0;
    let mr = 0;
    for (let i = 0; i < n; i++) {
      const m = mask[i]!;
      w += m;
      mg += m * generated.data[3 * i + c]!;
      mr += m * reference.data[3 * i + c]!;
    }
    if (w < 1e-6) return generated;
    mg /= w;
    mr /= w;
    let vg = 0;
    let vr = 0;
    for (let i = 0; i < n; i++) {
      const m = mask[i]!;
      vg += m * (generated.data[3 * i + c]! - mg) ** 2;
      vr += m * (reference.data[3 * i + c]! - mr) ** 2;
    }
    const ratio = Math.min(2, Math.max(0.5, Math.sqrt(vr / w) / Math.max(Math.sqrt(vg / w), 1e-3)));
    for (let i = 0; i < n; i++) {
      const v = Math.round((generated.data[3 * i + c]! - mg) * ratio + mr);
      out[3 * i + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return { width: generated.width, height: generated.height, data: out };
}

export interface PasteOptions {
  mask?: MaskOptions;
  /**
   * When given (the generator's output for the input's own landmarks), only the change from it to `crop` is added
   * to the photo, so the photo's own detail stays wherever the expression does not move anything.
   */
  reference?: RgbImage;
}

/**
 * The photo with `crop` (aligned through `toCrop`: photo pixels → crop pixels) pasted inside `polygon` (crop
 * pixels). Returns a new image; the photo is not changed.
 */
export async function pasteFace(
  photo: RgbImage,
  crop: RgbImage,
  toCrop: Affine,
  polygon: Point[],
  resize: ResizeImage,
  options: PasteOptions = {},
): Promise<RgbImage> {
  const maskOptions = options.mask ?? DEFAULT_MASK;
  const size = crop.width;
  // Enlarge the crop to about the face's size in the photo (never shrink it), then sample it bilinearly.
  const zoom = Math.max(1, Math.min(16, 1 / affineScale(toCrop)));
  const big = Math.round(size * zoom);
  const enlarge = async (image: RgbImage): Promise<RgbImage> =>
    big === size ? image : resize(image, big, big);
  const source = await enlarge(crop);
  const reference = options.reference ? await enlarge(options.reference) : undefined;
  const toBig = composeAffine([big / size, 0, 0, 0, big / size, 0], toCrop);

  const out: RgbImage = { width: photo.width, height: photo.height, data: Uint8Array.from(photo.data) };
  // Only photo pixels whose crop position lies in the hull can change: scan the hull's bounding box in the photo.
  const box = photoBox(toCrop, polygon);
  const x0 = Math.max(0, Math.floor(box.minX));
  const x1 = Math.min(photo.width - 1, Math.ceil(box.maxX));
  const y0 = Math.max(0, Math.floor(box.minY));
  const y1 = Math.min(photo.height - 1, Math.ceil(box.maxY));
  if (reference && (reference.width !== source.width || reference.height !== source.height))
    throw new Error("paste: the reference must have the crop's size");
  blendIntoPhoto(photo, out.data, { x0, x1, y0, y1 }, toCrop, toBig, polygon, maskOptions, source, reference);
  return out;
}

/** The photo-pixel bounding box of a crop-pixel polygon (`toCrop`: photo pixels → crop pixels). */
export function photoBox(
  toCrop: Affine,
  polygon: Point[],
): { minX: number; maxX: number; minY: number; maxY: number } {
  const toPhoto = invertAffine(toCrop);
  const pts = polygon.map((p) => applyAffine(toPhoto, p));
  return {
    minX: Math.min(...pts.map((p) => p[0])),
    maxX: Math.max(...pts.map((p) => p[0])),
    minY: Math.min(...pts.map((p) => p[1])),
    maxY: Math.max(...pts.map((p) => p[1])),
  };
}

/**
 * A separable [1, 2, 1] / 4 blur. Stride-2 transposed convolutions leave a checkerboard at the pixel-grid (Nyquist)
 * frequency in the generator's output, which enlarging to photo size turns into a visible dot grid; this filter's
 * response there is exactly zero, and it keeps features a few pixels wide (eyes, lips, teeth).
 */
export function suppressCheckerboard(image: RgbImage): RgbImage {
  const { width, height, data } = image;
  // Two passes over flat arrays, edge pixels repeated. Every intermediate value is a multiple of 1/16 below 256,
  // exact in a float, so the sums come out the same in any order.
  const across = new Float32Array(data.length);
  const row = width * 3;
  for (let y = 0; y < height; y++) {
    const start = y * row;
    for (let x = 0; x < width; x++) {
      const o = start + x * 3;
      const left = x > 0 ? o - 3 : o;
      const right = x < width - 1 ? o + 3 : o;
      for (let c = 0; c < 3; c++) across[o + c] = (data[left + c]! + 2 * data[o + c]! + data[right + c]!) / 4;
    }
  }
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const start = y * row;
    const above = y > 0 ? start - row : start;
    const below = y < height - 1 ? start + row : start;
    for (let i = 0; i < row; i++)
      out[start + i] = Math.round((across[above + i]! + 2 * across[start + i]! + across[below + i]!) / 4);
  }
  return { width, height, data: out };
}

const checkerboardFree = new WeakMap<RgbImage, { data: Uint8Array; result: RgbImage }>();

/**
 * suppressCheckerboard with a memory of its last result per image: every frame of an animation pastes against the
 * same generated reference face, which needs filtering only once. The result is shared: read-only.
 */
export function suppressCheckerboardCached(image: RgbImage): RgbImage {
  const entry = checkerboardFree.get(image);
  if (entry !== undefined && entry.data === image.data) return entry.result;
  const result = suppressCheckerboard(image);
  checkerboardFree.set(image, { data: image.data, result });
  return result;
}

/**
 * `generated` shifted per channel by the median of its difference from `reference` over the face (mask ≥ 0.5). The
 * generator's output drifts in overall brightness and tint as the target landmarks change; that drift is not part
 * of an expression, and added to a photo it shows as a lighter or darker patch the shape of the mask. The median,
 * not the mean: most of the face does not change with an expression, so the median measures the drift alone while
 * a mean would also take in a real change (a mouth opening) and spread it over the whole face.
 */
export function removeColourDrift(generated: RgbImage, reference: RgbImage, mask: Float32Array): RgbImage {
  const n = generated.width * generated.height;
  const out = Uint8Array.from(generated.data);
  const inside: number[] = [];
  for (let i = 0; i < n; i++) if (mask[i]! >= 0.5) inside.push(i);
  if (inside.length === 0) return generated;
  for (let c = 0; c < 3; c++) {
    const diffs = inside
      .map((i) => generated.data[3 * i + c]! - reference.data[3 * i + c]!)
      .sort((a, b) => a - b);
    const shift = diffs[Math.floor(diffs.length / 2)]!;
    for (let i = 0; i < n; i++) {
      const v = generated.data[3 * i + c]! - shift;
      out[3 * i + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return { width: generated.width, height: generated.height, data: out };
}
