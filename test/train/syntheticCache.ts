/**
 * A tiny prepared data set in the cache format (src/data/cacheFormat.ts), written by tests: `subjects` people ×
 * {neutral, smile}. Each face is a flat colour per subject with a darker "mouth" bar that is wider for a smile; the
 * landmarks move the mouth points with it. Enough structure for a network to learn, small enough to train in
 * seconds.
 */
import { writeDataCache } from '../../src/data/cache.js';
import { CACHE_VERSION, type CacheItem, type CacheManifest } from '../../src/data/cacheFormat.js';
import { DEFAULT_ALIGNMENT } from '../../src/face/align.js';
import { LANDMARK_GROUPS } from '../../src/face/landmarks.js';

const SIZE = 64;

export async function writeSyntheticCache(dir: string, subjects = 4, folds = 2): Promise<void> {
  const labels = ['neutral', 'smile'];
  const items: CacheItem[] = [];
  const n = subjects * labels.length;
  const images = new Uint8Array(n * SIZE * SIZE * 3);
  const landmarks = new Float32Array(n * 136);
  let index = 0;
  for (let s = 0; s < subjects; s++) {
    const subject = String(s + 1).padStart(3, '0');
    const colour = [90 + ((s * 53) % 120), 80 + ((s * 31) % 100), 70 + ((s * 71) % 110)];
    for (const [e, expression] of labels.entries()) {
      const mouthHalfWidth = e === 0 ? 8 : 14;
      const base = index * SIZE * SIZE * 3;
      for (let y = 0; y < SIZE; y++)
        for (let x = 0; x < SIZE; x++) {
          const inMouth = y >= 44 && y < 48 && Math.abs(x - 32) < mouthHalfWidth;
          const inEyes = y >= 22 && y < 26 && (Math.abs(x - 22) < 4 || Math.abs(x - 42) < 4);
          const shade = inMouth || inEyes ? 0.35 : 1 - 0.3 * (y / SIZE);
          for (let c = 0; c < 3; c++) images[base + (y * SIZE + x) * 3 + c] = Math.round(colour[c]! * shade);
        }
      for (let p = 0; p < 68; p++) {
        // A ring of points, with the mouth points pulled to the mouth bar's ends.
        const angle = (p / 68) * 2 * Math.PI;
        let x = 0.6 * Math.cos(angle) + 0.01 * s;
        let y = 0.7 * Math.sin(angle);
        if ((LANDMARK_GROUPS.lips as readonly number[]).includes(p)) {
          x = ((p % 2 === 0 ? -1 : 1) * mouthHalfWidth) / 32;
          y = 46 / 32 - 1;
        }
        landmarks[index * 136 + 2 * p] = x;
        landmarks[index * 136 + 2 * p + 1] = y;
      }
      items.push({
        id: `synthetic/${subject}/${expression}`,
        subject,
        expression,
        source: `${expression}/${subject}.png`,
        index,
        landmarkSource: 'dataset',
      });
      index += 1;
    }
  }
  const subjectIds = Array.from({ length: subjects }, (_, s) => String(s + 1).padStart(3, '0'));
  const manifest: CacheManifest = {
    version: CACHE_VERSION,
    layout: 'synthetic',
    root: 'synthetic',
    createdAt: new Date(0).toISOString(),
    size: SIZE,
    channels: 3,
    alignment: DEFAULT_ALIGNMENT,
    labels,
    items,
    split: {
      k: folds,
      seed: 1,
      folds: Array.from({ length: folds }, (_, k) => subjectIds.filter((_, i) => i % folds === k)),
    },
    skipped: [],
  };
  await writeDataCache(dir, { manifest, images, landmarks });
}
