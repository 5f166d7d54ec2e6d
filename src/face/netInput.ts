/**
 * face-api's network inputs made straight from a photo's bytes.
 *
 * Given a tensor of a photo, face-api casts the whole of it to floats, pads it with zeros to a square and resizes
 * that square to the network's side (the Tiny Face Detector's 320 or 512, the landmark net's 112), for every pass.
 * On a large photo that was most of a warm detection: 12-MP photos spent about 1.1 s of their 1.3 s on it (the
 * networks' own work does not grow with the photo), and the landmark pass's crop was cut with the WASM backend's
 * tf.slice, which copies three values at a time. The networks read only side × side values: this computes exactly
 * those, reading four photo pixels each, with the arithmetic of TF.js's bilinear resize (XNNPACK's, in TensorFlow's
 * legacy coordinates, in float32), so the networks see the very input they saw before
 * (test/face/netInput.test.ts compares with tf.image.resizeBilinear bit for bit).
 */
import type { RgbImage } from '../image/rgbImage.js';

/** A rectangle of whole pixels, inside the photo. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SquareNetInput {
  /** size × size × 3 floats, the network's input. */
  data: Float32Array;
  size: number;
  /** Side of the zero-padded square the rectangle was placed in (its longer side). */
  side: number;
  /** Where the rectangle's corner sits in that square (the zeros before it). */
  left: number;
  top: number;
}

/**
 * `rect` of `photo` as face-api makes a network input of it: placed in a square of its longer side, the zeros after
 * it (`centred` false, face-api's detectors) or around it with the odd zero after (`centred` true, its landmark net),
 * and that square resized to `size` × `size` bilinearly.
 */
export function squareNetInput(
  photo: RgbImage,
  rect: PixelRect,
  centred: boolean,
  size: number,
): SquareNetInput {
  const { x: rx, y: ry, width: w, height: h } = rect;
  if (
    !Number.isInteger(rx) ||
    !Number.isInteger(ry) ||
    !Number.isInteger(w) ||
    !Number.isInteger(h) ||
    w < 1 ||
    h < 1 ||
    rx < 0 ||
    ry < 0 ||
    rx + w > photo.width ||
    ry + h > photo.height
  )
    throw new Error(
      `squareNetInput: ${JSON.stringify(rect)} is not a rectangle of whole pixels in the photo`,
    );
  const side = Math.max(w, h);
  const gap = side - Math.min(w, h);
  // face-api's padToSquare: round(gap / 2) zeros after the image when centred, the rest before it.
  const before = centred ? gap - Math.round(gap * 0.5) : 0;
  const left = w < h ? before : 0;
  const top = h < w ? before : 0;
  const f = Math.fround;
  const scale = f(side / size);
  const last = side - 1;
  // Per output column: the square's two columns it reads, as photo byte offsets (-1: a padding zero), and the weight.
  const columnA = new Int32Array(size);
  const columnB = new Int32Array(size);
  const alphaX = new Float32Array(size);
  // (Plain arithmetic rather than a helper closure per call: V8's optimized code would be tied to the first call's
  // closure and thrown away on the next.)
  for (let x = 0; x < size; x++) {
    const at = f(x * scale);
    const a = Math.trunc(at);
    const u = a - left;
    const v = Math.min(a + 1, last) - left;
    columnA[x] = u >= 0 && u < w ? (rx + u) * 3 : -1;
    columnB[x] = v >= 0 && v < w ? (rx + v) * 3 : -1;
    alphaX[x] = f(at - a);
  }
  const rowBytes = photo.width * 3;
  const bytes = photo.data;
  const out = new Float32Array(size * size * 3);
  // Zeros for the padding: a tap outside the rectangle reads from here (offset -1 → 0 in `zero`), so the loop has
  // no branch per channel.
  const zero = new Uint8Array(3);
  for (let y = 0; y < size; y++) {
    const at = f(y * scale);
    const t = Math.trunc(at);
    const upper = t - top;
    const lower = Math.min(t + 1, last) - top;
    const rowT = upper >= 0 && upper < h ? (ry + upper) * rowBytes : -1;
    const rowB = lower >= 0 && lower < h ? (ry + lower) * rowBytes : -1;
    const ay = f(at - t);
    const rowsInside = rowT >= 0 && rowB >= 0;
    for (let x = 0; x < size; x++) {
      const ca = columnA[x]!;
      const cb = columnB[x]!;
      const ax = alphaX[x]!;
      const o = (y * size + x) * 3;
      // Where each tap reads: a photo byte, or a zero of the padding (offset 0 in `zero`).
      let tlBytes = bytes;
      let trBytes = bytes;
      let blBytes = bytes;
      let brBytes = bytes;
      let tl0: number;
      let tr0: number;
      let bl0: number;
      let br0: number;
      if (rowsInside && ca >= 0 && cb >= 0) {
        // All four taps in the photo (most of the input): no selects.
        tl0 = rowT + ca;
        tr0 = rowT + cb;
        bl0 = rowB + ca;
        br0 = rowB + cb;
      } else {
        // All four taps in the padding: zeros, as `out` already holds (the arithmetic on four zeros gives +0).
        if ((rowT < 0 && rowB < 0) || (ca < 0 && cb < 0)) continue;
        const tlAt = rowT >= 0 && ca >= 0 ? rowT + ca : -1;
        const trAt = rowT >= 0 && cb >= 0 ? rowT + cb : -1;
        const blAt = rowB >= 0 && ca >= 0 ? rowB + ca : -1;
        const brAt = rowB >= 0 && cb >= 0 ? rowB + cb : -1;
        if (tlAt < 0) tlBytes = zero;
        if (trAt < 0) trBytes = zero;
        if (blAt < 0) blBytes = zero;
        if (brAt < 0) brBytes = zero;
        tl0 = tlAt >= 0 ? tlAt : 0;
        tr0 = trAt >= 0 ? trAt : 0;
        bl0 = blAt >= 0 ? blAt : 0;
        br0 = brAt >= 0 ? brAt : 0;
      }
      // XNNPACK's order of operations, each rounded to float32 as the kernel rounds it (the differences of two bytes
      // are whole numbers, exact in float32)
      for (let c = 0; c < 3; c++) {
        const tl = tlBytes[tl0 + c]!;
        const bl = blBytes[bl0 + c]!;
        const vt = f(tl + f((trBytes[tr0 + c]! - tl) * ax));
        const vb = f(bl + f((brBytes[br0 + c]! - bl) * ax));
        out[o + c] = f(vt + f(f(vb - vt) * ay));
      }
    }
  }
  return { data: out, size, side, left, top };
}
