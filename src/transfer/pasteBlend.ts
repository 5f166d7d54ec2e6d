/**
 * The per-pixel loop of pasteFace (paste.ts): for every photo pixel in a box, its mask strength from the signed
 * distance of its crop position to the face polygon, and the (enlarged) crop sampled bilinearly at its position,
 * blended into the photo. Written as one flat loop over typed arrays, without a point array or a closure call per
 * pixel and channel, because it runs for every pixel of the face in every frame of an animation; the arithmetic
 * per pixel is the one paste.ts had, so the output is byte-for-byte the same.
 */
import { ConvexDistance } from '../geometry/convexDistance.js';
import type { Affine, Point } from '../geometry/affine.js';
import type { RgbImage } from '../image/rgbImage.js';
import { maskValue, type MaskOptions } from './paste.js';

export interface BlendBox {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * Writes into `out` (a copy of `photo`): inside `box` (inclusive), photo + α·(source − photo), or with a
 * `reference`, photo + α·(source − reference), where source and reference are sampled at `toBig`(pixel centre) and
 * α = maskValue(distance of `toCrop`(pixel centre) to `polygon`).
 */
export function blendIntoPhoto(
  photo: RgbImage,
  out: Uint8Array,
  box: BlendBox,
  toCrop: Affine,
  toBig: Affine,
  polygon: Point[],
  maskOptions: MaskOptions,
  source: RgbImage,
  reference: RgbImage | undefined,
): void {
  const hull = new ConvexDistance(polygon);
  // Outside the polygon the distance is negative, and with a non-negative erosion the mask is 0 there: such
  // pixels need only the cheap inside test, not the distance.
  const outsideIsZero = maskOptions.erode >= 0;
  // Deeper inside than the erosion plus the feather the mask is exactly 1: a point whose depth (a lower bound of
  // its distance, without square roots) clears that by a margin far above rounding error needs no distance.
  const full = maskOptions.erode + maskOptions.feather;
  const surelyFull = full + 1e-6 * (1 + Math.abs(full));
  const w = source.width;
  const h = source.height;
  const src = source.data;
  const ref = reference?.data;
  const pix = photo.data;
  // Per row, the pixels where the mask is surely 0 (skipped) and surely 1 (no distance needed) are found as
  // intervals (the mask is convex); only the feather band between them is evaluated point by point. The intervals
  // keep a margin of one pixel and 1e-6 crop pixels of distance, far above rounding error, so every pixel gets the
  // value the point-by-point evaluation would give. (With a negative erosion the mask reaches outside the hull:
  // then every pixel is evaluated.)
  const eps = 1e-6;
  // In the feather band the exact distance is needed, and most of the polygon's edges are far from any one side of
  // the face: per row, the band left and right of the full interval takes its distance from the few edges that
  // can be nearest there (ConvexDistance.rowCandidates, which holds only for points surely inside: those at least
  // a pixel within the interval where every edge line is more than the erosion away, with an erosion well above
  // rounding error; the pixels at the interval's margins go the general way).
  const knownInside = outsideIsZero && maskOptions.erode > 1e-3;
  const left = new Int32Array(polygon.length);
  const right = new Int32Array(polygon.length);
  for (let y = box.y0; y <= box.y1; y++) {
    const cy = y + 0.5;
    let from = box.x0;
    let to = box.x1;
    let fullFrom = 1;
    let fullTo = 0;
    let leftFrom = 1;
    let leftTo = 0;
    let leftCount = 0;
    let rightFrom = 1;
    let rightTo = 0;
    let rightCount = 0;
    if (outsideIsZero) {
      const b = toCrop[1] * cy + toCrop[2];
      const d = toCrop[4] * cy + toCrop[5];
      const [lo, hi] = hull.lineInterval(toCrop[0], b, toCrop[3], d, maskOptions.erode - eps);
      from = Math.max(box.x0, Math.floor(lo - 0.5) - 1);
      to = Math.min(box.x1, Math.ceil(hi - 0.5) + 1);
      const [flo, fhi] = hull.lineInterval(toCrop[0], b, toCrop[3], d, surelyFull);
      fullFrom = Math.ceil(flo - 0.5) + 1;
      fullTo = Math.floor(fhi - 0.5) - 1;
      if (knownInside) {
        const sureFrom = Math.max(from, Math.ceil(lo - 0.5) + 1);
        const sureTo = Math.min(to, Math.floor(hi - 0.5) - 1);
        const bandOfRow = fullFrom > fullTo; // no full interval: the whole row is band
        leftFrom = sureFrom;
        leftTo = bandOfRow ? sureTo : Math.min(sureTo, fullFrom - 1);
        if (leftFrom <= leftTo)
          leftCount = hull.rowCandidates(toCrop[0], b, toCrop[3], d, leftFrom + 0.5, leftTo + 0.5, left);
        if (!bandOfRow) {
          rightFrom = Math.max(sureFrom, fullTo + 1);
          rightTo = sureTo;
          if (rightFrom <= rightTo)
            rightCount = hull.rowCandidates(
              toCrop[0],
              b,
              toCrop[3],
              d,
              rightFrom + 0.5,
              rightTo + 0.5,
              right,
            );
        }
      }
    }
    for (let x = from; x <= to; x++) {
      const cx = x + 0.5;
      let alpha = 1;
      if (x < fullFrom || x > fullTo) {
        const mx = toCrop[0] * cx + toCrop[1] * cy + toCrop[2];
        const my = toCrop[3] * cx + toCrop[4] * cy + toCrop[5];
        if (x >= leftFrom && x <= leftTo)
          alpha = maskValue(hull.candidateDistance(mx, my, left, leftCount), maskOptions);
        else if (x >= rightFrom && x <= rightTo)
          alpha = maskValue(hull.candidateDistance(mx, my, right, rightCount), maskOptions);
        else {
          const depth = hull.depth(mx, my);
          if (outsideIsZero && depth < 0) continue;
          alpha = depth >= surelyFull ? 1 : maskValue(hull.distance(mx, my), maskOptions);
        }
        if (alpha <= 0) continue;
      }
      const bx = toBig[0] * cx + toBig[1] * cy + toBig[2];
      const by = toBig[3] * cx + toBig[4] * cy + toBig[5];
      // bilinear taps, as in paste.ts's sample(): pixel centres at i + 0.5, edge pixels repeated
      const sx = Math.max(0, Math.min(w - 1, bx - 0.5));
      const sy = Math.max(0, Math.min(h - 1, by - 0.5));
      const xa = Math.floor(sx);
      const ya = Math.floor(sy);
      const xb = Math.min(xa + 1, w - 1);
      const yb = Math.min(ya + 1, h - 1);
      const fx = sx - xa;
      const fy = sy - ya;
      const i00 = (ya * w + xa) * 3;
      const i01 = (ya * w + xb) * 3;
      const i10 = (yb * w + xa) * 3;
      const i11 = (yb * w + xb) * 3;
      const o = (y * photo.width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const g =
          (src[i00 + c]! * (1 - fx) + src[i01 + c]! * fx) * (1 - fy) +
          (src[i10 + c]! * (1 - fx) + src[i11 + c]! * fx) * fy;
        const p = pix[o + c]!;
        let v: number;
        if (ref !== undefined) {
          const r =
            (ref[i00 + c]! * (1 - fx) + ref[i01 + c]! * fx) * (1 - fy) +
            (ref[i10 + c]! * (1 - fx) + ref[i11 + c]! * fx) * fy;
          v = p + alpha * (g - r);
        } else v = p + alpha * (g - p);
        out[o + c] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
      }
    }
  }
}
