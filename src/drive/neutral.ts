/**
 * Which driver frame counts as neutral when the user does not say (`--neutral-frame auto`). A geometric criterion on
 * the (smoothed, pose-free) landmarks, not an expression classifier: face-api's expression net is a measuring
 * instrument of this project and never steers a result.
 *
 * Neutral here means: mouth closed (small inner-lip gap), mouth not stretched by a smile (mouth width near the
 * clip's narrowest), eyes open as usual (eye opening near the clip's median, so no blink or squint), brows at their
 * usual height. Each feature's deviation is divided by its spread over the clip (so a clip where only the mouth
 * moves is judged on the mouth), and the frame with the smallest sum wins; ties go to the earliest frame.
 */
import type { FrameMotion } from './motion.js';

function y(m: ArrayLike<number>, i: number): number {
  return m[2 * i + 1]!;
}
function x(m: ArrayLike<number>, i: number): number {
  return m[2 * i]!;
}

/** Per-frame features (crop pixels): mouth opening, mouth width, eye opening, brow height above the eyes. */
export function neutralityFeatures(e: ArrayLike<number>): number[] {
  const mouthOpen = (y(e, 67) - y(e, 61) + y(e, 66) - y(e, 62) + y(e, 65) - y(e, 63)) / 3;
  const mouthWidth = x(e, 54) - x(e, 48);
  const eyeOpen = (y(e, 41) - y(e, 37) + y(e, 40) - y(e, 38) + y(e, 47) - y(e, 43) + y(e, 46) - y(e, 44)) / 4;
  const brows = (y(e, 36) + y(e, 45)) / 2 - (y(e, 19) + y(e, 24)) / 2;
  return [mouthOpen, mouthWidth, eyeOpen, brows];
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i]!;
}

export interface NeutralChoice {
  index: number;
  /** The chosen frame's score (0 = every feature at its neutral value) and why, for the message. */
  score: number;
}

/** The most neutral of `frames` (null entries: no face, never chosen). */
export function chooseNeutralFrame(frames: (FrameMotion | null)[]): NeutralChoice {
  const features = frames.map((f) => (f ? neutralityFeatures(f.expression) : null));
  const present = features.filter((f): f is number[] => f !== null);
  if (present.length === 0) throw new Error('chooseNeutralFrame: no frame has a face');
  const column = (k: number): number[] => present.map((f) => f[k]!).sort((a, b) => a - b);
  const [open, width, eyes, brows] = [0, 1, 2, 3].map(column) as [number[], number[], number[], number[]];
  // Spread: the 10–90 % range, at least a quarter crop pixel so a still feature's noise does not dominate.
  const spread = (c: number[]): number => Math.max(0.25, quantile(c, 0.9) - quantile(c, 0.1));
  const reference = [quantile(open, 0.05), quantile(width, 0.1), quantile(eyes, 0.5), quantile(brows, 0.5)];
  const spreads = [spread(open), spread(width), spread(eyes), spread(brows)];
  let best: NeutralChoice = { index: -1, score: Infinity };
  features.forEach((f, index) => {
    if (!f) return;
    const score = f.reduce((sum, v, k) => sum + Math.abs(v - reference[k]!) / spreads[k]!, 0);
    if (score < best.score - 1e-9) best = { index, score };
  });
  return best;
}
