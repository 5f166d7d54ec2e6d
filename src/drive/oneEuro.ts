/**
 * The One Euro filter: Casiez, Roussel & Vogel 2012, "1€ Filter: A Simple Speed-based Low-pass Filter for Noisy Input
 * in Interactive Systems" (CHI '12). A first-order low-pass filter whose cutoff rises with the signal's speed: slow
 * or still landmarks get a low cutoff (the detector's jitter is removed), fast moves a high one (a mouth snapping
 * open is followed without lag). Causal: each output depends only on the frames so far, as in a live camera.
 *
 *   cutoff = minCutoff + beta · |smoothed derivative|,   alpha(cutoff) = 1 / (1 + 1 / (2π · cutoff · dt))
 */
export interface OneEuroParams {
  /** Cutoff (Hz) when the value is still: lower removes more jitter. */
  minCutoff: number;
  /** How fast the cutoff rises with speed (per unit/s): higher follows fast moves with less lag. */
  beta: number;
  /** Cutoff (Hz) of the derivative's own low-pass. */
  derivativeCutoff: number;
}

function alpha(cutoff: number, dt: number): number {
  return 1 / (1 + 1 / (2 * Math.PI * cutoff * dt));
}

/** One Euro filters over a vector of independent values (e.g. 136 landmark coordinates), sharing their parameters. */
export class OneEuroFilter {
  private value: Float64Array | undefined;
  private derivative: Float64Array | undefined;

  constructor(private readonly params: OneEuroParams | readonly OneEuroParams[]) {}

  private paramsOf(i: number): OneEuroParams {
    const p = this.params;
    return 'minCutoff' in p ? p : p[i]!;
  }

  /** Filters the next sample, `dt` seconds after the previous one; returns the smoothed vector. */
  next(sample: ArrayLike<number>, dt: number): Float64Array {
    if (!this.value || !this.derivative) {
      this.value = Float64Array.from(sample);
      this.derivative = new Float64Array(sample.length);
      return Float64Array.from(this.value);
    }
    for (let i = 0; i < sample.length; i++) {
      const p = this.paramsOf(i);
      const rawDerivative = (sample[i]! - this.value[i]!) / dt;
      const a = alpha(p.derivativeCutoff, dt);
      this.derivative[i] = a * rawDerivative + (1 - a) * this.derivative[i]!;
      const cutoff = p.minCutoff + p.beta * Math.abs(this.derivative[i]!);
      const b = alpha(cutoff, dt);
      this.value[i] = b * sample[i]! + (1 - b) * this.value[i]!;
    }
    return Float64Array.from(this.value);
  }

  reset(): void {
    this.value = undefined;
    this.derivative = undefined;
  }
}
