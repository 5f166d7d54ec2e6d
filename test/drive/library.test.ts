/** The library API: Mimic.drive over any async iterable of frames, and writeDrivenVideo; no tensor left behind. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Mimic, openFrameSource, writeDrivenVideo, type RgbImage } from '../../src/index.js';
import { probeVideo } from '../../src/video/ffmpeg.js';
import { decodeImage } from '../../src/image/io.js';
import { applyAffine, composeAffine, invertAffine } from '../../src/geometry/affine.js';
import { denormalizeLandmarks, unflattenLandmarks } from '../../src/face/landmarks.js';
import { lipsOf, mouthComposition, mouthOpening, type Lips } from '../../src/face/mouthInterior.js';
import { REPO_ROOT, sample, tempDir } from '../helpers/paths.js';

const DRIVER = join(REPO_ROOT, 'test/fixtures/drive/driver.mp4');

test('Mimic.drive: frames from an iterable, neutral frame by number, written with writeDrivenVideo', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const mimic = await Mimic.load();
    const source = await openFrameSource(DRIVER);
    async function* firstFrames(n: number): AsyncGenerator<RgbImage> {
      let k = 0;
      for await (const frame of source.frames()) {
        yield frame;
        if (++k === n) return;
      }
    }
    await assert.rejects(async () => {
      for await (const _ of mimic.drive(sample('canada-019f.jpg'), firstFrames(3), { neutralFrame: 'auto' }))
        void _;
    }, /needs a driver that can be read twice/);
    // A first short drive loads the detector's weights (tensors kept for the process's life) ...
    for await (const _ of mimic.drive(sample('canada-019f.jpg'), firstFrames(2), { maxSide: 64 })) void _;
    const before = tf.memory().numTensors; // ... so from here on the count must not grow.
    const clip = mimic.drive(sample('canada-019f.jpg'), firstFrames(18), {
      neutralFrame: 2,
      maxSide: 128,
      fps: 10,
    });
    const out = join(dir, 'lib.mp4');
    const written = await writeDrivenVideo(out, clip);
    assert.equal(written.frames, 18);
    assert.equal(written.height, 128);
    assert.equal(clip.report.neutralFrame, 2);
    assert.equal(clip.report.frames, 18, 'the report counts the frames without an onProgress callback too');
    assert.equal((await probeVideo(out)).fps, 10);
    assert.equal(tf.memory().numTensors, before, 'no tensor leaked over 18 frames');
    // The length limit holds without an onProgress callback: 18 frames at 10 fps are longer than 1 s.
    await assert.rejects(async () => {
      const short = mimic.drive(sample('canada-019f.jpg'), firstFrames(18), {
        neutralFrame: 0,
        maxSide: 64,
        fps: 10,
        maxSeconds: 1,
      });
      for await (const _ of short) void _;
    }, /longer than the 1 s limit/);
  } finally {
    await cleanup();
  }
});

test('Mimic.drive paints a mouth interior where the driver opens the mouth', async () => {
  const withBank = await Mimic.load();
  assert.ok(withBank.mouthBank, 'the shipped model has a mouth bank');
  const without = new Mimic(withBank.model, withBank.presets, undefined, withBank.ratioImages);
  const photo = await decodeImage(sample('canada-019f.jpg'));
  const input = await withBank.prepare(photo, 0);
  const size = withBank.alignment.size;
  const run = async (mimic: Mimic): Promise<{ share: number; opening: number }[]> => {
    const out: { share: number; opening: number }[] = [];
    for await (const frame of mimic.drive(photo, await openFrameSource(DRIVER), { maxSide: 320 })) {
      // the frame is the photo scaled to 320 px: crop pixels → frame pixels
      const toFrame = composeAffine(
        [frame.image.width / photo.width, 0, 0, 0, frame.image.height / photo.height, 0],
        invertAffine(input.toCrop),
      );
      const lips = lipsOf(denormalizeLandmarks(unflattenLandmarks(frame.target), size)).map((p) =>
        applyAffine(toFrame, p),
      ) as Lips;
      const c = mouthComposition(frame.image, lips);
      out.push({ share: c.pixels ? c.teeth + c.dark : 0, opening: mouthOpening(lips) });
    }
    return out;
  };
  const painted = await run(withBank);
  const plain = await run(without);
  const widest = painted.reduce((best, f, k) => (f.opening > painted[best]!.opening ? k : best), 0);
  assert.ok(
    painted[widest]!.share > plain[widest]!.share + 0.2,
    `teeth + cavity in the widest opening: ${painted[widest]!.share.toFixed(2)} with the bank, ${plain[widest]!.share.toFixed(2)} without`,
  );
});
