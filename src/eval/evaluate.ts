/**
 * Scores one held-out fold: for every triplet (input of person i with expression u, real target of i with
 * expression v, target landmarks g_v) the model's output and two baselines — the input itself (identity copy)
 * and the piecewise-affine warp of the input to g_v — are compared with the real target:
 *   SSIM (gray, RGB) and PSNR at the crop resolution; face-api identity distance to the real target and the share
 *   under 0.45; the share whose expression reads as the target's label; landmarks detected on the output vs g_v,
 *   normalised by the inter-ocular distance of g_v.
 * The real target itself is scored with the face metrics too: its expression share is the classifier's ceiling
 * and its landmark error the detector's floor.
 */
import { cacheImage, cacheLandmarks, type DataCache } from '../data/cache.js';
import {
  denormalizeLandmarks,
  unflattenLandmarks,
  type Landmarks,
  LANDMARK_VALUES,
} from '../face/landmarks.js';
import { imageToUnitRange, unitRangeToImage, type RgbImage } from '../image/rgbImage.js';
import { psnr } from './psnr.js';
import { ssimGray, ssimRgb } from './ssim.js';
import { meanStd, type MeanStd } from './stats.js';
import { heldOutTriplets, type EvalTriplet } from './triplets.js';
import { piecewiseAffineWarp } from '../image/piecewiseAffineWarp.js';
import type { GenerateFn } from '../model/inference.js';
import { interiorStrength, lipsOf, mouthComposition, type MouthBank } from '../face/mouthInterior.js';
import type { RatioImage } from '../face/ratioImage.js';
import {
  descriptorDistance,
  expressionForLabel,
  normalizedLandmarkError,
  readFaces,
  SAME_PERSON_DISTANCE,
  type FaceReadout,
} from './faceReadout.js';

export const METHODS = ['pipeline', 'model', 'warpMouth', 'warpPaste', 'identity', 'warp', 'real'] as const;
export type Method = (typeof METHODS)[number];

export const METHOD_TITLES: Record<Method, string> = {
  pipeline: 'Mimic as `mimic transfer` outputs it (warp paste + mouth interior + ratio shading, as given)',
  model: 'Mimic model',
  warpMouth: 'warp paste + mouth interior + ratio shading, as given (no generator)',
  warpPaste: 'warp paste alone (no generator, no mouth interior)',
  identity: 'identity copy (input)',
  warp: 'piecewise-affine warp',
  real: 'real target (ceiling)',
};

export const METRICS = [
  'ssimGray',
  'ssimRgb',
  'psnr',
  'identityDistance',
  'sameIdentity',
  'expressionMatch',
  'landmarkError',
  'mouthInterior',
] as const;
export type Metric = (typeof METRICS)[number];

/** One method's scores on one triplet; null where a metric does not apply (e.g. SSIM of the real target). */
export type Scores = Record<Metric, number | null>;

export interface TripletResult {
  subject: string;
  input: string;
  target: string;
  from: string;
  to: string;
  scores: Partial<Record<Method, Scores>>;
}

export interface FoldResult {
  fold: number;
  subjects: string[];
  triplets: TripletResult[];
  /** Mean ± std over the fold's triplets, per method and metric. */
  summary: Partial<Record<Method, Record<Metric, MeanStd | null>>>;
  /**
   * Diagnostic, not a transfer score: the model given each held-out photo with its OWN landmarks (u = v),
   * compared with that photo. Its SSIM/PSNR bound what the model can reach when nothing has to change.
   */
  selfReconstruction?: { photos: number; ssimGray: MeanStd; ssimRgb: MeanStd; psnr: MeanStd | null };
  wallSeconds: number;
}

export interface EvaluateOptions {
  /** Absent: only the baselines are scored. */
  generate?: GenerateFn;
  /** Model batch size. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Receives each triplet's images (for a picture of the results). */
  onImages?: (
    index: number,
    images: {
      input: RgbImage;
      model?: RgbImage;
      pipeline?: RgbImage;
      warpMouth?: RgbImage;
      warp: RgbImage;
      target: RgbImage;
    },
  ) => void;
  /**
   * Mouth interiors for the "pipeline" and "warpMouth" rows. It must not hold the held-out people's own mouths
   * (scripts/build-mouth-bank.ts --exclude-fold K); the caller checks.
   */
  mouthBank?: MouthBank;
  /**
   * Expression ratio images for the same rows. They must not be averaged over the held-out people
   * (scripts/build-ratio-image.ts --exclude-fold K); the caller checks.
   */
  ratioImages?: readonly RatioImage[];
  /**
   * `mimic transfer`'s default paste, given the crop as the photo (transfer/ sits above eval/ in the folder stack,
   * so the CLI passes it in). Without it the "pipeline", "warpMouth" and "warpPaste" rows are not scored.
   */
  pipelinePaste?: PipelinePaste;
}

