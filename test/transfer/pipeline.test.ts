import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDataCache } from '../../src/data/cache.js';
import { meanAbsoluteDifference } from '../../src/eval/animation.js';
import { chooseFace, detectFaces } from '../../src/face/detect.js';
import { decodeImage } from '../../src/image/io.js';
import { createRgbImage, type RgbImage } from '../../src/image/rgbImage.js';
import { Mimic } from '../../src/transfer/mimic.js';
import { computePresets } from '../../src/transfer/presets.js';
import { MimicError } from '../../src/util/errors.js';
import { sample } from '../helpers/paths.js';
import { warpModel } from './warpModel.js';

const FIXTURE = new URL('../fixtures/eval/frl-mini', import.meta.url).pathname;
const PHOTO = sample('canada-019f.jpg');

async function setup(): Promise<{ mimic: Mimic; calls: number[] }> {
  const presets = computePresets(await readDataCache(FIXTURE), 'frl-mini');
  const calls: number[] = [];
  const mimic = new Mimic(warpModel(calls), presets);
  return { mimic, calls };
}

test('the input its own landmarks (or intensity 0) gives the photo back unchanged; a smile changes the mouth only', async () => {
  const { mimic } = await setup();
  const photo = await decodeImage(PHOTO);
  // The residual paste adds only the generator's change, so no change gives the very same photo.
  const same = await mimic.transfer(PHOTO, { own: true }, { paste: 'residual' });
  assert.deepEqual(same.photo.data, photo.data);
  const zero = await mimic.transfer(photo, { expression: 'smile', intensity: 0 }, { paste: 'residual' });
  assert.deepEqual(zero.photo.data, photo.data);

  const smile = await mimic.transfer(photo, { expression: 'smile' }, { paste: 'residual' });
  assert.equal(smile.photo.width, photo.width, 'the photo keeps its resolution');
  assert.equal(smile.crop.width, 64);
  // Where did the photo change? Around the mouth (lower middle of the face), not at the eyes or the background.
  const changed = (x0: number, y0: number, x1: number, y1: number): number => {
    let sum = 0;
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++)
        for (let c = 0; c < 3; c++) {
          const i = (y * photo.width + x) * 3 + c;
          sum += Math.abs(smile.photo.data[i]! - photo.data[i]!);
        }
    return sum / ((x1 - x0) * (y1 - y0) * 3);
  };
  const [lx, ly] = [smile.target[2 * 48]!, smile.target[2 * 48 + 1]!];
  assert.ok(lx < 0 && ly > 0.2, 'mouth corner in the lower left of the crop');
  const mouth = changed(230, 560, 450, 660);
  const eyes = changed(200, 380, 470, 440);
  const background = changed(0, 0, 100, 100);
  assert.equal(background, 0);
  assert.ok(mouth > 0.5, `mouth changed by ${mouth}`);
  assert.ok(eyes < mouth / 4, `eyes changed by ${eyes}, mouth by ${mouth}`);
});

test('warp paste: the own landmarks leave the photo nearly as it was; an open mouth changes the mouth', async () => {
  const { mimic } = await setup();
  const photo = await decodeImage(PHOTO);
  const change = (image: RgbImage, x0: number, y0: number, x1: number, y1: number): number => {
    let sum = 0;
    for (let y = y0; y < y1; y++)
      for (let i = (y * photo.width + x0) * 3; i < (y * photo.width + x1) * 3; i++)
        sum += Math.abs(image.data[i]! - photo.data[i]!);
    return sum / ((x1 - x0) * (y1 - y0) * 3);
  };
  const mouth = [230, 560, 450, 660] as const;
  const same = await mimic.transfer(photo, { own: true }, { paste: 'warp' });
  const open = await mimic.transfer(photo, { own: true, edits: { mouthOpen: 3 } }, { paste: 'warp' });
  // Own landmarks: only the resampling softens the photo a little.
  const resampling = change(same.photo, ...mouth);
  assert.ok(resampling < 2, `own landmarks changed the mouth by ${resampling}`);
  assert.equal(change(same.photo, 0, 0, 100, 100), 0, 'background untouched');
  const opened = change(open.photo, ...mouth);
  assert.ok(opened > 3 * resampling, `opening the mouth changed it by ${opened} (resampling ${resampling})`);
});

