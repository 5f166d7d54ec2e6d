/**
 * `prepare`: from a data set on disk to a training-ready cache — detect (or take the data set's landmarks),
 * align, crop, label, split by subject.
 */
import { join } from 'node:path';
import { decodeImage, resizeImage } from '../image/io.js';
import { alignFace } from '../face/alignFace.js';
import { chooseFace, detectFaces } from '../face/detect.js';
import { DEFAULT_ALIGNMENT, type AlignmentConfig } from '../face/align.js';
import { flattenLandmarks, normalizeLandmarks, LANDMARK_VALUES } from '../face/landmarks.js';
import { isMimicError } from '../util/errors.js';
import { MimicError } from '../util/errors.js';
import { readerFor } from './readers/index.js';
import { CACHE_VERSION, type CacheItem, type CacheManifest } from './cacheFormat.js';
import { writeDataCache } from './cache.js';
import { DEFAULT_FOLDS, DEFAULT_SPLIT_SEED, splitSubjects } from './split.js';

export interface PrepareOptions {
  root: string;
  layout: string;
  out: string;
  alignment?: AlignmentConfig;
  folds?: number;
  seed?: number;
  /** Reader options (e.g. Multi-PIE cameras, illumination). */
  readerOptions?: Record<string, string>;
  /** Called after each photo with (done, total, source, error?). */
  onProgress?: (done: number, total: number, source: string, error?: string) => void;
}

export interface PrepareResult {
  manifest: CacheManifest;
}

export async function prepareDataset(options: PrepareOptions): Promise<PrepareResult> {
  const alignment = options.alignment ?? DEFAULT_ALIGNMENT;
  const entries = await readerFor(options.layout).read(options.root, options.readerOptions);
  const pixels = alignment.size * alignment.size * 3;
  const images: Uint8Array[] = [];
  const landmarks: Float32Array[] = [];
  const items: CacheItem[] = [];
  const skipped: { source: string; reason: string }[] = [];
  const ids = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    let error: string | undefined;
    try {
      const photo = await decodeImage(join(options.root, entry.source), {}, entry.source);
      let points = entry.landmarks;
      // Training data keep the SSD detector the shipped model's data were prepared with (the photo commands' tiny
      // detector path moves the points a little: README, speed), so that a cache prepared again is the same.
      if (!points)
        points = chooseFace(await detectFaces(photo, { detector: 'ssd' }), entry.source, 0).face.landmarks;
      const aligned = await alignFace(photo, points, alignment, entry.source, resizeImage);
      let id = `${options.layout}/${entry.subject}/${entry.expression}`;
      for (let k = 2; ids.has(id); k++) id = `${options.layout}/${entry.subject}/${entry.expression}/${k}`;
      ids.add(id);
      items.push({
        id,
        subject: entry.subject,
        expression: entry.expression,
        source: entry.source,
        index: items.length,
        landmarkSource: entry.landmarks ? 'dataset' : 'detected',
      });
      images.push(aligned.crop.data);
      landmarks.push(flattenLandmarks(normalizeLandmarks(aligned.landmarks, alignment.size)));
    } catch (caught) {
      if (!isMimicError(caught)) throw caught;
      error = caught.message.replace(`${entry.source}: `, '');
      skipped.push({ source: entry.source, reason: error });
    }
    options.onProgress?.(i + 1, entries.length, entry.source, error);
  }
  if (items.length === 0)
    throw new MimicError(`${options.root}: none of the ${entries.length} photos could be used`);
  const subjects = items.map((it) => it.subject);
  const k = options.folds ?? DEFAULT_FOLDS;
  const seed = options.seed ?? DEFAULT_SPLIT_SEED;
  const manifest: CacheManifest = {
    version: CACHE_VERSION,
    layout: options.layout,
    root: options.root,
    createdAt: new Date().toISOString(),
    size: alignment.size,
    channels: 3,
    alignment,
    labels: [...new Set(items.map((it) => it.expression))].sort(),
    items,
    split: { k, seed, folds: splitSubjects(subjects, k, seed) },
    skipped,
  };
  const allImages = new Uint8Array(items.length * pixels);
  images.forEach((img, i) => allImages.set(img, i * pixels));
  const allLandmarks = new Float32Array(items.length * LANDMARK_VALUES);
  landmarks.forEach((l, i) => allLandmarks.set(l, i * LANDMARK_VALUES));
  await writeDataCache(options.out, { manifest, images: allImages, landmarks: allLandmarks });
  return { manifest };
}