/** The warp paste of transfer/pasteModes.ts on a crop: photo = crop, identity alignment. */
export type PipelinePaste = (p: {
  crop: RgbImage;
  own: Landmarks;
  target: Landmarks;
  generated?: RgbImage;
  generatedOwn?: RgbImage;
  mouth?: { bank: MouthBank };
  ratios?: readonly RatioImage[];
}) => Promise<RgbImage>;

/**
 * Teeth + cavity share inside the target's inner lips (mouthComposition), only where the target parts the lips
 * beyond the input (interiorStrength > 0): there a lip-coloured opening is a miss. Null elsewhere.
 */
function mouthScore(output: RgbImage, inputLandmarks: Landmarks, targetLandmarks: Landmarks): number | null {
  const targetLips = lipsOf(targetLandmarks);
  if (interiorStrength(lipsOf(inputLandmarks), targetLips) <= 0) return null;
  const c = mouthComposition(output, targetLips);
  return c.pixels === 0 ? null : c.teeth + c.dark;
}

function scoreImage(
  output: RgbImage,
  target: RgbImage,
  readout: FaceReadout,
  targetReadout: FaceReadout,
  targetLandmarks: Landmarks,
  targetLabel: string,
  inputLandmarks: Landmarks,
): Scores {
  const distance = descriptorDistance(readout.descriptor, targetReadout.descriptor);
  const wanted = expressionForLabel(targetLabel);
  return {
    ssimGray: ssimGray(output, target),
    ssimRgb: ssimRgb(output, target),
    psnr: psnr(output, target),
    identityDistance: distance,
    sameIdentity: distance < SAME_PERSON_DISTANCE ? 1 : 0,
    expressionMatch: wanted === undefined ? null : readout.expression === wanted ? 1 : 0,
    landmarkError: normalizedLandmarkError(readout.landmarks, targetLandmarks),
    mouthInterior: mouthScore(output, inputLandmarks, targetLandmarks),
  };
}

function realTargetScores(
  target: RgbImage,
  readout: FaceReadout,
  targetLandmarks: Landmarks,
  targetLabel: string,
  inputLandmarks: Landmarks,
): Scores {
  const wanted = expressionForLabel(targetLabel);
  return {
    ssimGray: null,
    ssimRgb: null,
    psnr: null,
    identityDistance: null,
    sameIdentity: null,
    expressionMatch: wanted === undefined ? null : readout.expression === wanted ? 1 : 0,
    landmarkError: normalizedLandmarkError(readout.landmarks, targetLandmarks),
    mouthInterior: mouthScore(target, inputLandmarks, targetLandmarks),
  };
}

export function summarize(triplets: TripletResult[]): FoldResult['summary'] {
  const summary: FoldResult['summary'] = {};
  for (const method of METHODS) {
    if (!triplets.some((t) => t.scores[method] !== undefined)) continue;
    const row = {} as Record<Metric, MeanStd | null>;
    for (const metric of METRICS) row[metric] = meanStd(triplets.map((t) => t.scores[method]?.[metric]));
    summary[method] = row;
  }
  return summary;
}

/** Model outputs for all triplets, in batches. */
async function generateAll(
  cache: DataCache,
  triplets: EvalTriplet[],
  generate: GenerateFn,
  batchSize: number,
): Promise<RgbImage[]> {
  const size = cache.manifest.size;
  const pixels = size * size * 3;
  const out: RgbImage[] = [];
  for (let start = 0; start < triplets.length; start += batchSize) {
    const batch = triplets.slice(start, start + batchSize);
    const crops = new Float32Array(batch.length * pixels);
    const marks = new Float32Array(batch.length * LANDMARK_VALUES);
    const sources = new Float32Array(batch.length * LANDMARK_VALUES);
    batch.forEach((t, i) => {
      crops.set(imageToUnitRange(cacheImage(cache, t.input)), i * pixels);
      sources.set(cacheLandmarks(cache, t.input), i * LANDMARK_VALUES);
      marks.set(cacheLandmarks(cache, t.target), i * LANDMARK_VALUES);
    });
    const generated = await generate(crops, sources, marks, batch.length);
    if (generated.length !== batch.length * pixels)
      throw new Error(`the model returned ${generated.length} values, expected ${batch.length * pixels}`);
    for (let i = 0; i < batch.length; i++)
      out.push(unitRangeToImage(generated.subarray(i * pixels, (i + 1) * pixels), size, size));
  }
  return out;
}

async function scoreSelfReconstruction(
  cache: DataCache,
  triplets: EvalTriplet[],
  generate: GenerateFn,
  batchSize: number,
): Promise<NonNullable<FoldResult['selfReconstruction']>> {
  const photos = [...new Set(triplets.map((t) => t.input))];
  const own = photos.map((index) => ({ ...triplets[0]!, input: index, target: index }));
  const outputs = await generateAll(cache, own, generate, batchSize);
  const pairs = outputs.map((output, i) => [output, cacheImage(cache, photos[i]!)] as const);
  return {
    photos: photos.length,
    ssimGray: meanStd(pairs.map(([a, b]) => ssimGray(a, b)))!,
    ssimRgb: meanStd(pairs.map(([a, b]) => ssimRgb(a, b)))!,
    psnr: meanStd(pairs.map(([a, b]) => psnr(a, b))),
  };
}

