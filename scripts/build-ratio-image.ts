/**
 * The smile preset's expression ratio image (Liu, Shan & Zhang, SIGGRAPH 2001; src/face/ratioImage.ts), averaged
 * over the FRL London pairs of the prepared cache: per person, log(smile luma / neutral luma warped to the smile's
 * landmarks), both lightly blurred ([1 2 1]² at 64 px) against misalignment, warped to the mean smile shape,
 * averaged over people. Beside it the mean landmark motion neutral → smile, each pair's divided by the neutral
 * face's inter-ocular distance: how much of the ratio a target gets is the projection of its motion onto this one.
 *
 *   node --import tsx scripts/build-ratio-image.ts --out models/default                      # ratio-smile.json
 *   … --exclude-fold K                                                                         # leave fold K out
 */
import { parseArgs } from 'node:util';
import { cacheImage, cacheLandmarks, readDataCache } from '../src/data/cache.js';
import { foldSubjects } from '../src/data/split.js';
import { writeRatioImage } from '../src/face/ratioImageFile.js';
import {
  denormalizeLandmarks,
  interocularDistance,
  LANDMARK_COUNT,
  LANDMARK_VALUES,
  unflattenLandmarks,
  type Landmarks,
} from '../src/face/landmarks.js';
import { piecewiseAffineWarp } from '../src/image/piecewiseAffineWarp.js';
import type { RgbImage } from '../src/image/rgbImage.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'datasets/frl-london-64' },
    out: { type: 'string' },
    from: { type: 'string', default: 'neutral' },
    to: { type: 'string', default: 'smile' },
    'exclude-fold': { type: 'string' },
  },
});
if (!values.out) {
  console.error(
    'usage: build-ratio-image --out DIR [--data CACHE] [--from neutral] [--to smile] [--exclude-fold K]',
  );
  process.exit(2);
}
const cache = await readDataCache(values.data!);
const size = cache.manifest.size;
const excluded =
  values['exclude-fold'] === undefined
    ? new Set<string>()
    : foldSubjects(cache.manifest.split.folds, Number(values['exclude-fold'])).test;
const landmarks = (i: number): Landmarks =>
  denormalizeLandmarks(unflattenLandmarks(cacheLandmarks(cache, i)), size);
const bySubject = new Map<string, Record<string, number>>();
const subjectOf = new Map<Record<string, number>, string>();
for (const item of cache.manifest.items) {
  if (excluded.has(item.subject)) continue;
  bySubject.set(item.subject, { ...bySubject.get(item.subject), [item.expression]: item.index });
}
for (const [subject, p] of bySubject) subjectOf.set(p, subject);
const pairs = [...bySubject.values()].filter(
  (p) => p[values.from!] !== undefined && p[values.to!] !== undefined,
);
const mean: Landmarks = Array.from({ length: LANDMARK_COUNT }, () => [0, 0]);
const motion = new Float32Array(LANDMARK_VALUES);
for (const p of pairs) {
  const from = landmarks(p[values.from!]!);
  const iod = interocularDistance(from);
  landmarks(p[values.to!]!).forEach(([x, y], k) => {
    mean[k]![0] += x / pairs.length;
    mean[k]![1] += y / pairs.length;
    motion[2 * k] = motion[2 * k]! + (x - from[k]![0]) / iod / pairs.length;
    motion[2 * k + 1] = motion[2 * k + 1]! + (y - from[k]![1]) / iod / pairs.length;
  });
}
const luma = (im: RgbImage, i: number): number =>
  0.299 * im.data[3 * i]! + 0.587 * im.data[3 * i + 1]! + 0.114 * im.data[3 * i + 2]!;
const blur = (a: Float32Array): Float32Array => {
  const o = new Float32Array(a.length);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      let s = 0;
      let w = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const k = (dx === 0 ? 2 : 1) * (dy === 0 ? 2 : 1);
          s +=
            k * a[Math.min(size - 1, Math.max(0, y + dy)) * size + Math.min(size - 1, Math.max(0, x + dx))]!;
          w += k;
        }
      o[y * size + x] = s / w;
    }
  return o;
};
const LOG_RANGE = 0.5; // as ratioImage.ts carries logs through the RGB warper
const sum = new Float32Array(size * size);
for (const p of pairs) {
  const to = cacheImage(cache, p[values.to!]!);
  const from = piecewiseAffineWarp(
    cacheImage(cache, p[values.from!]!),
    landmarks(p[values.from!]!),
    landmarks(p[values.to!]!),
  );
  const a = new Float32Array(size * size);
  const b = new Float32Array(size * size);
  for (let i = 0; i < a.length; i++) {
    a[i] = luma(to, i);
    b[i] = luma(from, i);
  }
  const ba = blur(a);
  const bb = blur(b);
  const enc: RgbImage = { width: size, height: size, data: new Uint8Array(size * size * 3) };
  for (let i = 0; i < a.length; i++) {
    const r = Math.log((ba[i]! + 8) / (bb[i]! + 8)); // +8: dark pixels must not give huge ratios
    const v = Math.round(((r + LOG_RANGE) / (2 * LOG_RANGE)) * 255);
    enc.data[3 * i] = enc.data[3 * i + 1] = enc.data[3 * i + 2] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  const onMean = piecewiseAffineWarp(enc, landmarks(p[values.to!]!), mean);
  for (let i = 0; i < sum.length; i++)
    sum[i] = sum[i]! + (((onMean.data[3 * i]! / 255) * 2 - 1) * LOG_RANGE) / pairs.length;
}
await writeRatioImage(
  values.out,
  values.to!,
  { size, shape: mean, log: sum, motion, subjects: pairs.map((p) => subjectOf.get(p)!).sort() },
  `scripts/build-ratio-image.ts --data ${values.data} --from ${values.from} --to ${values.to}` +
    (excluded.size ? ` --exclude-fold ${values['exclude-fold']}` : '') +
    ` (${pairs.length} people)`,
);
console.log(`ratio-${values.to}.json from ${pairs.length} people → ${values.out}`);
