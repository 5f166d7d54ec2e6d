/**
 * Driver frames, decoded one at a time: a video file through ffmpeg (MP4, WebM, MOV, animated GIF, anything its
 * decoders read) or a folder of numbered image files. A source can be read several times (`frames()` starts over),
 * which lets `mimic drive` look at the whole clip's landmarks before it renders, without keeping any frame.
 */
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { decodeImage, resizeImage } from '../image/io.js';
import type { RgbImage } from '../image/rgbImage.js';
import { MimicError } from '../util/errors.js';
import { ffmpegPath, probeVideo } from './ffmpeg.js';

export interface FrameSource {
  name: string;
  /** Size of the frames `frames()` yields (after any scaling down). */
  width: number;
  height: number;
  fps: number;
  /** Expected number of frames, for progress (the container's duration × fps); exact for folders. */
  expectedFrames?: number;
  /** The file whose audio an MP4/WebM output may carry over. */
  audioFrom?: string;
  /** What the reader changed or assumed (scaled down, variable frame rate resampled), one line each. */
  notices: string[];
  frames(): AsyncIterable<RgbImage>;
}

export interface OpenOptions {
  /** Frames whose longer side is above this are scaled down when decoded; default 640. */
  maxSide?: number;
  /** Frames per second of a folder of frames (a video file has its own); default 25. */
  folderFps?: number;
}

export const DEFAULT_DRIVER_MAX_SIDE = 640;
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.bmp', '.tif', '.tiff'];

function fitted(width: number, height: number, maxSide: number): { width: number; height: number } {
  const factor = Math.min(1, maxSide / Math.max(width, height));
  // Even sides: video encoders need them, and side-by-side frames are built from these.
  const even = (v: number): number => Math.max(2, 2 * Math.round((v * factor) / 2));
  return { width: even(width), height: even(height) };
}

/** Opens a video file or a folder of numbered frames. */
export async function openFrameSource(path: string, options: OpenOptions = {}): Promise<FrameSource> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new MimicError(`${path}: no such file or folder`, 3);
  }
  const maxSide = options.maxSide ?? DEFAULT_DRIVER_MAX_SIDE;
  return info.isDirectory()
    ? openFrameFolder(path, maxSide, options.folderFps ?? 25)
    : openVideoFile(path, maxSide);
}

async function openVideoFile(path: string, maxSide: number): Promise<FrameSource> {
  const video = await probeVideo(path);
  const { width, height } = fitted(video.width, video.height, maxSide);
  const notices: string[] = [];
  if (width !== video.width || height !== video.height)
    notices.push(`${path}: ${video.width}×${video.height} frames are read at ${width}×${height}`);
  const fps = Math.round(video.fps * 1000) / 1000;
  if (Math.abs(video.fps - video.baseFps) / video.baseFps > 0.01)
    notices.push(
      `${path}: variable frame rate (average ${fps} fps, stream base ${video.baseFps} fps): resampled to a constant ${fps} fps`,
    );
  return {
    name: path,
    width,
    height,
    fps,
    ...(video.duration ? { expectedFrames: Math.max(1, Math.round(video.duration * fps)) } : {}),
    ...(video.hasAudio ? { audioFrom: path } : {}),
    notices,
    frames: () => decodeWithFfmpeg(path, width, height, fps),
  };
}

/** Raw RGB frames from ffmpeg's stdout, one frame at a time (the pipe's back-pressure keeps memory flat). */
async function* decodeWithFfmpeg(
  path: string,
  width: number,
  height: number,
  fps: number,
): AsyncGenerator<RgbImage> {
  const args = ['-v', 'error', '-nostdin', '-i', path, '-map', '0:v:0', '-an', '-sn'];
  args.push('-vf', `scale=${width}:${height}:flags=area`, '-vsync', 'cfr', '-r', String(fps));
  args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');
  const child = spawn(ffmpegPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const frameBytes = width * height * 3;
  let frame = new Uint8Array(frameBytes);
  let filled = 0;
  let finished = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const n = Math.min(frameBytes - filled, chunk.length - offset);
        frame.set(chunk.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === frameBytes) {
          yield { width, height, data: frame };
          frame = new Uint8Array(frameBytes);
          filled = 0;
        }
      }
    }
    finished = true;
  } finally {
    // A consumer that stops early (an error, Ctrl-C) must not leave ffmpeg running.
    if (!finished) child.kill('SIGKILL');
  }
  const code = await exited;
  if (code !== 0 && finished)
    throw new MimicError(
      `${path}: ffmpeg could not decode it (${stderr.trim().split('\n').pop() ?? `exit ${code}`})`,
    );
}

/** The last run of digits in a file name, for numeric ordering (frame2 before frame10). */
function frameNumber(name: string): number | undefined {
  const match = /(\d+)(?!.*\d)/.exec(name);
  return match ? Number(match[1]) : undefined;
}

async function openFrameFolder(path: string, maxSide: number, fps: number): Promise<FrameSource> {
  const files = (await readdir(path))
    .filter((f) => IMAGE_EXTENSIONS.includes(extname(f).toLowerCase()) && frameNumber(f) !== undefined)
    .sort((a, b) => frameNumber(a)! - frameNumber(b)! || a.localeCompare(b));
  if (files.length === 0)
    throw new MimicError(
      `${path}: no numbered frames in this folder (e.g. frame0001.png, ${IMAGE_EXTENSIONS.join(' ')})`,
    );
  const first = await decodeImage(join(path, files[0]!), {}, join(path, files[0]!));
  const { width, height } = fitted(first.width, first.height, maxSide);
  async function* frames(): AsyncGenerator<RgbImage> {
    for (const file of files) {
      const image = await decodeImage(join(path, file), {}, join(path, file));
      if (
        image.width / image.height !== first.width / first.height &&
        Math.abs(image.width / image.height - width / height) > 0.01
      )
        throw new MimicError(
          `${join(path, file)}: ${image.width}×${image.height} differs from the first frame's ${first.width}×${first.height}`,
        );
      yield image.width === width && image.height === height
        ? image
        : await resizeImage(image, width, height);
    }
  }
  const notices = [`${path}: ${files.length} numbered frames (${files[0]} … ${files.at(-1)}) at ${fps} fps`];
  if (width !== first.width || height !== first.height)
    notices.push(`${path}: ${first.width}×${first.height} frames are read at ${width}×${height}`);
  return { name: path, width, height, fps, expectedFrames: files.length, notices, frames };
}
