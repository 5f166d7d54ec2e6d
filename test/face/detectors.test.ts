// The photo commands' detector (src/face/detect.ts): the tiny detector path finds the faces the SSD finds, with
// nearly the same landmarks; groups, photos it finds nothing in and `--face N` beyond its faces go to the SSD;
// MIMIC_DETECTOR=ssd gives the SSD's own result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend.js';
import { detectFaces, detectorFromEnvironment } from '../../src/face/detect.js';
import { getFaceApi } from '../../src/face/faceApi.js';
import { findAndAlignFace } from '../../src/face/pipeline.js';
import { interocularDistance, meanPointDistance } from '../../src/face/landmarks.js';
import { decodeImage } from '../../src/image/io.js';
import { MimicError } from '../../src/util/errors.js';
import { sample } from '../helpers/paths.js';

await initBackend();
// Every net loaded before tensors are counted (their weights stay).
await getFaceApi(['detector', 'tinyDetector', 'landmarks']);

test('one-face photos: the tiny path finds the face the SSD finds, its points a few hundredths of the eye distance away', async () => {
  for (const name of [
    'canada-019f.jpg',
    'canada-095m.jpg',
    'cc0-lisa1.jpg',
    'composite-f_easian.jpg',
    'astronaut.png',
  ]) {
    const photo = await decodeImage(sample(name));
    const tensors = tf.memory().numTensors;
    const tiny = await detectFaces(photo);
    assert.equal(tf.memory().numTensors, tensors, `${name}: every tensor disposed`);
    const ssd = await detectFaces(photo, { detector: 'ssd' });
    assert.equal(tiny.length, 1, name);
    assert.equal(ssd.length, 1, name);
    assert.equal(tiny[0]!.detector, 'tiny', `${name}: found by the tiny detector`);
    const apart =
      meanPointDistance(tiny[0]!.landmarks, ssd[0]!.landmarks) / interocularDistance(ssd[0]!.landmarks);
    assert.ok(apart < 0.06, `${name}: points ${apart.toFixed(4)} inter-ocular distances from the SSD's`);
  }
});

async function composed(
  width: number,
  height: number,
  faces: [string, number, number, number][],
): Promise<Buffer> {
  const parts = await Promise.all(
    faces.map(async ([name, size, left, top]) => ({
      input: await sharp(sample(name)).resize(size).toBuffer(),
      left,
      top,
    })),
  );
  return sharp({ create: { width, height, channels: 3, background: '#808080' } })
    .composite(parts)
    .png()
    .toBuffer();
}

test('a group photo: the same faces, in the same order, with the same landmarks as the SSD', async () => {
  const group = await decodeImage(
    await composed(720, 600, [
      ['canada-019f.jpg', 260, 10, 120],
      ['canada-095m.jpg', 400, 300, 40],
    ]),
  );
  const tensors = tf.memory().numTensors;
  const faces = await detectFaces(group);
  assert.equal(tf.memory().numTensors, tensors, 'every tensor disposed');
  assert.equal(faces.length, 2);
  assert.deepEqual(faces, await detectFaces(group, { detector: 'ssd' }));
});

test('where the tiny detector finds no face the SSD still looks; a photo without one says so', async () => {
  const photo = await decodeImage(sample('canada-019f.jpg'));
  // The tiny detector scores this face 0.93, the SSD 0.998: at 0.95 only the SSD's detection counts.
  const strict = await detectFaces(photo, { minConfidence: 0.95 });
  assert.equal(strict.length, 1);
  assert.equal(strict[0]!.detector, 'ssd');
  const grey = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#777' } })
    .png()
    .toBuffer();
  await assert.rejects(findAndAlignFace(grey, {}, 'grey.png'), /grey\.png: no face found/);
});

test('--face 1 finds a small face in the background that the tiny detector missed', async () => {
  // A face 120 px wide in a 1600-px photo is too small for the tiny detector at 512; the SSD finds it.
  const photo = await composed(1600, 1000, [
    ['canada-095m.jpg', 500, 20, 20],
    ['canada-019f.jpg', 120, 1380, 300],
  ]);
  const largest = await findAndAlignFace(photo);
  assert.ok(largest.face.box.x < 600, 'face 0 is the large face');
  const second = await findAndAlignFace(photo, { face: 1 });
  assert.equal(second.count, 2);
  assert.ok(second.face.box.x > 1300, 'face 1 is the small face');
  await assert.rejects(findAndAlignFace(photo, { face: 2 }), /out of range: 2 faces found/);
});

test('MIMIC_DETECTOR picks the detector; anything but tiny or ssd is a clear error', async () => {
  const saved = process.env.MIMIC_DETECTOR;
  try {
    const photo = await decodeImage(sample('canada-095m.jpg'));
    process.env.MIMIC_DETECTOR = 'ssd';
    const ssd = await detectFaces(photo);
    assert.equal(ssd[0]!.detector, 'ssd');
    assert.deepEqual(ssd, await detectFaces(photo, { detector: 'ssd' }));
    process.env.MIMIC_DETECTOR = 'tiny';
    assert.equal(detectorFromEnvironment(), 'tiny');
    process.env.MIMIC_DETECTOR = 'yolo';
    assert.throws(
      () => detectorFromEnvironment(),
      (e: unknown) =>
        e instanceof MimicError && /MIMIC_DETECTOR must be one of tiny, ssd \(got "yolo"\)/.test(e.message),
    );
    await assert.rejects(detectFaces(photo), /MIMIC_DETECTOR must be one of tiny, ssd/);
  } finally {
    if (saved === undefined) delete process.env.MIMIC_DETECTOR;
    else process.env.MIMIC_DETECTOR = saved;
  }
});
