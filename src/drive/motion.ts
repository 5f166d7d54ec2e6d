/**
 * The driver's motion, separated into head pose and expression, and turned into target landmarks for the photo.
 *
 * Each driver frame's landmarks are brought onto a reference frame (the first frame with a face) by the similarity
 * that best fits their rigid points (eye corners and nose, least squares): that similarity is the head pose, and
 * what is left after it is the expression, measured in the reference's aligned-crop pixels (the model's alignment).
 * The photo's target is its own aligned landmarks plus the driver's expression displacement from its neutral frame
 * (the relative mode of `mimic transfer`, so the photo keeps its face shape). Fitting many rigid points rather than
 * the two inner eye corners the alignment uses keeps eyelid and corner jitter out of the pose.
 */
import { applyAffine, composeAffine, invertAffine, type Affine, type Point } from '../geometry/affine.js';
import { computeAlignment, type AlignmentConfig } from '../face/align.js';
import { LANDMARK_VALUES, type Landmarks } from '../face/landmarks.js';

/** Points that move with the head but hardly with expression: eye corners, nose bridge and nose bottom. */
const RIGID_POINTS = [27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 39, 42, 45];

/** One driver frame: pose = similarity [a, b, tx, ty] (frame → reference pixels), expression = 136 crop pixels. */
export interface FrameMotion {
  pose: Float64Array;
  expression: Float64Array;
}

/** Least-squares similarity sending `from` onto `to` (closed form, centred coordinates). */
export function fitSimilarity(from: Point[], to: Point[]): Affine {
  const n = from.length;
  let fx = 0,
    fy = 0,
    tx = 0,
    ty = 0;
  for (let i = 0; i < n; i++) {
    fx += from[i]![0];
    fy += from[i]![1];
    tx += to[i]![0];
    ty += to[i]![1];
  }
  fx /= n;
  fy /= n;
  tx /= n;
  ty /= n;
  let dot = 0,
    cross = 0,
    norm = 0;
  for (let i = 0; i < n; i++) {
    const x = from[i]![0] - fx,
      y = from[i]![1] - fy;
    const u = to[i]![0] - tx,
      v = to[i]![1] - ty;
    dot += x * u + y * v;
    cross += x * v - y * u;
    norm += x * x + y * y;
  }
  const a = dot / norm;
  const b = cross / norm;
  return [a, -b, tx - (a * fx - b * fy), b, a, ty - (b * fx + a * fy)];
}

export function poseToAffine(p: ArrayLike<number>, unit: number): Affine {
  return [p[0]!, -p[1]!, p[2]! * unit, p[1]!, p[0]!, p[3]! * unit];
}

/** Measures driver frames against the first one it is given. */
export class MotionMeter {
  private reference: Landmarks | undefined;
  private toCrop: Affine | undefined;
  /** Translation unit of poses: the reference's inter-ocular distance in pixels (keeps smoothing scale-free). */
  unit = 1;

  constructor(private readonly alignment: AlignmentConfig) {}

  /** The reference frame's alignment (frame pixels → crop pixels); set by the first measure(). */
  get referenceToCrop(): Affine {
    return this.toCrop!;
  }

  measure(points: Landmarks): FrameMotion {
    if (!this.reference) {
      this.reference = points;
      this.toCrop = computeAlignment(points, this.alignment).toCrop;
      const [a, b] = [points[39]!, points[42]!];
      this.unit = Math.hypot(a[0] - b[0], a[1] - b[1]) || 1;
    }
    const toReference = fitSimilarity(
      RIGID_POINTS.map((i) => points[i]!),
      RIGID_POINTS.map((i) => this.reference![i]!),
    );
    const toCrop = composeAffine(this.toCrop!, toReference);
    const expression = new Float64Array(LANDMARK_VALUES);
    points.forEach((p, i) => {
      const [x, y] = applyAffine(toCrop, p);
      expression[2 * i] = x;
      expression[2 * i + 1] = y;
    });
    const pose = Float64Array.of(
      toReference[0],
      toReference[3],
      toReference[2] / this.unit,
      toReference[5] / this.unit,
    );
    return { pose, expression };
  }
}

/** Upper/lower eyelid point pairs (iBUG 68): their gap is the eye's opening. */
const EYELID_PAIRS: [number, number][] = [
  [37, 41],
  [38, 40],
  [43, 47],
  [44, 46],
];
/** Upper/lower inner-lip pairs: their gap is the mouth's opening. */
const INNER_LIP_PAIRS: [number, number][] = [
  [61, 67],
  [62, 66],
  [63, 65],
];

export type HeadMode = 'still' | 'follow';

export interface TargetInputs {
  /** The photo's own aligned landmarks, crop pixels (136). */
  own: ArrayLike<number>;
  /** Smoothed motion of this frame and of the neutral frame. */
  frame: FrameMotion;
  neutral: FrameMotion;
  head: HeadMode;
  /** MotionMeter.referenceToCrop and .unit of the meter that measured them. */
  referenceToCrop: Affine;
  unit: number;
  cropSize: number;
}

/**
 * The photo's target landmarks (crop pixels) for one driver frame. Eye openings go over as ratios of the neutral
 * frame's (a full blink closes the photo's eyes whatever their size); no eyelid or lip pair may cross.
 */
export function drivenTarget(t: TargetInputs): Float64Array {
  const out = new Float64Array(LANDMARK_VALUES);
  for (let i = 0; i < LANDMARK_VALUES; i++)
    out[i] = t.own[i]! + t.frame.expression[i]! - t.neutral.expression[i]!;
  for (const [upper, lower] of EYELID_PAIRS) {
    const gap = (m: ArrayLike<number>): number => m[2 * lower + 1]! - m[2 * upper + 1]!;
    const ratio = Math.min(
      1.6,
      Math.max(0, gap(t.frame.expression) / Math.max(0.5, gap(t.neutral.expression))),
    );
    setGap(out, upper, lower, Math.max(0, gap(t.own)) * ratio);
  }
  for (const [upper, lower] of INNER_LIP_PAIRS)
    if (out[2 * lower + 1]! < out[2 * upper + 1]!) setGap(out, upper, lower, 0);
  if (t.head === 'follow') {
    // Head motion from the neutral frame to this one, expressed in aligned-crop coordinates.
    const frameToRef = poseToAffine(t.frame.pose, t.unit);
    const neutralToRef = poseToAffine(t.neutral.pose, t.unit);
    // Chart: neutral-frame pixels → crop by referenceToCrop ∘ neutralToRef; in frame pixels the head moved by
    // frameToRef⁻¹ ∘ neutralToRef, which in the chart is referenceToCrop ∘ neutralToRef ∘ frameToRef⁻¹ ∘ referenceToCrop⁻¹.
    const motion = composeAffine(
      t.referenceToCrop,
      composeAffine(neutralToRef, composeAffine(invertAffine(frameToRef), invertAffine(t.referenceToCrop))),
    );
    for (let i = 0; i < 68; i++) {
      const [x, y] = applyAffine(motion, [out[2 * i]!, out[2 * i + 1]!]);
      out[2 * i] = x;
      out[2 * i + 1] = y;
    }
  }
  return out;
}

/** Moves an upper/lower point pair vertically apart to `gap` around their midpoint. */
function setGap(points: Float64Array, upper: number, lower: number, gap: number): void {
  const mid = (points[2 * upper + 1]! + points[2 * lower + 1]!) / 2;
  points[2 * upper + 1] = mid - gap / 2;
  points[2 * lower + 1] = mid + gap / 2;
}
