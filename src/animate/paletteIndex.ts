/**
 * Mapping RGB frames onto a GIF palette: every pixel takes the palette colour nearest its own colour (least squared
 * RGB distance, the last such colour on a tie), the same in every frame.
 *
 * gifenc's applyPalette, which this replaced, groups pixels into buckets by the top 5 bits of each channel and gives
 * the whole bucket the colour nearest its first pixel in the frame, with the buckets cleared for every frame. So a
 * pixel that never changed could take another palette colour from one frame to the next, as a neighbour of its
 * bucket changed: flat walls flickered by up to 14–26 levels in an animation (found by a new user), and the changed
 * rectangles the GIF writer stores grew with the flicker. Here the nearest colour is searched once per distinct
 * colour of the whole animation and kept in a table from 24-bit colour to index (ColourTable).
 * (test/animate/paletteIndex.test.ts checks the nearest colour against a plain search.)
 */
import type { RgbImage } from '../image/rgbImage.js';

/** Cells of the colour cube, 16 levels a side (4 bits a channel), for the candidates of the nearest search. */
const CELL_BITS = 4;
const CELL_SIDE = 256 >> CELL_BITS;
const CELL_MASK = (1 << CELL_BITS) - 1;

/**
 * The palette entries that can be nearest to some colour of a cell of the colour cube: those whose least distance to
 * the cell is no more than the smallest greatest distance of any entry to it. Any other entry is farther from every
 * colour of the cell than that entry is. In ascending palette order, so that a search over them breaks ties as a
 * search over the whole palette does (the last).
 */
function cellCandidates(
  cell: number,
  reds: Float64Array,
  greens: Float64Array,
  blues: Float64Array,
): Int32Array {
  const lo = [
    (cell >> (2 * CELL_BITS)) * CELL_SIDE,
    ((cell >> CELL_BITS) & CELL_MASK) * CELL_SIDE,
    (cell & CELL_MASK) * CELL_SIDE,
  ];
  const hi = lo.map((v) => v + CELL_SIDE - 1);
  const channels = [reds, greens, blues];
  const least = new Float64Array(reds.length);
  let bound = Infinity;
  for (let i = 0; i < reds.length; i++) {
    let near = 0;
    let far = 0;
    for (let c = 0; c < 3; c++) {
      const v = channels[c]![i]!;
      const below = lo[c]! - v;
      const above = v - hi[c]!;
      const gap = below > 0 ? below : above > 0 ? above : 0;
      near += gap * gap;
      const reach = Math.max(Math.abs(v - lo[c]!), Math.abs(v - hi[c]!));
      far += reach * reach;
    }
    least[i] = near;
    if (far < bound) bound = far;
  }
  const out: number[] = [];
  for (let i = 0; i < reds.length; i++) if (least[i]! <= bound) out.push(i);
  return Int32Array.from(out);
}

/** Palette index of the colour nearest (r, g, b) among `candidates`: least squared distance, the last on a tie. */
function nearestIndex(
  r: number,
  g: number,
  b: number,
  candidates: Int32Array,
  reds: Float64Array,
  greens: Float64Array,
  blues: Float64Array,
): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let k = 0; k < candidates.length; k++) {
    const i = candidates[k]!;
    const dr = reds[i]! - r;
    const dg = greens[i]! - g;
    const db = blues[i]! - b;
    const distance = dr * dr + dg * dg + db * db;
    if (distance <= bestDistance) {
      bestDistance = distance;
      best = i;
    }
  }
  return best;
}

/** Blocks of the colour table: 5 bits a channel pick a block, the 3 bits left a colour in it (512 a block). */
const BLOCK_BITS = 5;
const IN_BLOCK_BITS = 8 - BLOCK_BITS;
const IN_BLOCK_MASK = (1 << IN_BLOCK_BITS) - 1;
const BLOCK_COLOURS = 1 << (3 * IN_BLOCK_BITS);

/**
 * The palette index found for each colour met so far, by 24-bit colour: a block of 512 entries for each cube of
 * 8 × 8 × 8 similar colours that holds any. Neighbouring pixels mostly have similar colours, so their entries lie
 * near one another in memory. A hash table (what this replaced) scatters them: on the 48 frames of bench/gifEncoding.ts
 * (200 000 colours) its lookups took 147–169 ms, these take 115–122 ms, and the whole mapping 187–204 ms against
 * 248–273 ms. A table of all 16.7 million colours would take 33 MB per GIF; those frames touch 1 656 blocks (1.7 MB).
 */
