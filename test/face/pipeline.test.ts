import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { decodeImage } from '../../src/image/io.js';
import { detectFaces, chooseFace } from '../../src/face/detect.js';
import { findAndAlignFace } from '../../src/face/pipeline.js';
import { canonicalPoints, DEFAULT_ALIGNMENT, type AlignmentConfig } from '../../src/face/align.js';
import { interocularDistance, meanPointDistance, mirrorLandmarks } from '../../src/face/landmarks.js';
import type { Point } from '../../src/geometry/affine.js';
import { MimicError } from '../../src/util/errors.js';
import { sample } from '../helpers/paths.js';

const dist = (a: Point, b: Point): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

for (const mode of ['affine3', 'similarity'] as const) {
  test(`${mode} alignment of a real photo: landmarks and pixels land on the canonical positions`, async () => {
    const config: AlignmentConfig = { ...DEFAULT_ALIGNMENT, mode, size: 256 };
    const c = canonicalPoints(config);
    const result = await findAndAlignFace(sample('canada-019f.jpg'), { alignment: config });
    const lm = result.aligned.landmarks;
    assert.ok(dist(lm[39]!, c.rightInnerEye) < 0.5);
    assert.ok(dist(lm[42]!, c.leftInnerEye) < 0.5);
    if (mode === 'affine3') assert.ok(dist(lm[57]!, c.lowerLipBottom) < 0.5);
    // The pixels moved with the landmarks: detecting again on the crop finds the eye corners where they belong
    // (detector noise allowed: 2% of the crop).
    const again = chooseFace(await detectFaces(result.aligned.crop), 'crop').face.landmarks;
    assert.ok(dist(again[39]!, c.rightInnerEye) < 0.02 * 256, `right eye corner at ${again[39]}`);
    assert.ok(dist(again[42]!, c.leftInnerEye) < 0.02 * 256, `left eye corner at ${again[42]}`);
    if (mode === 'affine3') assert.ok(dist(again[57]!, c.lowerLipBottom) < 0.03 * 256, `lip at ${again[57]}`);
  });
}

test('the mirror map matches the detector on a flipped photo', async () => {
  const photo = await decodeImage(sample('cc0-lisa1.jpg'));
  const flippedBytes = await sharp(photo.data, {
    raw: { width: photo.width, height: photo.height, channels: 3 },
  })
    .flop()
    .png()
    .toBuffer();
  const flipped = await decodeImage(flippedBytes);
  const original = chooseFace(await detectFaces(photo), 'photo').face.landmarks;
  const onFlipped = chooseFace(await detectFaces(flipped), 'flipped').face.landmarks;
  const mirrored = mirrorLandmarks(original, photo.width);
  const error = meanPointDistance(mirrored, onFlipped) / interocularDistance(onFlipped);
  assert.ok(error < 0.05, `mean error ${error.toFixed(3)} of the inter-ocular distance`);
  // Without the index swap the points would be far off: the map really matters.
  const unswapped = original.map(([x, y]) => [photo.width - x, y] as Point);
  assert.ok(meanPointDistance(unswapped, onFlipped) / interocularDistance(onFlipped) > 0.2);
});

test('several faces: all found, largest first, --face picks another, out of range is a clear error', async () => {
  const big = await sharp(sample('canada-095m.jpg')).resize(400).toBuffer();
  const small = await sharp(sample('canada-019f.jpg')).resize(260).toBuffer();
  const group = await sharp({ create: { width: 720, height: 600, channels: 3, background: '#808080' } })
    .composite([
      { input: small, left: 10, top: 120 },
      { input: big, left: 300, top: 40 },
    ])
    .png()
    .toBuffer();
  const faces = await detectFaces(await decodeImage(group));
  assert.equal(faces.length, 2);
  assert.ok(faces[0]!.box.x > 300 && faces[1]!.box.x < 280, 'largest face first');
  const second = await findAndAlignFace(group, { face: 1 });
  assert.equal(second.count, 2);
  assert.equal(second.index, 1);
  await assert.rejects(findAndAlignFace(group, { face: 5 }), /out of range: 2 faces found/);
});

test('CMYK, 16-bit, grayscale and EXIF-rotated photos are converted and still aligned upright', async () => {
  const source = sample('canada-019f.jpg');
  const reference = chooseFace(await detectFaces(await decodeImage(source)), 'ref').face.landmarks;
  const variants: Record<string, Buffer> = {
    cmyk: await sharp(source).toColourspace('cmyk').jpeg().toBuffer(),
    sixteenBit: await sharp(source).toColourspace('rgb16').png().toBuffer(),
    grayscale: await sharp(source).grayscale().png().toBuffer(),
    // Pixels stored rotated 90° clockwise-undo, with EXIF orientation 6 saying "rotate 90° to view".
    exifRotated: await sharp(source).rotate(-90).withMetadata({ orientation: 6 }).jpeg().toBuffer(),
  };
  for (const [name, bytes] of Object.entries(variants)) {
    const image = await decodeImage(bytes, {}, name);
    assert.equal(image.data.length, image.width * image.height * 3, name);
    const found = chooseFace(await detectFaces(image), name).face.landmarks;
    const error = meanPointDistance(found, reference) / interocularDistance(reference);
    assert.ok(error < 0.08, `${name}: landmarks off by ${error.toFixed(3)} inter-ocular distances`);
  }
});

test('bad photos give one clear MimicError each', async () => {
  const jpeg = await sharp(sample('canada-019f.jpg')).jpeg().toBuffer();
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty', new Uint8Array(0), /empty/],
    ['text', new TextEncoder().encode('this is not a picture at all'), /not an image/],
    ['truncated', jpeg.subarray(0, Math.floor(jpeg.length / 3)), /damaged or truncated/],
    [
      'bomb',
      await sharp({ create: { width: 9000, height: 9000, channels: 3, background: '#fff' } })
        .png()
        .toBuffer(),
      /megapixels, over the limit/,
    ],
    [
      'blank',
      await sharp({ create: { width: 300, height: 300, channels: 3, background: '#777' } })
        .png()
        .toBuffer(),
      /no face found/,
    ],
    [
      'tiny',
      await sharp(sample('canada-019f.jpg')).resize(40).png().toBuffer(),
      /no face found|too small to align/,
    ],
  ];
  for (const [name, bytes, message] of cases) {
    await assert.rejects(
      findAndAlignFace(bytes, { decode: { maxPixels: 40_000_000 } }, name),
      (error: unknown) => {
        assert.ok(error instanceof MimicError, `${name}: ${String(error)}`);
        assert.match(error.message, message, name);
        assert.ok(!error.message.includes('\n'), `${name}: message is one line`);
        return true;
      },
    );
  }
});
