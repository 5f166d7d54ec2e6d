/**
 * The ffmpeg binary and what it says about a file. The binary comes from `@ffmpeg-installer/ffmpeg`, an npm package
 * that ships a static ffmpeg 4.1 build per platform as an optional dependency (linux-x64 included), so video I/O
 * installs from the npm registry alone. There is no ffprobe in it: streams are read from `ffmpeg -i`'s report.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { MimicError } from '../util/errors.js';

let binary: string | undefined;

/** Path of the packaged ffmpeg; a clear error when the platform package is missing. */
export function ffmpegPath(): string {
  if (binary) return binary;
  try {
    binary = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  } catch (error) {
    throw new MimicError(
      `video needs the packaged ffmpeg (@ffmpeg-installer/ffmpeg), which is missing for this platform: ${String(error)}`,
      3,
    );
  }
  return binary;
}

export interface VideoInfo {
  width: number;
  height: number;
  /** Average frames per second (what the output uses). */
  fps: number;
  /** The stream's base rate ("tbr"); differs from fps when the frame rate varies. */
  baseFps: number;
  /** Seconds, when the container says. */
  duration?: number;
  hasAudio: boolean;
  /** Container / codec names, for messages. */
  codec: string;
}

/** Runs ffmpeg to completion and returns its stderr (ffmpeg reports on stderr). */
function ffmpegReport(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 200_000) stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function parseRate(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const k = text.endsWith('k') ? 1000 : 1;
  const n = Number.parseFloat(text) * k;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Parses the stream report `ffmpeg -i FILE` prints (exported for tests). */
export function parseVideoReport(report: string, name: string): VideoInfo {
  const video = /Stream #\d+:\d+.*?: Video: ([^,\s]+).*?, (\d{1,6})x(\d{1,6})[ ,].*/.exec(report);
  if (!video) {
    const reason =
      /Invalid data found|could not find codec|does not contain any stream|moov atom not found/i.exec(report);
    throw new MimicError(`${name}: not a video${reason ? ` (ffmpeg: ${reason[0]})` : ''}`);
  }
  const line = video[0];
  const fps = parseRate(/([\d.]+k?) fps/.exec(line)?.[1]);
  const tbr = parseRate(/([\d.]+k?) tbr/.exec(line)?.[1]);
  const duration = /Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(report);
  let width = Number(video[2]);
  let height = Number(video[3]);
  // ffmpeg turns phone videos upright when decoding: report the upright size.
  const rotate = /rotate\s*:\s*(-?\d+)/.exec(report);
  if (rotate && Math.abs(Number(rotate[1])) % 180 === 90) [width, height] = [height, width];
  const rate = fps ?? tbr;
  if (!rate) throw new MimicError(`${name}: the video's frame rate is unknown`);
  return {
    width,
    height,
    fps: rate,
    baseFps: tbr ?? rate,
    ...(duration
      ? { duration: Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) }
      : {}),
    hasAudio: /Stream #\d+:\d+.*?: Audio: /.test(report),
    codec: video[1]!,
  };
}

/** What ffmpeg knows about a video file: size, rate, duration, audio. Not a video → MimicError. */
export async function probeVideo(path: string): Promise<VideoInfo> {
  const { stderr } = await ffmpegReport(['-hide_banner', '-nostdin', '-i', path]);
  if (/No such file or directory/.test(stderr)) throw new MimicError(`${path}: no such file`, 3);
  return parseVideoReport(stderr, path);
}
