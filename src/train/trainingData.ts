/**
 * Training triplets from a prepared data set: (I_u, I_v, g_v) over all ordered expression pairs of each subject,
 * identity pairs (u = v) included, as in Qiao et al. 2018. Batches are drawn epoch by epoch from a shuffled
 * triplet order; each triplet gets a reference landmark set from a random other subject (the contrastive pair)
 * and its augmentation. All randomness comes from one Rng, so a resumed run continues the same sequence.
 */
import { cacheImage, cacheLandmarks, type DataCache } from '../data/cache.js';
import { foldSubjects } from '../data/split.js';
import type { SamplerState } from '../model/checkpoint.js';
import type { MimicModelConfig } from '../model/config.js';
import { MimicError } from '../util/errors.js';
import type { BatchShard } from '../engine/parallel/replica.js';
import {
  cropToUnitRange,
  flipImage,
  flipLandmarks,
  isIdentityJitter,
  NO_COLOUR_JITTER,
  randomColourJitter,
  randomJitter,
  warpCrop,
  warpNormalizedLandmarks,
} from './augment.js';
import type { Rng } from '../util/random.js';
import { warpCropToTarget } from '../model/warpedInput.js';
import { LANDMARK_VALUES } from '../face/landmarks.js';

export interface TrainingTriplet {
  /** Cache index of the input photo I_u. */
  input: number;
  /** Cache index of the target I_v (its landmarks are g_v). */
  target: number;
}

export interface TrainingSplit {
  train: TrainingTriplet[];
  /** Triplets of held-out subjects (empty with --all). */
  test: TrainingTriplet[];
  /** Cache indices of the training items (references are drawn from these). */
  trainItems: number[];
}

/** Triplets of the subjects in `subjects`, in cache order (deterministic). */
export function tripletsOf(cache: DataCache, subjects: Set<string>): TrainingTriplet[] {
  const bySubject = new Map<string, number[]>();
  for (const item of cache.manifest.items) {
    if (!subjects.has(item.subject)) continue;
    const list = bySubject.get(item.subject) ?? [];
    list.push(item.index);
    bySubject.set(item.subject, list);
  }
  const out: TrainingTriplet[] = [];
  for (const subject of [...bySubject.keys()].sort())
    for (const input of bySubject.get(subject)!)
      for (const target of bySubject.get(subject)!) out.push({ input, target });
  return out;
}

/** The fold's split; `fold` undefined = all subjects train. */
export function splitTriplets(cache: DataCache, fold: number | undefined): TrainingSplit {
  const { train, test } = foldSubjects(cache.manifest.split.folds, fold);
  const trainTriplets = tripletsOf(cache, train);
  if (trainTriplets.length === 0) throw new MimicError('the data set has no training items for this fold');
  const trainItems = cache.manifest.items.filter((item) => train.has(item.subject)).map((item) => item.index);
  if (new Set(trainItems.map((i) => cache.manifest.items[i]!.subject)).size < 2)
    throw new MimicError(
      'training needs at least two subjects (the contrastive loss pairs different people)',
    );
  return { train: trainTriplets, test: tripletsOf(cache, test), trainItems };
}

/** Where the sampler stands: enough to continue the exact same sequence of batches. */

export class TripletSampler {
  private state: SamplerState;

  constructor(
    private readonly cache: DataCache,
    private readonly split: TrainingSplit,
    private readonly config: MimicModelConfig,
    private readonly rng: Rng,
  ) {
    this.state = { epoch: 0, position: 0, order: this.newOrder() };
  }

  private newOrder(): number[] {
    return this.rng.shuffle(Array.from({ length: this.split.train.length }, (_, i) => i));
  }

  /** Epochs completed as a fraction (for progress lines). */
  get epoch(): number {
    return this.state.epoch + this.state.position / this.state.order.length;
  }

  getState(): SamplerState {
    return { ...this.state, order: [...this.state.order] };
  }

  setState(state: SamplerState): void {
    if (state.order.length !== this.split.train.length)
      throw new MimicError(
        'the checkpoint was made with a different data set or fold (triplet count differs)',
      );
    this.state = { ...state, order: [...state.order] };
  }

