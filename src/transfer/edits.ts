/**
 * Hand edits of target landmarks, as in Figure 4 of Qiao et al. 2018: raise or lower the eyelids, move the mouth
 * corners, open the mouth, raise the brows. Amounts are in pixels of the aligned crop (64 px by default), positive
 * = up / open / wider, so `mouthCorners=+2` lifts the mouth corners by 2 crop pixels.
 *
 * A point that moves alone makes a kinked contour that no real face has (and that the landmark encoder never saw),
 * so each edit also moves the neighbouring contour points by a share of the amount.
 */
import { MimicError } from '../util/errors.js';

/** [point index, share of the amount in x, share in y]; the sign of y follows image axes (down = +). */
type Move = readonly [number, number, number];

const up = (indices: readonly number[], share = 1): Move[] => indices.map((i) => [i, 0, -share] as const);
const down = (indices: readonly number[], share = 1): Move[] => indices.map((i) => [i, 0, share] as const);

/** Every edit, in the order `--help` lists them. */
export const EDITS = {
  /** Upper eyelids up (+, eyes open wider) or down (−, closing). */
  eyelids: [...up([37, 38, 43, 44])],
  /** Lower eyelids up (+, the squint of a smile) or down (−). */
  lowerEyelids: [...up([40, 41, 46, 47])],
  /** Both brows up (+) or down (−); the inner ends a little less, as in a real brow raise. */
  brows: [...up([18, 19, 20, 23, 24, 25]), ...up([17, 26], 0.8), ...up([21, 22], 0.7)],
  /** Mouth corners up (+, towards a smile) or down (−). */
  mouthCorners: [...up([48, 54, 60, 64]), ...up([49, 53, 59, 55, 61, 63, 65, 67], 0.4)],
  /** Mouth corners outward (+, wider) or inward (−), each side by the amount. */
  mouthWidth: [
    [48, -1, 0],
    [60, -1, 0],
    [54, 1, 0],
    [64, 1, 0],
    [49, -0.4, 0],
    [59, -0.4, 0],
    [53, 0.4, 0],
    [55, 0.4, 0],
  ],
  /** Lower lip and chin down (+, mouth opens) or up (−); the upper lip stays. */
  mouthOpen: [
    ...down([56, 57, 58, 65, 66, 67]),
    ...down([55, 59], 0.6),
    ...down([7, 8, 9], 0.8),
    ...down([6, 10], 0.5),
    ...down([5, 11], 0.25),
  ],
} as const satisfies Record<string, readonly Move[]>;

export type EditName = keyof typeof EDITS;
export const EDIT_NAMES = Object.keys(EDITS) as EditName[];

/** Amounts in crop pixels per edit, e.g. { mouthCorners: 2, eyelids: -1 }. */
export type LandmarkEdits = Partial<Record<EditName, number>>;

/** The edited copy of 136 normalized landmark coordinates (crop side `size` px converts pixels to [-1, 1]). */
export function applyEdits(flat: ArrayLike<number>, edits: LandmarkEdits, size: number): Float32Array {
  const out = Float32Array.from(flat as ArrayLike<number>);
  const pixel = 2 / size;
  for (const [name, amount] of Object.entries(edits) as [EditName, number][]) {
    // Object.hasOwn: "constructor" or "__proto__" is an unknown edit, not something inherited from Object.prototype.
    const moves = Object.hasOwn(EDITS, name) ? EDITS[name] : undefined;
    if (!moves) throw new MimicError(`unknown landmark edit "${name}" (known: ${EDIT_NAMES.join(', ')})`);
    for (const [i, sx, sy] of moves) {
      out[2 * i] = out[2 * i]! + sx * amount * pixel;
      out[2 * i + 1] = out[2 * i + 1]! + sy * amount * pixel;
    }
  }
  return out;
}

/** Largest amount accepted: beyond a quarter of a 64-px crop the landmarks no longer describe a face. */
export const MAX_EDIT_PIXELS = 16;

/** Parses "mouthCorners=+2,eyelids=-1" (amounts in crop pixels). */
export function parseEdits(text: string): LandmarkEdits {
  const edits: LandmarkEdits = {};
  for (const part of text.split(',')) {
    const match = /^\s*([A-Za-z]+)\s*=\s*([+-]?\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!match)
      throw new MimicError(
        `landmark edit "${part}" must look like name=+2 (names: ${EDIT_NAMES.join(', ')}; amounts in crop pixels)`,
      );
    const name = match[1] as EditName;
    if (!Object.hasOwn(EDITS, name))
      throw new MimicError(`unknown landmark edit "${name}" (known: ${EDIT_NAMES.join(', ')})`);
    const amount = Number(match[2]);
    if (Math.abs(amount) > MAX_EDIT_PIXELS)
      throw new MimicError(`landmark edit ${name}=${match[2]} is over ${MAX_EDIT_PIXELS} crop pixels`);
    edits[name] = (edits[name] ?? 0) + amount;
  }
  return edits;
}
