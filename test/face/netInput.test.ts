// face-api's network inputs made from a photo's bytes (src/face/netInput.ts) are the inputs face-api makes from the
// photo's tensor, bit for bit, so the detection that uses them finds the very boxes and points it found before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend.js';
import { squareNetInput } from '../../src/face/netInput.js';
import { detectFaces, nodeFaceDetection } from '../../src/face/detect.js';
import { getFaceApi } from '../../src/face/faceApi.js';
import { landmarksFromNet, plainFace } from '../../src/face/faceApiResults.js';
import { decodeImage, resizeImage } from '../../src/image/io.js';
import type { RgbImage } from '../../src/image/rgbImage.js';
import { sample } from '../helpers/paths.js';
import sharp from 'sharp';

await initBackend();
const faceapi = await getFaceApi(['detector', 'tinyDetector', 'landmarks']);
type FaceApiInput = Parameters<typeof faceapi.detectAllFaces>[0];

/** What face-api builds from a tensor: cast, zero-padded to a square (padToSquare), resized (resizeBilinear). */
function faceApiInput(
  photo: RgbImage,
  rect: { x: number; y: number; width: number; height: number },
  centred: boolean,
  size: number,
): Float32Array {
  return tf.tidy(() => {
    const whole = tf.tensor3d(photo.data, [photo.height, photo.width, 3], 'int32');
    const part = tf.slice(whole, [rect.y, rect.x, 0], [rect.height, rect.width, 3]).cast('float32');
    const side = Math.max(rect.width, rect.height);
    const gap = side - Math.min(rect.width, rect.height);
    const after = Math.round(gap * (centred ? 0.5 : 1));
    const pad: [number, number] = [gap - after, after];
    const padded = tf.pad(part, [
      rect.height < side ? pad : [0, 0],
      rect.width < side ? pad : [0, 0],
      [0, 0],
    ]) as tf.Tensor3D;
    return tf.image.resizeBilinear(padded, [size, size], false, false).dataSync() as Float32Array;
  });
}

const portrait = await decodeImage(sample('canada-019f.jpg'));

test('the detector and landmark inputs equal face-api’s resized squares, shrinking and enlarging, odd gaps too', async () => {
  const landscape = await resizeImage(portrait, 701, 523);
  const cases: [RgbImage, { x: number; y: number; width: number; height: number }, boolean, number][] = [
    [portrait, { x: 0, y: 0, width: portrait.width, height: portrait.height }, false, 320],
    [portrait, { x: 0, y: 0, width: portrait.width, height: portrait.height }, false, 512],
    [landscape, { x: 0, y: 0, width: 701, height: 523 }, false, 416],
    [landscape, { x: 120, y: 33, width: 251, height: 300 }, true, 112], // a face box: odd gap, centred
    [landscape, { x: 5, y: 7, width: 61, height: 40 }, true, 112], // smaller than the net's input: enlarged
    [landscape, { x: 0, y: 0, width: 112, height: 112 }, true, 112], // already the net's size
  ];
  for (const [photo, rect, centred, size] of cases) {
    const mine = squareNetInput(photo, rect, centred, size).data;
    const theirs = faceApiInput(photo, rect, centred, size);
    let differ = 0;
    for (let i = 0; i < theirs.length; i++) if (mine[i] !== theirs[i]) differ++;
    assert.equal(differ, 0, `${JSON.stringify(rect)} → ${size}: ${differ} values differ`);
  }
});

test('a rectangle that is not whole pixels inside the photo is refused', () => {
  for (const rect of [
    { x: -1, y: 0, width: 10, height: 10 },
    { x: 0, y: 0, width: portrait.width + 1, height: 10 },
    { x: 0.5, y: 0, width: 10, height: 10 },
    { x: 0, y: 0, width: 0, height: 10 },
  ])
    assert.throws(() => squareNetInput(portrait, rect, true, 112), /not a rectangle of whole pixels/);
});

test('detection from the bytes gives face-api’s own boxes and points for the whole photo’s tensor', async () => {
  // enlarged past a megapixel: the size where face-api's own way was slow
  const photo = await resizeImage(portrait, 1013, 1351);
  const whole = tf.tensor3d(photo.data, [photo.height, photo.width, 3], 'int32');
  try {
    const tensors = tf.memory().numTensors;
    const mine = await nodeFaceDetection.tinyDetectorPass(photo, 320, 0.5);
    const theirs = await faceapi.detectAllFaces(
      whole as unknown as FaceApiInput,
      new faceapi.TinyFaceDetectorOptions({ inputSize: 320, scoreThreshold: 0.5 }),
    );
    assert.equal(mine.length, 1);
    assert.equal(theirs.length, 1);
    assert.equal(mine[0]!.score, theirs[0]!.score);
    for (const key of ['x', 'y', 'width', 'height'] as const)
      assert.ok(Math.abs(mine[0]!.box[key] - theirs[0]!.box[key]) < 1e-9, `box ${key}`);

    const box = { x: 301.5, y: 402.25, width: 455.25, height: 520.5 };
    const points = await nodeFaceDetection.landmarksInBox(photo, box);
    const crop = tf.slice(whole, [402, 301, 0], [520, 455, 3]); // the whole pixels of the box, as landmarksInBox cuts
    const result = await faceapi.nets.faceLandmark68Net.detectLandmarks(crop as unknown as FaceApiInput);
    crop.dispose();
    assert.deepEqual(points, landmarksFromNet(result as never, 301, 402));
    assert.equal(tf.memory().numTensors, tensors, 'every tensor disposed');
  } finally {
    whole.dispose();
  }
});

test('the SSD from the bytes gives face-api’s own faces and points in a group photo', async () => {
  const faces = await Promise.all(
    ['canada-019f.jpg', 'canada-095m.jpg', 'cc0-lisa1.jpg'].map(async (name, i) => ({
      input: await sharp(sample(name))
        .resize(200 + 60 * i)
        .toBuffer(),
      left: 30 + 330 * i,
      top: 40 + 50 * i,
    })),
  );
  const group = await decodeImage(
    await sharp({ create: { width: 1100, height: 600, channels: 3, background: '#808080' } })
      .composite(faces)
      .png()
      .toBuffer(),
  );
  const whole = tf.tensor3d(group.data, [group.height, group.width, 3], 'int32');
  try {
    const tensors = tf.memory().numTensors;
    const mine = await detectFaces(group, { detector: 'ssd' });
    assert.equal(tf.memory().numTensors, tensors, 'every tensor disposed');
    const theirs = (
      await faceapi
        .detectAllFaces(
          whole as unknown as FaceApiInput,
          new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 }),
        )
        .withFaceLandmarks()
    )
      .map(plainFace)
      .sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
    assert.equal(mine.length, 3);
    assert.equal(theirs.length, 3);
    mine.forEach((face, i) => {
      assert.equal(face.score, theirs[i]!.score);
      face.landmarks.forEach(([x, y], j) => {
        const [tx, ty] = theirs[i]!.landmarks[j]!;
        assert.ok(Math.abs(x - tx) < 1e-9 && Math.abs(y - ty) < 1e-9, `face ${i} point ${j}`);
      });
    });
  } finally {
    whole.dispose();
  }
});