  /** The next batch of training triplets, augmented, as a replica shard. */
  nextBatch(batchSize: number): BatchShard {
    const triplets: TrainingTriplet[] = [];
    while (triplets.length < batchSize) {
      if (this.state.position >= this.state.order.length) {
        this.state = { epoch: this.state.epoch + 1, position: 0, order: this.newOrder() };
      }
      triplets.push(this.split.train[this.state.order[this.state.position++]!]!);
    }
    return makeShard(this.cache, triplets, this.config, this.rng, this.split.trainItems, true);
  }
}

/**
 * Builds a shard for the given triplets. With `augment` false (sample grids, evaluation) no flip or jitter is
 * applied; references and ε still come from `rng`.
 */
export function makeShard(
  cache: DataCache,
  triplets: TrainingTriplet[],
  config: MimicModelConfig,
  rng: Rng,
  referenceItems: number[],
  augment: boolean,
): BatchShard {
  const n = triplets.length;
  const size = cache.manifest.size;
  const c = config.channels;
  const imageFloats = size * size * c;
  const input = new Float32Array(n * imageFloats);
  const target = new Float32Array(n * imageFloats);
  const targetLandmarks = new Float32Array(n * LANDMARK_VALUES);
  const referenceLandmarks = new Float32Array(n * LANDMARK_VALUES);
  const different = new Float32Array(n);
  const gpEpsilon = new Float32Array(n);
  // The warp-refine generator's second input: the (augmented) input warped to the (augmented) target landmarks.
  const warped = config.generatorBase === 'warped' ? new Float32Array(n * imageFloats) : undefined;
  const items = cache.manifest.items;
  const a = config.augment;
  triplets.forEach((t, i) => {
    let inputImage = cacheImage(cache, t.input);
    let targetImage = cacheImage(cache, t.target);
    let landmarks: Float32Array = Float32Array.from(cacheLandmarks(cache, t.target));
    let inputLandmarks: Float32Array = Float32Array.from(cacheLandmarks(cache, t.input));
    const targetSubject = items[t.target]!.subject;
    let reference = t.target;
    // A reference from another subject; bounded tries, a data set with one subject is refused earlier.
    for (let tries = 0; tries < 100 && items[reference]!.subject === targetSubject; tries++)
      reference = referenceItems[rng.int(referenceItems.length)]!;
    let referenceFlat: Float32Array = Float32Array.from(cacheLandmarks(cache, reference));
    let colour = NO_COLOUR_JITTER;
    if (augment) {
      if (a.flip && rng.next() < 0.5) {
        inputImage = flipImage(inputImage);
        targetImage = flipImage(targetImage);
        landmarks = flipLandmarks(landmarks);
        inputLandmarks = flipLandmarks(inputLandmarks);
      }
      if (a.flip && rng.next() < 0.5) referenceFlat = flipLandmarks(referenceFlat);
      if (!isIdentityJitter(a)) {
        // Input and target move independently: the target's landmarks, not the input's pose, say where the
        // output face is. The target image and its landmarks move together.
        const inputJitter = randomJitter(rng, a, size);
        inputImage = warpCrop(inputImage, inputJitter);
        inputLandmarks = warpNormalizedLandmarks(inputLandmarks, inputJitter, size);
        const m = randomJitter(rng, a, size);
        targetImage = warpCrop(targetImage, m);
        landmarks = warpNormalizedLandmarks(landmarks, m, size);
      }
      // One colour change for the pair: the output's colours should follow the input photo.
      colour = randomColourJitter(rng, a);
    }
    cropToUnitRange(inputImage, colour, c, input, i * imageFloats);
    cropToUnitRange(targetImage, colour, c, target, i * imageFloats);
    if (warped !== undefined)
      cropToUnitRange(
        warpCropToTarget(inputImage, inputLandmarks, landmarks),
        colour,
        c,
        warped,
        i * imageFloats,
      );
    targetLandmarks.set(landmarks, i * LANDMARK_VALUES);
    referenceLandmarks.set(referenceFlat, i * LANDMARK_VALUES);
    different[i] = items[reference]!.expression === items[t.target]!.expression ? 0 : 1;
    gpEpsilon[i] = rng.next();
  });
  const shard: BatchShard = { input, target, targetLandmarks, referenceLandmarks, different, gpEpsilon };
  if (warped !== undefined) shard.warped = warped;
  return shard;
}
