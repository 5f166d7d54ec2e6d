// Triplets, reference sampling and augmentation as the trainer feeds them to the networks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDataCache } from '../../src/data/cache.js';
import { warpAffine } from '../../src/image/warpAffine.js';
import { MIRROR_MAP } from '../../src/face/landmarks.js';
import { resolveModelConfig } from '../../src/model/config.js';
import { Rng } from '../../src/util/random.js';
import { flipImage, flipLandmarks, randomJitter, warpNormalizedLandmarks } from '../../src/train/augment.js';
import { makeShard, splitTriplets, TripletSampler } from '../../src/train/trainingData.js';
import { tempDir } from '../helpers/paths.js';
import { writeSyntheticCache } from './syntheticCache.js';

test('triplets cover every ordered expression pair of each training subject, identity pairs included', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeSyntheticCache(dir, 4, 2);
    const cache = await readDataCache(dir);
    const split = splitTriplets(cache, 0);
    const held = new Set(cache.manifest.split.folds[0]);
    // 2 training subjects × 2 expressions → 2 × 4 ordered pairs; the same for the held-out fold.
    assert.equal(split.train.length, 8);
    assert.equal(split.test.length, 8);
    for (const t of split.train) {
      const a = cache.manifest.items[t.input]!;
      const b = cache.manifest.items[t.target]!;
      assert.equal(a.subject, b.subject);
      assert.ok(!held.has(a.subject));
    }
    assert.equal(split.train.filter((t) => t.input === t.target).length, 4);
    // References always come from another subject; α = 1 exactly when the labels differ.
    const config = resolveModelConfig({ batchSize: 8 });
    const shard = makeShard(cache, split.train, config, new Rng(5), split.trainItems, false);
    const different = shard.different as Float32Array;
    split.train.forEach((t, i) => {
      const target = cache.manifest.items[t.target]!;
      const refFlat = (shard.referenceLandmarks as Float32Array).subarray(i * 136, (i + 1) * 136);
      const reference = cache.manifest.items.find((item) => {
        const l = cache.landmarks.subarray(item.index * 136, (item.index + 1) * 136);
        return l.every((v, k) => v === refFlat[k]);
      })!;
      assert.notEqual(reference.subject, target.subject);
      assert.equal(different[i], reference.expression === target.expression ? 0 : 1);
    });
  } finally {
    await cleanup();
  }
});

test('a sampler with a restored state draws the same batches as the original', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeSyntheticCache(dir, 4, 2);
    const cache = await readDataCache(dir);
    const split = splitTriplets(cache, undefined);
    const config = resolveModelConfig({});
    const rngA = new Rng(9);
    const a = new TripletSampler(cache, split, config, rngA);
    a.nextBatch(5);
    const saved = { sampler: a.getState(), rng: rngA.getState() };
    const expected = a.nextBatch(20); // crosses an epoch boundary (16 triplets)
    const rngB = new Rng(1);
    const b = new TripletSampler(cache, split, config, rngB);
    b.setState(saved.sampler);
    rngB.setState(saved.rng);
    assert.deepEqual(b.nextBatch(20), expected);
    assert.ok(b.epoch > 1);
  } finally {
    await cleanup();
  }
});

test('flipping mirrors the image and maps landmarks through the iBUG mirror map', () => {
  const size = 4;
  const data = new Uint8Array(size * size * 3).map((_, i) => i);
  const flipped = flipImage({ width: size, height: size, data });
  // Pixel (x=0, y=1) becomes pixel (x=3, y=1).
  assert.deepEqual([...flipped.data.subarray((1 * size + 3) * 3, (1 * size + 3) * 3 + 3)], [12, 13, 14]);
  const flat = new Float32Array(136).map((_, i) => (i % 2 === 0 ? i / 200 : -i / 300));
  const mirrored = flipLandmarks(flat);
  // Point 36 (subject's right eye corner) becomes point 45's mirror, x negated.
  assert.equal(mirrored[2 * 36], -flat[2 * MIRROR_MAP[36]!]!);
  assert.equal(mirrored[2 * 36 + 1], flat[2 * 45 + 1]);
  assert.deepEqual(flipLandmarks(mirrored), flat);
});

test('geometric jitter moves landmarks with the image: a point on a dark dot stays on the dot', () => {
  const size = 64;
  const data = new Uint8Array(size * size * 3).fill(255);
  for (let y = 20; y < 24; y++)
    for (let x = 40; x < 44; x++) data.fill(0, (y * size + x) * 3, (y * size + x) * 3 + 3);
  const config = resolveModelConfig({
    augment: {
      flip: false,
      rotateDegrees: 10,
      scale: 0.1,
      shiftPixels: 4,
      brightness: 0,
      contrast: 0,
      saturation: 0,
    },
  }).augment;
  const rng = new Rng(2);
  for (let trial = 0; trial < 5; trial++) {
    const m = randomJitter(rng, config, size);
    const dot = new Float32Array(136);
    dot[0] = (42 / size) * 2 - 1; // centre of the dot, normalized
    dot[1] = (22 / size) * 2 - 1;
    const moved = warpNormalizedLandmarks(dot, m, size);
    const x = Math.floor(((moved[0]! + 1) / 2) * size);
    const y = Math.floor(((moved[1]! + 1) / 2) * size);
    const warped = warpAffine({ width: size, height: size, data }, m, size, size);
    assert.ok(warped.data[(y * size + x) * 3]! < 128, `trial ${trial}: the moved landmark is off the dot`);
  }
});

test('warp-refine shards: the warped input follows the (augmented) target landmarks', async () => {
  const cache = await readDataCache(new URL('../fixtures/eval/frl-mini', import.meta.url).pathname);
  const split = splitTriplets(cache, undefined);
  // Identity triplets (a photo and itself): input and target differ only by their independent jitter (and a
  // shared flip), so a warp that follows the target's landmarks must land much closer to the target than the
  // input is. Without augmentation it is the input itself.
  const identity = split.train.filter((t) => t.input === t.target).slice(0, 6);
  const meanAbs = (a: Float32Array, b: Float32Array) =>
    a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;
  const plain = resolveModelConfig({ generatorBase: 'warped' });
  const still = makeShard(cache, identity, plain, new Rng(3), split.trainItems, false);
  assert.ok(meanAbs(still.warped as Float32Array, still.input as Float32Array) < 1e-6);
  const jittery = resolveModelConfig({
    generatorBase: 'warped',
    augment: { rotateDegrees: 6, scale: 0.06, shiftPixels: 3, brightness: 0, contrast: 0, saturation: 0 },
  });
  const shard = makeShard(cache, identity, jittery, new Rng(4), split.trainItems, true);
  const warped = shard.warped as Float32Array;
  const toTarget = meanAbs(warped, shard.target as Float32Array);
  const inputToTarget = meanAbs(shard.input as Float32Array, shard.target as Float32Array);
  assert.ok(toTarget < inputToTarget / 2, `warp ${toTarget.toFixed(4)} vs input ${inputToTarget.toFixed(4)}`);
  // A model without warp-refine gets no such field.
  assert.equal(
    makeShard(cache, identity, resolveModelConfig({}), new Rng(3), split.trainItems, false).warped,
    undefined,
  );
});