test('animation: (K − 1)·N + 1 frames generated in batches, neighbours differ far less than the end frames', async () => {
  const { mimic, calls } = await setup();
  calls.length = 0;
  const result = await mimic.animate(
    PHOTO,
    [{ own: true }, { expression: 'smile', edits: { mouthCorners: 2 } }],
    {
      framesPerSegment: 20,
      output: 'face',
      faceSize: 128,
    },
  );
  assert.equal(result.frames.length, 21);
  assert.equal(result.frames[0]!.width, 128);
  // The reference (the input's own landmarks) is the first frame's pose: generated once with it.
  assert.deepEqual(calls, [16, 5], '21 frames in batches of 16');
  const ends = meanAbsoluteDifference(result.frames[0]!, result.frames[20]!);
  const steps = result.frames.slice(1).map((f, k) => meanAbsoluteDifference(result.frames[k]!, f));
  assert.ok(ends > 0.3, `end frames differ by ${ends}`);
  assert.ok(Math.max(...steps) < ends / 5, `largest step ${Math.max(...steps)} vs ends ${ends}`);
});

test('there and back: the way back shows the way there, each pose generated once, every frame its own picture', async () => {
  const { mimic, calls } = await setup();
  calls.length = 0;
  const n = 7; // 7 frames a segment: weights t/7 are not exact in binary
  const result = await mimic.animate(PHOTO, [{ own: true }, { expression: 'smile' }, { own: true }], {
    framesPerSegment: n,
    maxSide: 256,
  });
  assert.equal(result.frames.length, 2 * n + 1);
  assert.deepEqual(calls, [n + 1], 'the n + 1 poses of the way there, the reference among them');
  for (let t = 0; t <= n; t++) {
    assert.deepEqual(result.landmarks[2 * n - t], result.landmarks[t], `pose ${t} on the way back`);
    assert.deepEqual(result.frames[2 * n - t]!.data, result.frames[t]!.data, `frame ${t} on the way back`);
  }
  assert.ok(
    meanAbsoluteDifference(result.frames[0]!, result.frames[n]!) > 0.3,
    'the smile differs from the input',
  );
  // A caller who draws on one frame does not draw on its twin.
  assert.notEqual(result.frames[2 * n]!.data, result.frames[0]!.data);
  result.frames[2 * n]!.data.fill(0);
  assert.ok(result.frames[0]!.data.some((v) => v !== 0));
});

test('bad targets: unknown preset, intensity out of range, a photo without a face', async () => {
  const { mimic } = await setup();
  await assert.rejects(mimic.transfer(PHOTO, { expression: 'grin' }), /unknown expression "grin"/);
  await assert.rejects(
    mimic.transfer(PHOTO, { expression: 'constructor' }),
    /unknown expression "constructor"/,
  );
  await assert.rejects(mimic.transfer(PHOTO, { expression: 'smile', intensity: 2 }), MimicError);
  const blank = createRgbImage(200, 200);
  blank.data.fill(128);
  await assert.rejects(
    mimic.transfer(blank, { own: true }),
    (e: Error) => e instanceof MimicError && /face/.test(e.message),
  );
  const noPresets = new Mimic(mimic.model);
  await assert.rejects(noPresets.transfer(PHOTO, { expression: 'smile' }), /needs expression presets/);
});

test('landmark files in photo pixels are aligned like the photo; like-photo modes differ as documented', async () => {
  const { mimic } = await setup();
  const input = await mimic.prepare(PHOTO);
  const { face } = chooseFace(await detectFaces(input.photo), 'photo');
  const file = {
    scheme: 'ibug68' as const,
    space: 'image' as const,
    imageSize: { width: input.photo.width, height: input.photo.height },
    points: face.landmarks,
  };
  const fromFile = await mimic.targetLandmarks(input, { landmarks: file });
  for (let i = 0; i < 136; i++) assert.ok(Math.abs(fromFile[i]! - input.landmarks[i]!) < 1e-4);

  const other = sample('canada-095m.jpg');
  const theirs = (await mimic.prepare(other)).landmarks;
  const absolute = await mimic.targetLandmarks(input, { like: other, mode: 'absolute' });
  assert.deepEqual(absolute, theirs);
  // relative with their own photo as their neutral: no displacement, the input keeps its landmarks
  const relativeSelf = await mimic.targetLandmarks(input, {
    like: other,
    likeNeutral: other,
    mode: 'relative',
  });
  for (let i = 0; i < 136; i++) assert.ok(Math.abs(relativeSelf[i]! - input.landmarks[i]!) < 1e-6);
  // relative to the neutral preset: input + (theirs − neutral mean)
  const relative = await mimic.targetLandmarks(input, { like: other });
  const neutral = mimic.presets!.presets.neutral!.mean;
  for (let i = 0; i < 136; i++)
    assert.ok(Math.abs(relative[i]! - (input.landmarks[i]! + theirs[i]! - neutral[i]!)) < 1e-5);
});
