/**
 * Chromium's fake camera, fed with the drive test clip (test/fixtures/drive/driver.mp4): the clip is converted with
 * the packaged ffmpeg to the raw .y4m Chromium plays (and loops), in a folder the caller owns, so nothing large is
 * committed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ffmpegPath } from '../../src/video/ffmpeg.js';
import { REPO_ROOT } from '../helpers/paths.js';

export const DRIVER_CLIP = join(REPO_ROOT, 'test/fixtures/drive/driver.mp4');

/**
 * Writes the clip as a .y4m at `fps` (frames repeated: the clip is 10 fps, and a camera slower than the page would
 * cap what the page can show), its first (neutral) frame held for `holdFirst` seconds more (the page takes the first
 * frame it tracks as neutral, and the camera starts a moment before the page tracks), and either letterboxed to a
 * webcam's `width`×`height` or scaled to `height`.
 */
export function makeFakeCameraClip(
  out: string,
  options: { fps?: number; width?: number; height?: number; holdFirst?: number } = {},
): void {
  const filters: string[] = [];
  if (options.holdFirst !== undefined)
    filters.push(`loop=loop=${Math.round(options.holdFirst * 10)}:size=1:start=0`, 'setpts=N/10/TB');
  filters.push(`fps=${options.fps ?? 30}`);
  if (options.width !== undefined && options.height !== undefined)
    filters.push(
      `scale=${options.width}:${options.height}:force_original_aspect_ratio=decrease`,
      `pad=${options.width}:${options.height}:(ow-iw)/2:(oh-ih)/2:gray`,
    );
  else if (options.height !== undefined) filters.push(`scale=-2:${options.height}`);
  const result = spawnSync(
    ffmpegPath(),
    [
      '-hide_banner',
      '-nostdin',
      '-y',
      '-i',
      DRIVER_CLIP,
      '-an',
      '-vf',
      filters.join(','),
      '-pix_fmt',
      'yuv420p',
      out,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
}

/** The Chromium flags that make `clip` the camera and answer the permission prompt with yes. */
export function fakeCameraFlags(clip: string): string[] {
  return [
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${clip}`,
  ];
}
