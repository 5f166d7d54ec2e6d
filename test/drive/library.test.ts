/** The library API: Mimic.drive over any async iterable of frames, and writeDrivenVideo; no tensor left behind. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Mimic, openFrameSource, writeDrivenVideo, type RgbImage } from '../../src/index.js';
import { probeVideo } from '../../src/video/ffmpeg.js';
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
    assert.equal((await probeVideo(out)).fps, 10);
    assert.equal(tf.memory().numTensors, before, 'no tensor leaked over 18 frames');
  } finally {
    await cleanup();
  }
});