export async function evaluateFold(
  cache: DataCache,
  fold: number,
  options: EvaluateOptions = {},
): Promise<FoldResult> {
  const started = performance.now();
  const { manifest } = cache;
  const size = manifest.size;
  const triplets = heldOutTriplets(manifest, fold);
  const pixelLandmarks = (index: number): Landmarks =>
    denormalizeLandmarks(unflattenLandmarks(cacheLandmarks(cache, index)), size);

  const generated = options.generate
    ? await generateAll(cache, triplets, options.generate, options.batchSize ?? 32)
    : undefined;
  // The generator's rendering of each input with its own landmarks: the warp paste adds generated − this.
  const generatedOwn = options.generate
    ? await generateAll(
        cache,
        triplets.map((t) => ({ ...t, target: t.input })),
        options.generate,
        options.batchSize ?? 32,
      )
    : undefined;

  // Readouts of the cache's own photos serve both as "identity copy" outputs and as real targets: once per item.
  const itemReadouts = new Map<number, FaceReadout>();
  const itemReadout = async (index: number): Promise<FaceReadout> => {
    let r = itemReadouts.get(index);
    if (r === undefined) {
      r = (await readFaces([cacheImage(cache, index)]))[0]!;
      itemReadouts.set(index, r);
    }
    return r;
  };

  const results: TripletResult[] = [];
  for (let i = 0; i < triplets.length; i++) {
    const t = triplets[i]!;
    const input = cacheImage(cache, t.input);
    const target = cacheImage(cache, t.target);
    const targetMarks = pixelLandmarks(t.target);
    const targetReadout = await itemReadout(t.target);
    const warped = piecewiseAffineWarp(input, pixelLandmarks(t.input), targetMarks);
    const [warpReadout] = await readFaces([warped]);
    const inputMarks = pixelLandmarks(t.input);
    const score = (output: RgbImage, readout: FaceReadout): Scores =>
      scoreImage(output, target, readout, targetReadout, targetMarks, t.targetLabel, inputMarks);
    const scores: TripletResult['scores'] = {};
    // What `mimic transfer` makes of this crop: the same paste code with the crop as the photo (identity transform).
    const pipelinePaste = options.pipelinePaste;
    const paste = (withModel: boolean, withMouth = true): Promise<RgbImage> =>
      pipelinePaste!({
        crop: input,
        own: inputMarks,
        target: targetMarks,
        ...(withModel && generated ? { generated: generated[i]!, generatedOwn: generatedOwn![i]! } : {}),
        ...(options.mouthBank && withMouth ? { mouth: { bank: options.mouthBank } } : {}),
        ...(options.ratioImages && withMouth ? { ratios: options.ratioImages } : {}),
      });
    const pipeline = generated && pipelinePaste ? await paste(true) : undefined;
    const warpMouth =
      (options.mouthBank || options.ratioImages) && pipelinePaste ? await paste(false) : undefined;
    if (pipeline) scores.pipeline = score(pipeline, (await readFaces([pipeline]))[0]!);
    if (generated) {
      const output = generated[i]!;
      scores.model = score(output, (await readFaces([output]))[0]!);
    }
    if (warpMouth) {
      scores.warpMouth = score(warpMouth, (await readFaces([warpMouth]))[0]!);
      // The same paste without the interior and the shading: what those alone change. (It differs from the bare warp outside
      // the face, where the paste keeps the input's own sharp hair and background.)
      const warpPaste = await paste(false, false);
      scores.warpPaste = score(warpPaste, (await readFaces([warpPaste]))[0]!);
    }
    scores.identity = score(input, await itemReadout(t.input));
    scores.warp = score(warped, warpReadout!);
    scores.real = realTargetScores(target, targetReadout, targetMarks, t.targetLabel, inputMarks);
    results.push({
      subject: t.subject,
      input: t.inputId,
      target: t.targetId,
      from: t.inputLabel,
      to: t.targetLabel,
      scores,
    });
    options.onImages?.(i, { input, model: generated?.[i], pipeline, warpMouth, warp: warped, target });
    options.onProgress?.(i + 1, triplets.length);
  }
  const selfReconstruction = options.generate
    ? await scoreSelfReconstruction(cache, triplets, options.generate, options.batchSize ?? 32)
    : undefined;
  return {
    fold,
    subjects: [...new Set(triplets.map((t) => t.subject))],
    triplets: results,
    summary: summarize(results),
    ...(selfReconstruction ? { selfReconstruction } : {}),
    wallSeconds: (performance.now() - started) / 1000,
  };
}
