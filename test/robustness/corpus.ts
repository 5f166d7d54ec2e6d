/**
 * The robustness corpus, made at test time in a temporary folder: damaged photos, bombs by header, degenerate
 * landmark files, damaged model folders. Small files, built in well under a second (model folders link to the
 * shipped model's files and copy only the file they damage).
 */
import { copyFile, link, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { landmarkFileToJson, type LandmarkFile } from '../../src/face/landmarkFile.js';
import type { Landmarks } from '../../src/face/landmarks.js';
import type { Point } from '../../src/geometry/affine.js';
import { DEFAULT_MODEL_DIR } from '../../src/transfer/defaultModel.js';
import { Rng } from '../../src/util/random.js';
import { sample } from '../helpers/paths.js';
import { syntheticFace } from '../helpers/syntheticFace.js';

export const SHIPPED_MODEL = DEFAULT_MODEL_DIR;

export interface Corpus {
  dir: string;
  /** A real face photo (a copy: the tests check it is never touched). */
  photo: string;
  /** The same face as PNG (an input that animate could be asked to overwrite). */
  photoPng: string;
  /** Another face photo (a --like input). */
  other: string;
  /** Links to `photo`: a symbolic one and a hard one. */
  symlinkToPhoto: string;
  hardlinkToPhoto: string;
  bad: Record<BadPhoto, string>;
  landmarks: Record<BadLandmarks | 'good', string>;
  models: Record<BadModel, string>;
}

export type BadPhoto = 'empty' | 'truncated' | 'random' | 'text' | 'pngBomb' | 'jpegBomb' | 'folder';
export type BadLandmarks =
  | 'allEqual'
  | 'eyesEqual'
  | 'hugeScale'
  | 'lipOnEyeLine'
  | 'truncatedJson'
  | 'randomBytes'
  | 'nullPoint'
  | 'protoKeys';
export type BadModel =
  | 'randomWeights'
  | 'nanWeights'
  | 'flippedByte'
  | 'truncatedWeights'
  | 'garbageJson'
  | 'nanWeightsNoChecksums'
  | 'truncatedNoChecksums'
  | 'missingGenerator'
  | 'noChecksums';

function randomBytes(n: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(rng.uniform(0, 256)));
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A valid PNG header announcing width × height pixels, followed by almost no data: a decompression bomb. */
export function pngBomb(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', new Uint8Array([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/** A real JPEG whose frame header (SOF0/SOF2) claims `side` × `side` pixels. */
export function jpegBomb(jpeg: Uint8Array, side: number): Uint8Array {
  const out = Buffer.from(jpeg);
  for (let i = 2; i + 9 < out.length;) {
    if (out[i] !== 0xff) throw new Error('not a JPEG marker');
    const marker = out[i + 1]!;
    const length = out.readUInt16BE(i + 2);
    if (marker === 0xc0 || marker === 0xc2) {
      out.writeUInt16BE(side, i + 5);
      out.writeUInt16BE(side, i + 7);
      return out;
    }
    i += 2 + length;
  }
  throw new Error('no frame header found');
}

function landmarkFile(points: Landmarks, size = 64, space: LandmarkFile['space'] = 'aligned'): string {
  return landmarkFileToJson({ scheme: 'ibug68', space, imageSize: { width: size, height: size }, points });
}

async function damagedModel(
  dir: string,
  name: string,
  damage: (generatorDir: string, manifest: Record<string, unknown>) => Promise<void>,
  keepChecksums = true,
): Promise<string> {
  const model = join(dir, 'models', name);
  await mkdir(join(model, 'generator'), { recursive: true });
  for (const folder of ['critic', 'landmark-encoder', 'landmark-decoder'])
    await symlink(join(SHIPPED_MODEL, folder), join(model, folder));
  await copyFile(join(SHIPPED_MODEL, 'presets.json'), join(model, 'presets.json'));
  for (const file of ['model.json', 'weights.bin'])
    await copyFile(join(SHIPPED_MODEL, 'generator', file), join(model, 'generator', file));
  const manifest = JSON.parse(await readFile(join(SHIPPED_MODEL, 'mimic-model.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  if (!keepChecksums) delete manifest.checksums;
  await damage(join(model, 'generator'), manifest);
  await writeFile(join(model, 'mimic-model.json'), JSON.stringify(manifest, null, 1));
  return model;
}

export async function buildCorpus(dir: string): Promise<Corpus> {
  const photo = join(dir, 'photo.jpg');
  await copyFile(sample('canada-019f.jpg'), photo);
  const photoPng = join(dir, 'photo.png');
  await sharp(photo).png().toFile(photoPng);
  const other = join(dir, 'other.jpg');
  await copyFile(sample('canada-095m.jpg'), other);
  const symlinkToPhoto = join(dir, 'photo-symlink.jpg');
  await symlink(photo, symlinkToPhoto);
  const hardlinkToPhoto = join(dir, 'photo-hardlink.jpg');
  await link(photo, hardlinkToPhoto);
  const jpeg = await readFile(photo);

  const bad = {} as Record<BadPhoto, string>;
  const put = async (name: string, bytes: Uint8Array | string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return path;
  };
  bad.empty = await put('empty.jpg', '');
  bad.truncated = await put('truncated.jpg', jpeg.subarray(0, Math.floor(jpeg.length / 3)));
  bad.random = await put('random.jpg', randomBytes(20_000, 1));
  bad.text = await put('text.png', 'this is not an image\n');
  bad.pngBomb = await put('bomb.png', pngBomb(100_000, 100_000));
  bad.jpegBomb = await put('bomb.jpg', jpegBomb(jpeg, 65_000));
  bad.folder = join(dir, 'folder.jpg');
  await mkdir(bad.folder);

  const face = syntheticFace(64);
  const at = (i: number): Point => face[i]!;
  const landmarks = {} as Record<BadLandmarks | 'good', string>;
  landmarks.good = await put('good.json', landmarkFile(face));
  landmarks.allEqual = await put('all-equal.json', landmarkFile(face.map(() => [32, 32])));
  landmarks.eyesEqual = await put(
    'eyes-equal.json',
    landmarkFile(face.map((p, i) => (i === 42 ? at(39) : p))),
  );
  landmarks.hugeScale = await put(
    'huge-scale.json',
    landmarkFile(
      face.map(([x, y]) => [x * 1e290, y * 1e290]),
      1e300,
      'image',
    ),
  );
  const [rx, ry] = at(39);
  const [lx, ly] = at(42);
  landmarks.lipOnEyeLine = await put(
    'lip-on-eye-line.json',
    landmarkFile(face.map((p, i) => (i === 57 ? [(rx + lx) / 2 + 20, (ry + ly) / 2] : p))),
  );
  const goodText = landmarkFile(face);
  landmarks.truncatedJson = await put('truncated.json', goodText.slice(0, goodText.length / 2));
  landmarks.randomBytes = await put('random.json', randomBytes(3000, 2));
  landmarks.nullPoint = await put('null-point.json', goodText.replace(/\[[^[\]]+\]/, '[null, 3]'));
  landmarks.protoKeys = await put(
    'proto-keys.json',
    '{"__proto__": {"scheme": "ibug68"}, "constructor": 1, "space": "aligned", "imageSize": {"width": 64, "height": 64}, "points": []}',
  );

  const models = {} as Record<BadModel, string>;
  const replaceWeights = (make: (size: number) => Uint8Array) => async (g: string) => {
    const size = (await readFile(join(g, 'weights.bin'))).length;
    await writeFile(join(g, 'weights.bin'), make(size));
  };
  models.randomWeights = await damagedModel(
    dir,
    'random-weights',
    replaceWeights((n) => randomBytes(n, 3)),
  );
  models.nanWeights = await damagedModel(
    dir,
    'nan-weights',
    replaceWeights((n) => new Uint8Array(n).fill(0xff)),
  );
  models.flippedByte = await damagedModel(dir, 'flipped-byte', async (g) => {
    const bytes = await readFile(join(g, 'weights.bin'));
    bytes[1000] = bytes[1000]! ^ 0x01; // the lowest mantissa bit of one weight: finite, only the checksum sees it
    await writeFile(join(g, 'weights.bin'), bytes);
  });
  models.truncatedWeights = await damagedModel(dir, 'truncated-weights', async (g) => {
    const bytes = await readFile(join(g, 'weights.bin'));
    await writeFile(join(g, 'weights.bin'), bytes.subarray(0, bytes.length >> 1));
  });
  models.garbageJson = await damagedModel(dir, 'garbage-json', async (g) => {
    await writeFile(join(g, 'model.json'), '{"modelTopology": ');
  });
  models.nanWeightsNoChecksums = await damagedModel(
    dir,
    'nan-weights-old',
    replaceWeights((n) => new Uint8Array(n).fill(0xff)),
    false,
  );
  models.truncatedNoChecksums = await damagedModel(
    dir,
    'truncated-old',
    async (g) => {
      const bytes = await readFile(join(g, 'weights.bin'));
      await writeFile(join(g, 'weights.bin'), bytes.subarray(0, bytes.length - 4));
    },
    false,
  );
  models.missingGenerator = await damagedModel(dir, 'missing-generator', async (g) => {
    await rm(join(g, 'weights.bin'));
  });
  models.noChecksums = await damagedModel(dir, 'no-checksums', async () => undefined, false);

  return { dir, photo, photoPng, other, symlinkToPhoto, hardlinkToPhoto, bad, landmarks, models };
}
