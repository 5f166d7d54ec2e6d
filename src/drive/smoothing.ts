/**
 * Temporal smoothing of the driver's landmarks and head pose with One Euro filters (Casiez et al. 2012, see
 * oneEuro.ts), tuned per facial region: the detector's frame-to-frame jitter is a fraction of a crop pixel, so
 * still landmarks get a low cutoff; eyelids and lips move fastest (a blink closes in about 100 ms, a mouth snaps open
 * in a few frames), so their cutoff rises quickly with speed. Units: crop pixels of the 64-px aligned face, seconds.
 * Chosen by a sweep (minCutoff 0.3–1 Hz × beta 0.5–8) on ±0.3 px noise, a 6-px jump and a 3-frame blink at 25 fps:
 * lips and eyelids at 0.5 Hz / 0.5 cut jitter 4×, reach 80 % of a jump in 2 frames and close 97 % of a blink;
 * a higher beta follows faster but lets jitter through (beta 2: only 2.3× less jitter). test/drive/smoothing.test.ts
 * checks these properties.
 */
import type { FrameMotion } from './motion.js';
import { OneEuroFilter, type OneEuroParams } from './oneEuro.js';

export const SMOOTHING = {
  /** Jaw, brows, nose, eye corners. */
  face: { minCutoff: 1.0, beta: 0.3, derivativeCutoff: 1.0 },
  /** Eyelids (37, 38, 40, 41, 43, 44, 46, 47): blinks must survive. */
  eyelids: { minCutoff: 0.5, beta: 0.5, derivativeCutoff: 1.0 },
  /** Lips (48–67). */
  lips: { minCutoff: 0.5, beta: 0.5, derivativeCutoff: 1.0 },
  /** Head pose [a, b, tx, ty] (scale·cos, scale·sin, translation in inter-ocular distances). */
  pose: { minCutoff: 1.0, beta: 0.5, derivativeCutoff: 1.0 },
} satisfies Record<string, OneEuroParams>;

const EYELIDS = new Set([37, 38, 40, 41, 43, 44, 46, 47]);

function landmarkParams(): OneEuroParams[] {
  const params: OneEuroParams[] = [];
  for (let i = 0; i < 68; i++) {
    const p = EYELIDS.has(i) ? SMOOTHING.eyelids : i >= 48 ? SMOOTHING.lips : SMOOTHING.face;
    params.push(p, p);
  }
  return params;
}

export class MotionSmoother {
  private readonly expression = new OneEuroFilter(landmarkParams());
  private readonly pose = new OneEuroFilter(SMOOTHING.pose);

  constructor(private readonly dt: number) {}

  /** The next frame's smoothed motion; `dt`: seconds since the previous frame (a live camera's vary). */
  next(raw: FrameMotion, dt = this.dt): FrameMotion {
    return {
      expression: this.expression.next(raw.expression, dt),
      pose: this.pose.next(raw.pose, dt),
    };
  }
}
