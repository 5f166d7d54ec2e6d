/**
 * Animation check: an expression change played as a sequence of frames, each generated for landmarks
 * interpolated linearly between the start and end expressions of one held-out person (t = 0, 1/(F−1), …, 1).
 * Two numbers describe it: per frame, how far the landmarks detected on the frame are from that frame's target
 * landmarks (normalised by the inter-ocular distance); and the mean absolute difference between neighbouring
 * frames (0..255), which is small and even for a smooth animation and shows jumps as a large maximum.
 */
import { cacheImage, cacheLandmarks, type DataCache } from '../data/cache.js';
import { foldSubjects } from '../data/split.js';
import { interpolateKeys } from '../face/interpolate.js';
import {
  denormalizeLandmarks,
  unflattenLandmarks,
  type Landmarks,
  LANDMARK_VALUES,
} from '../face/landmarks.js';
import { imageToUnitRange, unitRangeToImage, type RgbImage } from '../image/rgbImage.js';
import type { GenerateFn } from '../model/inference.js';
import { normalizedLandmarkError, readFaces } from './faceReadout.js';
import { piecewiseAffineWarp } from '../image/piecewiseAffineWarp.js';

export interface SequenceScores {
  /** Landmark error / IOD of each frame against its target landmarks. */
  frameErrors: number[];
  /** Mean absolute difference (0..255, all pixels and channels) between frame k and k + 1. */
  neighbourDifferences: number[];
}

export interface AnimationCheckResult {
  method: 'model' | 'warp';
  from: string;
  to: string;
  frames: number;
  sequences: number;
  /** Per frame index, the mean over sequences of the landmark error / IOD. */
  meanFrameError: number[];
  meanNeighbourDifference: number;
  maxNeighbourDifference: number;
}

export function meanAbsoluteDifference(a: RgbImage, b: RgbImage): number {
  if (a.data.length !== b.data.length) throw new Error('meanAbsoluteDifference: sizes differ');
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}

/** Scores one sequence of frames against its target landmarks (crop pixels). */
export async function scoreSequence(frames: RgbImage[], targets: Landmarks[]): Promise<SequenceScores> {
  if (frames.length !== targets.length) throw new Error('one target landmark set per frame is needed');
  const readouts = await readFaces(frames);
  return {
    frameErrors: readouts.map((r, k) => normalizedLandmarkError(r.landmarks, targets[k]!)),
    neighbourDifferences: frames.slice(1).map((f, k) => meanAbsoluteDifference(frames[k]!, f)),
  };
}

export interface AnimationOptions {
  from: string;
  to: string;
  frames: number;
  generate?: GenerateFn;
}

/** Animations from `from` to `to` for every held-out person of the fold that has both, by the model and the warp. */
export async function animationCheck(
  cache: DataCache,
  fold: number,
  options: AnimationOptions,
): Promise<AnimationCheckResult[]> {
  const { manifest } = cache;
  const size = manifest.size;
  const { test } = foldSubjects(manifest.split.folds, fold);
  const pairs: { start: number; end: number }[] = [];
  for (const subject of [...test].sort()) {
    const items = manifest.items.filter((i) => i.subject === subject);
    const start = items.find((i) => i.expression === options.from);
    const end = items.find((i) => i.expression === options.to);
    if (start && end) pairs.push({ start: start.index, end: end.index });
  }
  const perMethod = new Map<AnimationCheckResult['method'], SequenceScores[]>();
  const add = (method: AnimationCheckResult['method'], s: SequenceScores): void => {
    perMethod.set(method, [...(perMethod.get(method) ?? []), s]);
  };
  const toPixels = (flat: ArrayLike<number>): Landmarks =>
    denormalizeLandmarks(unflattenLandmarks(flat), size);

  for (const { start, end } of pairs) {
    const input = cacheImage(cache, start);
    const startMarks = cacheLandmarks(cache, start);
    // One segment of eq. 6 with both ends: `frames` landmark sets from the start to the end expression.
    const targets = interpolateKeys([startMarks, cacheLandmarks(cache, end)], options.frames - 1);
    const targetPixels = targets.map(toPixels);
    if (options.generate) {
      const pixels = size * size * 3;
      const crops = new Float32Array(options.frames * pixels);
      const unit = imageToUnitRange(input);
      const marks = new Float32Array(options.frames * LANDMARK_VALUES);
      const sources = new Float32Array(options.frames * LANDMARK_VALUES);
      targets.forEach((t, k) => {
        crops.set(unit, k * pixels);
        marks.set(t, k * LANDMARK_VALUES);
        sources.set(startMarks, k * LANDMARK_VALUES);
      });
      const out = await options.generate(crops, sources, marks, options.frames);
      const frames = targets.map((_, k) =>
        unitRangeToImage(out.subarray(k * pixels, (k + 1) * pixels), size, size),
      );
      add('model', await scoreSequence(frames, targetPixels));
    }
    const startPixels = toPixels(startMarks);
    const warped = targetPixels.map((t) => piecewiseAffineWarp(input, startPixels, t));
    add('warp', await scoreSequence(warped, targetPixels));
  }

  const results: AnimationCheckResult[] = [];
  for (const [method, sequences] of perMethod) {
    const diffs = sequences.flatMap((s) => s.neighbourDifferences);
    results.push({
      method,
      from: options.from,
      to: options.to,
      frames: options.frames,
      sequences: sequences.length,
      meanFrameError: Array.from(
        { length: options.frames },
        (_, k) => sequences.reduce((sum, s) => sum + s.frameErrors[k]!, 0) / sequences.length,
      ),
      meanNeighbourDifference: diffs.reduce((a, b) => a + b, 0) / diffs.length,
      maxNeighbourDifference: Math.max(...diffs),
    });
  }
  return results;
}
