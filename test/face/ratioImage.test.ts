/**
 * Expression ratio images (src/face/ratioImage.ts): how strongly a target is shaded follows its shape, the shading
 * multiplies luma only (a gray photo stays gray) inside the face and outside the lips, the file keeps what the
 * strength needs, and the warp paste shades a smiling target but leaves the photo's own landmarks alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  MAX_RATIO_STRENGTH,
  ratioLogGain,
  ratioStrength,
  type RatioImage,
} from '../../src/face/ratioImage.js';
import { readRatioImages, writeRatioImage } from '../../src/face/ratioImageFile.js';
import { interocularDistance, type Landmarks } from '../../src/face/landmarks.js';
import { createRgbImage, type RgbImage } from '../../src/image/rgbImage.js';
import { DEFAULT_MODEL_DIR } from '../../src/index.js';
import { pasteInMode } from '../../src/transfer/pasteModes.js';
import { pasteWarpedFace } from '../../src/transfer/warpPaste.js';
import { resizeImage } from '../../src/image/io.js';
import { tempDir } from '../helpers/paths.js';

const shipped = async (): Promise<RatioImage> => (await readRatioImages(DEFAULT_MODEL_DIR)).get('smile')!;

/** `own` moved by `amount` × the ratio image's mean motion (scaled to own's inter-ocular distance). */
function moved(own: Landmarks, ratio: RatioImage, amount: number): Landmarks {
  const iod = interocularDistance(own);
  return own.map(([x, y], k) => [
    x + amount * ratio.motion[2 * k]! * iod,
    y + amount * ratio.motion[2 * k + 1]! * iod,
  ]);
}

test('ratio strength follows the landmark motion: none for the own face or a frown, saturating for big smiles', async () => {
  const ratio = await shipped();
  const own = ratio.shape;
  assert.equal(ratioStrength(ratio, own, own), 0);
  assert.equal(
    ratioStrength(ratio, own, moved(own, ratio, -1)),
    0,
    'a move against the smile gets no shading',
  );
  const mean = ratioStrength(ratio, own, moved(own, ratio, 1));
  assert.ok(Math.abs(mean - MAX_RATIO_STRENGTH * Math.tanh(1 / MAX_RATIO_STRENGTH)) < 1e-3, `${mean}`);
  const half = ratioStrength(ratio, own, moved(own, ratio, 0.5));
  const big = ratioStrength(ratio, own, moved(own, ratio, 3));
  const huge = ratioStrength(ratio, own, moved(own, ratio, 50));
  assert.ok(half < mean && mean < big && big < huge, `${half} < ${mean} < ${big} < ${huge}`);
  assert.ok(huge <= MAX_RATIO_STRENGTH);
  // the same smile on a face twice the size asks for the same strength
  const twice = own.map(([x, y]) => [2 * x, 2 * y] as [number, number]);
  assert.ok(Math.abs(ratioStrength(ratio, twice, moved(twice, ratio, 1)) - mean) < 1e-3);
});

test('a ratio image multiplies luma inside the face and outside the lips; gray stays gray', async () => {
  const base = await shipped();
  const size = base.size;
  const ratio: RatioImage = { ...base, log: new Float32Array(size * size).fill(0.1) };
  const zoom = 2;
  const view = createRgbImage(size * zoom, size * zoom);
  view.data.fill(100);
  const mask = new Float32Array(size * size);
  for (let y = 8; y < 56; y++) for (let x = 8; x < 56; x++) mask[y * size + x] = 1;
  // The warp paste with the photo's own landmarks: only the shading changes anything.
  const shade = (strength: number): RgbImage =>
    pasteWarpedFace(
      view,
      [1 / zoom, 0, 0, 0, 1 / zoom, 0],
      size,
      ratio.shape,
      ratio.shape,
      {
        logGain: ratioLogGain(ratio, ratio.shape, mask, strength),
      },
      zoom,
    );
  assert.deepEqual(shade(0).data, view.data, 'strength 0 changes nothing');
  const out = shade(1);
  const at = (x: number, y: number): number[] => {
    const o = (Math.round(y * zoom) * view.width + Math.round(x * zoom)) * 3;
    return [out.data[o]!, out.data[o + 1]!, out.data[o + 2]!];
  };
  const [mouthX, mouthY] = ratio.shape[51]!.map((v, i) => (v + ratio.shape[57]![i]!) / 2) as [number, number];
  assert.deepEqual(at(20, 30), [111, 111, 111], 'cheek: 100·e^0.1');
  assert.deepEqual(at(2, 2), [100, 100, 100], 'outside the face mask');
  assert.deepEqual(at(mouthX, mouthY), [100, 100, 100], 'inside the lips');
  for (let i = 0; i < out.data.length; i += 3)
    assert.ok(out.data[i] === out.data[i + 1] && out.data[i] === out.data[i + 2], 'gray in, gray out');
});

test('ratio image files keep the motion and the people; an older file without motion is refused clearly', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const ratio = await shipped();
    await writeRatioImage(dir, 'smile', ratio, 'test');
    const back = (await readRatioImages(dir)).get('smile')!;
    assert.deepEqual(back.subjects, ratio.subjects);
    assert.ok(back.motion.every((v, k) => Math.abs(v - ratio.motion[k]!) < 1e-4));
    const path = join(dir, 'ratio-smile.json');
    const json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    delete json.motion;
    await writeFile(path, JSON.stringify(json));
    await assert.rejects(readRatioImages(dir), /without its landmark motion.*build-ratio-image/);
  } finally {
    await cleanup();
  }
});

/** A 64-px face-like test card: smooth shading plus texture, so that changes show. */
function card(size: number): RgbImage {
  const image = createRgbImage(size, size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const v = 120 + 40 * Math.sin(x / 5) * Math.cos(y / 7);
      image.data.set([v + 20, v, v - 10], (y * size + x) * 3);
    }
  return image;
}

test('the warp paste shades a smiling target (from any source) and leaves the own landmarks untouched', async () => {
  const ratio = await shipped();
  const size = ratio.size;
  const photo = card(size);
  const own = ratio.shape;
  const paste = (target: Landmarks, ratios: RatioImage[]): Promise<RgbImage> =>
    pasteInMode('warp', {
      photo,
      toCrop: [1, 0, 0, 0, 1, 0],
      inputCrop: photo,
      own,
      target,
      resize: resizeImage,
      ratios,
    });
  const same = await paste(own, [ratio]);
  assert.deepEqual(same.data, (await paste(own, [])).data, 'no motion, no shading');
  const smile = moved(own, ratio, 1);
  const shaded = await paste(smile, [ratio]);
  const plain = await paste(smile, []);
  let sum = 0;
  for (let i = 0; i < shaded.data.length; i++) sum += Math.abs(shaded.data[i]! - plain.data[i]!);
  assert.ok(sum / shaded.data.length > 0.5, `mean change ${sum / shaded.data.length} grey levels`);
});
