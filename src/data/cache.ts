/**
 * Reading and writing the prepared data set (format: cacheFormat.ts). Reading loads the two binary files whole:
 * training then samples crops straight from memory, no JPEG decoding per epoch.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MimicError } from '../util/errors.js';
import { writeDirAtomic } from '../util/atomic.js';
import { LANDMARK_VALUES } from '../face/landmarks.js';
import { CACHE_VERSION, type CacheManifest } from './cacheFormat.js';

export interface DataCache {
  manifest: CacheManifest;
  /** N × size × size × 3 bytes. */
  images: Uint8Array;
  /** N × 136 floats in [-1, 1]. */
  landmarks: Float32Array;
}

export const MANIFEST_FILE = 'manifest.json';
export const IMAGES_FILE = 'images.u8';
export const LANDMARKS_FILE = 'landmarks.f32';

export async function readDataCache(dir: string): Promise<DataCache> {
  let manifest: CacheManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as CacheManifest;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MimicError(
      code === 'ENOENT'
        ? `${dir}: not a prepared data set (no ${MANIFEST_FILE}); run mimic prepare first`
        : `${dir}/${MANIFEST_FILE}: unreadable (${(error as Error).message})`,
      3,
    );
  }
  if (manifest.version !== CACHE_VERSION)
    throw new MimicError(
      `${dir}: data set version ${manifest.version}, expected ${CACHE_VERSION}; prepare it again`,
      3,
    );
  const n = manifest.items.length;
  const pixels = manifest.size * manifest.size * 3;
  const read = async (name: string, bytes: number): Promise<Buffer> => {
    let data: Buffer;
    try {
      data = await readFile(join(dir, name));
    } catch (error) {
      throw new MimicError(
        `${dir}/${name}: missing or unreadable (${(error as NodeJS.ErrnoException).code})`,
        3,
      );
    }
    if (data.length !== bytes)
      throw new MimicError(
        `${dir}/${name}: ${data.length} bytes, expected ${bytes} for ${n} items; prepare it again`,
        3,
      );
    return data;
  };
  const imageBytes = await read(IMAGES_FILE, n * pixels);
  const landmarkBytes = await read(LANDMARKS_FILE, n * LANDMARK_VALUES * 4);
  const landmarks = new Float32Array(n * LANDMARK_VALUES);
  new Uint8Array(landmarks.buffer).set(landmarkBytes);
  return { manifest, images: new Uint8Array(imageBytes), landmarks };
}

/** Writes a complete cache folder atomically (replacing an existing one only once the new one is whole). */
export async function writeDataCache(dir: string, cache: DataCache): Promise<void> {
  const n = cache.manifest.items.length;
  const pixels = cache.manifest.size * cache.manifest.size * 3;
  if (cache.images.length !== n * pixels || cache.landmarks.length !== n * LANDMARK_VALUES)
    throw new Error('writeDataCache: array sizes do not match the manifest');
  await writeDirAtomic(dir, async (tmp) => {
    await writeFile(join(tmp, IMAGES_FILE), cache.images);
    await writeFile(
      join(tmp, LANDMARKS_FILE),
      new Uint8Array(cache.landmarks.buffer, cache.landmarks.byteOffset, cache.landmarks.byteLength),
    );
    // The manifest last: a folder with a manifest is a folder whose data files were written.
    await writeFile(join(tmp, MANIFEST_FILE), JSON.stringify(cache.manifest, null, 1) + '\n');
  });
}

/** The crop of item `index` as an RgbImage-compatible view. */
export function cacheImage(
  cache: DataCache,
  index: number,
): { width: number; height: number; data: Uint8Array } {
  const s = cache.manifest.size;
  const pixels = s * s * 3;
  return { width: s, height: s, data: cache.images.subarray(index * pixels, (index + 1) * pixels) };
}

export function cacheLandmarks(cache: DataCache, index: number): Float32Array {
  return cache.landmarks.subarray(index * LANDMARK_VALUES, (index + 1) * LANDMARK_VALUES);
}
