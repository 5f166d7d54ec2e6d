/**
 * `mimic drive` on bad or awkward drivers: one clear line (or a notice) each, a non-zero exit where it cannot work,
 * and never a half-written output — also when interrupted with Ctrl-C.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT, sample, tempDir } from '../helpers/paths.js';
import { ffmpegPath } from '../../src/video/ffmpeg.js';

const PHOTO = sample('canada-019f.jpg');
const DRIVER = join(REPO_ROOT, 'test/fixtures/drive/driver.mp4');
const LONG = { timeoutMs: 300_000 };

function ffmpeg(...args: string[]): void {
  const r = spawnSync(ffmpegPath(), ['-v', 'error', '-y', ...args]);
  assert.equal(r.status, 0, r.stderr.toString());
}

function assertCleanFailure(
  result: { code: number | null; stderr: string },
  message: RegExp,
  dir: string,
): void {
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(
    result.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('mimic drive:')).length,
    1,
  );
  return void dir;
}

test('drive: not a video, no face anywhere, one frame, too long, bad extension → one line, nothing written', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const out = join(dir, 'out.mp4');
    const drive = (video: string, ...more: string[]) =>
      runCli(['drive', PHOTO, '--video', video, '--out', out, ...more], LONG);
    await writeFile(join(dir, 'notes.mp4'), 'this is not a video\n');
    assertCleanFailure(await drive(join(dir, 'notes.mp4')), /notes\.mp4: not a video/, dir);
    ffmpeg(
      '-f',
      'lavfi',
      '-i',
      'color=c=gray:size=160x120:rate=10',
      '-frames:v',
      '8',
      '-pix_fmt',
      'yuv420p',
      join(dir, 'gray.mp4'),
    );
    assertCleanFailure(await drive(join(dir, 'gray.mp4')), /no face found in any of its 8 frames/, dir);
    ffmpeg('-i', DRIVER, '-frames:v', '1', join(dir, 'one.mp4'));
    assertCleanFailure(
      await drive(join(dir, 'one.mp4')),
      /has only one frame: for a single image use mimic transfer/,
      dir,
    );
    assertCleanFailure(await drive(DRIVER, '--max-seconds', '1'), /longer than the 1 s limit/, dir);
    assertCleanFailure(
      await drive(DRIVER, '--out', join(dir, 'x.avi')),
      /unsupported output extension "\.avi"/,
      dir,
    );
    assert.deepEqual(
      (await readdir(dir)).sort(),
      ['gray.mp4', 'notes.mp4', 'one.mp4'],
      'no output, no temporary file',
    );
  } finally {
    await cleanup();
  }
});

test('drive: a frame folder with faceless frames holds the pose and says how many; GIF out', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const frames = join(dir, 'frames');
    await mkdir(frames);
    ffmpeg('-i', DRIVER, join(frames, 'frame%03d.png'));
    for (const k of [6, 7, 8]) {
      const gray = await sharp({ create: { width: 360, height: 480, channels: 3, background: '#808080' } })
        .png()
        .toBuffer();
      await writeFile(join(frames, `frame${String(k).padStart(3, '0')}.png`), gray);
    }
    const out = join(dir, 'out.gif');
    const r = await runCli(
      ['drive', PHOTO, '--video', frames, '--fps', '10', '--out', out, '--max-side', '160'],
      LONG,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /no face in 3 of 25 frames: the last pose was held there/);
    assert.match(r.stdout, /25 frames of \d+×160 at 10 fps/);
    assert.ok(existsSync(out));
  } finally {
    await cleanup();
  }
});

test('drive: several faces → the largest is followed and it says so; --side-by-side strip', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const two = join(dir, 'two.mp4');
    ffmpeg(
      '-i',
      DRIVER,
      '-filter_complex',
      '[0:v]split[a][b];[b]scale=iw/2:ih/2,pad=iw:ih*2:0:ih/2[c];[a][c]hstack',
      '-pix_fmt',
      'yuv420p',
      two,
    );
    const out = join(dir, 'strip.png');
    const r = await runCli(
      [
        'drive',
        PHOTO,
        '--video',
        two,
        '--out',
        out,
        '--side-by-side',
        '--max-side',
        '120',
        '--neutral-frame',
        '0',
      ],
      LONG,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /up to 2 faces .*following face 0 \(the largest\) — choose another with --driver-face N/,
    );
    assert.doesNotMatch(r.stderr, /neutral frame: 0 \(auto/);
    const meta = await sharp(out).metadata();
    assert.equal(meta.height, 120);
    // 25 frames, each the driver (540×480 scaled to height 120 → 136 px, even) beside the photo (90×120).
    assert.equal(meta.width, 25 * (136 + 90));
  } finally {
    await cleanup();
  }
});

test('drive: Ctrl-C while rendering leaves no output and no temporary file', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const out = join(dir, 'out.mp4');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO_ROOT, 'src/cli/run-dev.ts'),
        'drive',
        PHOTO,
        '--video',
        DRIVER,
        '--out',
        out,
      ],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/rendering .*[1-9]\d*\/25/.test(stderr) && !child.killed) child.kill('SIGINT');
      });
      child.on('close', resolve);
    });
    assert.equal(code, 130, stderr);
    assert.match(stderr, /SIGINT: stopped, nothing written/);
    assert.deepEqual(await readdir(dir), []);
  } finally {
    await cleanup();
  }
});
