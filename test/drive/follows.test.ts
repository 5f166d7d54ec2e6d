/**
 * The driven face follows the driver, end to end: `mimic drive` writes an MP4, which is decoded again and its face
 * tracked like a driver. The photo's mouth opening over time must correlate with the driver's, and the output must
 * have the driver's frame rate, length and audio. (Blinks are tested on the landmarks, in motion.test.ts: the
 * fixture's rendered eyelid edit is too faint for face-api's landmark net to read as a blink.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readdir } from 'node:fs/promises';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT, sample, tempDir } from '../helpers/paths.js';
import { openFrameSource } from '../../src/video/frameSource.js';
import { probeVideo } from '../../src/video/ffmpeg.js';
import { DriverTracker } from '../../src/drive/tracker.js';
import { nodeFaceDetection } from '../../src/face/detect.js';
import { MotionMeter } from '../../src/drive/motion.js';
import { neutralityFeatures } from '../../src/drive/neutral.js';
import { DEFAULT_ALIGNMENT } from '../../src/face/align.js';
import { correlation } from '../helpers/correlation.js';

export const DRIVER = join(REPO_ROOT, 'test/fixtures/drive/driver.mp4');

/** Mouth opening (aligned-crop pixels) of every frame's face. */
async function openings(path: string): Promise<{ mouth: number[] }> {
  const tracker = new DriverTracker(nodeFaceDetection);
  const meter = new MotionMeter(DEFAULT_ALIGNMENT);
  const mouth: number[] = [];
  for await (const frame of (await openFrameSource(path)).frames()) {
    const points = await tracker.track(frame);
    assert.ok(points, 'a face in every frame');
    mouth.push(neutralityFeatures(meter.measure(points).expression)[0]!);
  }
  return { mouth };
}

test('drive: the photo opens its mouth when the driver does; fps, length and audio kept', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const out = join(dir, 'driven.mp4');
    const gif = join(dir, 'driven.gif');
    const result = await runCli(
      [
        'drive',
        sample('canada-019f.jpg'),
        '--video',
        DRIVER,
        '--out',
        out,
        '--out',
        gif,
        '--max-side',
        '320',
      ],
      { timeoutMs: 300_000 },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /neutral frame: \d+ \(auto/);
    assert.deepEqual((await readdir(dir)).sort(), ['driven.gif', 'driven.mp4'], 'no temporary file left');
    // The audio is said of the output that has it, not of the GIF.
    assert.ok(result.stdout.includes(`${out} (with the driver's audio), ${gif}\n`), result.stdout);
    const [driverInfo, outInfo] = [await probeVideo(DRIVER), await probeVideo(out)];
    assert.equal(outInfo.fps, driverInfo.fps);
    assert.ok(outInfo.hasAudio, 'the driver has audio, so the MP4 has it too');
    const driver = await openings(DRIVER);
    const driven = await openings(out);
    assert.equal(driven.mouth.length, driver.mouth.length, 'one output frame per driver frame');
    const mouthR = correlation(driver.mouth, driven.mouth);
    console.log(`mouth opening r = ${mouthR.toFixed(3)}`);
    console.log(
      `driver mouth ${driver.mouth.map((v) => v.toFixed(1)).join(' ')}\ndriven mouth ${driven.mouth.map((v) => v.toFixed(1)).join(' ')}`,
    );
    assert.ok(mouthR > 0.8, `mouth opening follows the driver (r = ${mouthR})`);
    // It really opens, not only correlates: the widest opening is well above the closed one.
    assert.ok(Math.max(...driven.mouth) > 2 * Math.min(...driven.mouth), 'the mouth visibly opens');
  } finally {
    await cleanup();
  }
});