class ColourTable {
  /** Per block of similar colours, where its entries start in `entries`; -1 while it holds none. */
  private readonly blockStart = new Int32Array(1 << (3 * BLOCK_BITS)).fill(-1);
  /** The palette index + 1 of each colour of the blocks in use; 0 where not yet known. */
  private entries = new Uint16Array(64 * BLOCK_COLOURS);
  private blocks = 0;

  /** Where colour (r, g, b) is kept in `entries`, its block made when `create`; -1 when its block has none yet. */
  private slotOf(r: number, g: number, b: number, create: boolean): number {
    const block =
      ((r >> IN_BLOCK_BITS) << (2 * BLOCK_BITS)) |
      ((g >> IN_BLOCK_BITS) << BLOCK_BITS) |
      (b >> IN_BLOCK_BITS);
    let start = this.blockStart[block]!;
    if (start < 0) {
      if (!create) return -1;
      start = this.blocks++ * BLOCK_COLOURS;
      if (start + BLOCK_COLOURS > this.entries.length) {
        const grown = new Uint16Array(this.entries.length * 2);
        grown.set(this.entries);
        this.entries = grown;
      }
      this.blockStart[block] = start;
    }
    return (
      start +
      (((r & IN_BLOCK_MASK) << (2 * IN_BLOCK_BITS)) |
        ((g & IN_BLOCK_MASK) << IN_BLOCK_BITS) |
        (b & IN_BLOCK_MASK))
    );
  }

  /** The index stored for (r, g, b), or -1. */
  get(r: number, g: number, b: number): number {
    const slot = this.slotOf(r, g, b, false);
    return slot < 0 ? -1 : this.entries[slot]! - 1;
  }

  set(r: number, g: number, b: number, index: number): void {
    this.entries[this.slotOf(r, g, b, true)] = index + 1;
  }
}

/** A reusable mapper for one palette: the frames of one GIF. */
export class PaletteIndexer {
  private readonly reds: Float64Array;
  private readonly greens: Float64Array;
  private readonly blues: Float64Array;
  private readonly nearest = new ColourTable();
  /** Per cell of the colour cube, its candidates (cellCandidates), worked out when a colour first falls in it. */
  private readonly candidates: (Int32Array | undefined)[] = new Array(CELL_SIDE ** 3);

  constructor(palette: readonly (readonly number[])[]) {
    if (palette.length === 0 || palette.length > 256) throw new Error('a GIF palette has 1 to 256 colours');
    this.reds = Float64Array.from(palette, (c) => c[0]!);
    this.greens = Float64Array.from(palette, (c) => c[1]!);
    this.blues = Float64Array.from(palette, (c) => c[2]!);
  }

  /** One palette index per pixel of `frame`. */
  indices(frame: RgbImage): Uint8Array {
    const { data } = frame;
    const n = frame.width * frame.height;
    const out = new Uint8Array(n);
    let previous = -1;
    let previousIndex = 0;
    for (let i = 0, o = 0; i < n; i++, o += 3) {
      const colour = (data[o]! << 16) | (data[o + 1]! << 8) | data[o + 2]!;
      // (runs of one colour are common: flat backgrounds)
      if (colour !== previous) {
        const r = data[o]!;
        const g = data[o + 1]!;
        const b = data[o + 2]!;
        let index = this.nearest.get(r, g, b);
        if (index < 0) {
          const cell =
            ((r >> CELL_BITS) << (2 * CELL_BITS)) | ((g >> CELL_BITS) << CELL_BITS) | (b >> CELL_BITS);
          const candidates = (this.candidates[cell] ??= cellCandidates(
            cell,
            this.reds,
            this.greens,
            this.blues,
          ));
          index = nearestIndex(r, g, b, candidates, this.reds, this.greens, this.blues);
          this.nearest.set(r, g, b, index);
        }
        previous = colour;
        previousIndex = index;
      }
      out[i] = previousIndex;
    }
    return out;
  }
}
