/**
 * Mapping an RGB frame onto a GIF palette, straight from the 3-byte pixels.
 *
 * The rule is gifenc's applyPalette (rgb565 format), so a GIF comes out byte-for-byte as it did when every frame
 * went through gifenc: pixels are grouped into buckets by the top 5 bits of each channel (gifenc's "rgb565" key), the first pixel
 * of a bucket (in scan order, per frame) is matched to the palette colour at the least squared RGB distance (the
 * last such colour on a tie), and every later pixel of that bucket takes the same index. Done here because
 * gifenc's version wants a 4-byte RGBA copy of every frame and keeps its buckets in a sparse JavaScript array:
 * for a 48-frame animation the copies and the lookups were over half of the GIF's time.
 * (test/animate/paletteIndex.test.ts compares the two on the same frames.)
 */
import type { RgbImage } from '../image/rgbImage.js';

/** Palette index of the colour nearest (r, g, b): least squared distance, the last one on a tie. */
function nearestIndex(
  r: number,
  g: number,
  b: number,
  reds: Float64Array,
  greens: Float64Array,
  blues: Float64Array,
): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let i = 0; i < reds.length; i++) {
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

/** A reusable mapper for one palette (its bucket table is cleared per frame, as gifenc's is). */
export class PaletteIndexer {
  private readonly reds: Float64Array;
  private readonly greens: Float64Array;
  private readonly blues: Float64Array;
  /** Bucket (rgb565) → palette index, −1 while no pixel of this frame has fallen in it. */
  private readonly buckets = new Int16Array(65536);
  /**
   * Colour (24-bit RGB) → its nearest palette index, kept across frames: the palette is the same for every frame, and
   * the colour that first falls in a bucket is often the same in the next frame (the background), so the search
   * over the palette is made once per colour, not once per bucket and frame.
   */
  private readonly nearest = new Map<number, number>();

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
    const buckets = this.buckets;
    buckets.fill(-1);
    for (let i = 0, o = 0; i < n; i++, o += 3) {
      const r = data[o]!;
      const g = data[o + 1]!;
      const b = data[o + 2]!;
      const key = ((r << 8) & 0xf800) | ((g << 2) & 0x03e0) | (b >> 3);
      let index = buckets[key]!;
      if (index < 0) {
        const colour = (r << 16) | (g << 8) | b;
        const known = this.nearest.get(colour);
        index = known ?? nearestIndex(r, g, b, this.reds, this.greens, this.blues);
        if (known === undefined) this.nearest.set(colour, index);
        buckets[key] = index;
      }
      out[i] = index;
    }
    return out;
  }
}
