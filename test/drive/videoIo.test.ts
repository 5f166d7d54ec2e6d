/** Video reading and writing through the packaged ffmpeg: sizes, rates, 4K, variable frame rate, frame folders. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ffmpegPath, parseVideoReport, probeVideo } from '../../src/video/ffmpeg.js';
import { openFrameSource } from '../../src/video/frameSource.js';
import { createVideoWriter } from '../../src/video/videoWriter.js';
import { createRgbImage } from '../../src/image/rgbImage.js';
import { tempDir } from '../helpers/paths.js';

function ffmpeg(...args: string[]): void {
  const r = spawnSync(ffmpegPath(), ['-v', 'error', '-y', ...args]);
  assert.equal(r.status, 0, r.stderr.toString());
}

test('a 4K driver is read at 640 px on its longer side, frame by frame, at its own rate', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, '4k.mp4');
    ffmpeg(
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=3840x2160:rate=30',
      '-frames:v',
      '3',
      '-pix_fmt',
      'yuv420p',
      path,
    );
    const source = await openFrameSource(path);
    assert.equal(source.width, 640);
    assert.equal(source.height, 360);
    assert.equal(source.fps, 30);
    assert.match(source.notices.join('\n'), /3840×2160 frames are read at 640×360/);
    let count = 0;
    for await (const frame of source.frames()) {
      assert.equal(frame.data.length, 640 * 360 * 3);
      count++;
    }
    assert.equal(count, 3);
  } finally {
    await cleanup();
  }
});

test('a variable frame rate is noticed and resampled to its average', () => {
  const report = `Input #0, mov,mp4, from 'phone.mp4':
  Duration: 00:00:04.00, start: 0.000000, bitrate: 900 kb/s
    Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709), 720x1280, 800 kb/s, 27.43 fps, 30 tbr, 90k tbn, 180k tbc (default)
    Metadata:
      rotate          : 90
    Stream #0:1(und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 96 kb/s (default)`;
  const info = parseVideoReport(report, 'phone.mp4');
  assert.equal(info.fps, 27.43);
  assert.equal(info.baseFps, 30);
  assert.equal(info.duration, 4);
  assert.ok(info.hasAudio);
  assert.deepEqual([info.width, info.height], [1280, 720], 'rotated phone video reported upright');
  assert.throws(
    () => parseVideoReport('Invalid data found when processing input', 'x.mp4'),
    /x\.mp4: not a video/,
  );
});

test('a folder of numbered frames is read in numeric order; the writer leaves only the finished file', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const frames = join(dir, 'frames');
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=5', '-frames:v', '12', join(dir, 'clip.mp4'));
    spawnSync('mkdir', [frames]);
    ffmpeg('-i', join(dir, 'clip.mp4'), join(frames, 'f%d.png')); // f1 … f12: "f10" must come after "f9"
    const source = await openFrameSource(frames, { folderFps: 5 });
    assert.equal(source.expectedFrames, 12);
    assert.match(source.notices[0]!, /f1\.png … f12\.png/);
    const out = join(dir, 'out.webm');
    const writer = createVideoWriter(out, { width: 64, height: 48, fps: 5 });
    let n = 0;
    for await (const frame of source.frames()) {
      await writer.write(frame);
      n++;
    }
    await writer.finish();
    assert.equal(n, 12);
    const info = await probeVideo(out);
    assert.deepEqual([info.width, info.height, info.fps], [64, 48, 5]);
    assert.deepEqual((await readdir(dir)).sort(), ['clip.mp4', 'frames', 'out.webm']);
    // An aborted writer leaves nothing.
    const aborted = createVideoWriter(join(dir, 'aborted.mp4'), { width: 64, height: 48, fps: 5 });
    await aborted.write(createRgbImage(64, 48));
    await aborted.abort();
    assert.deepEqual((await readdir(dir)).sort(), ['clip.mp4', 'frames', 'out.webm']);
    // A folder that does not exist yet is made, as for every other output.
    const nested = createVideoWriter(join(dir, 'new', 'folder', 'a.mp4'), { width: 64, height: 48, fps: 5 });
    await nested.write(createRgbImage(64, 48));
    await nested.finish();
    assert.deepEqual(await readdir(join(dir, 'new', 'folder')), ['a.mp4']);
  } finally {
    await cleanup();
  }
});
