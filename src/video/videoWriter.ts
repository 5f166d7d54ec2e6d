/**
 * Writing frames as they come: MP4 (H.264) and WebM (VP8) through the packaged ffmpeg (raw RGB frames on its
 * stdin); GIF (the project's one GIF writer) and a PNG strip for short clips. Every output goes to a hidden
 * temporary sibling first and is renamed into place only when complete, so an error or Ctrl-C (see
 * abortAllWriters) leaves no half-written file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { stripImage } from '../animate/encode.js';
import { encodeGif } from '../animate/gif.js';
import { encodeImage } from '../image/io.js';
import type { RgbImage } from '../image/rgbImage.js';
import { writeError, writeFileAtomic } from '../util/atomic.js';
import { MimicError } from '../util/errors.js';
import { ffmpegPath } from './ffmpeg.js';
import { refuseFolderPath } from '../util/folderPath.js';

export type VideoFormat = 'mp4' | 'webm' | 'gif' | 'png';
export const VIDEO_FORMATS: readonly VideoFormat[] = ['mp4', 'webm', 'gif', 'png'];
/** A PNG strip puts every frame side by side: only for short clips. */
export const MAX_STRIP_FRAMES = 64;
/** A GIF's frames are held to build one palette for all of them (no flicker), so GIFs are capped (10 s at 25 fps). */
export const MAX_GIF_FRAMES = 250;

export function videoFormatFromPath(path: string): VideoFormat {
  refuseFolderPath(path);
  const ext = extname(path).toLowerCase().slice(1);
  if ((VIDEO_FORMATS as readonly string[]).includes(ext)) return ext as VideoFormat;
  throw new MimicError(
    `${path}: unsupported output extension "${extname(path)}" (use .mp4, .webm, .gif or .png for a strip)`,
  );
}

/** Whether an output at `path` keeps a driver's audio: MP4 and WebM do; a GIF or a PNG strip has none. */
export function carriesAudio(path: string): boolean {
  const format = videoFormatFromPath(path);
  return format === 'mp4' || format === 'webm';
}

export interface VideoWriterOptions {
  width: number;
  height: number;
  fps: number;
  /** A media file whose first audio stream MP4 and WebM outputs carry (cut to the video's length). */
  audioFrom?: string;
}

export interface VideoWriter {
  readonly path: string;
  write(frame: RgbImage): Promise<void>;
  /** Completes the file and moves it into place. */
  finish(): Promise<void>;
  /** Stops and removes the temporary file; the output path is untouched. */
  abort(): Promise<void>;
}

const active = new Set<VideoWriter>();

/** Aborts every writer still open (for a SIGINT handler): nothing half-written stays behind. */
export async function abortAllWriters(): Promise<void> {
  await Promise.all([...active].map((w) => w.abort()));
}

function tempSibling(path: string): string {
  return join(
    dirname(path),
    `.${basename(path, extname(path))}.tmp-${process.pid}-${Date.now()}${extname(path)}`,
  );
}

function codecArgs(format: VideoFormat, hasAudio: boolean): string[] {
  if (format === 'mp4')
    return [
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-crf',
      '20',
      '-pix_fmt',
      'yuv420p',
      '-movflags',
      '+faststart',
      ...(hasAudio ? ['-c:a', 'aac', '-b:a', '128k'] : []),
      '-f',
      'mp4',
    ];
  if (format === 'webm')
    return [
      '-c:v',
      'libvpx',
      '-deadline',
      'realtime',
      '-cpu-used',
      '8',
      '-b:v',
      '2M',
      '-qmin',
      '4',
      '-qmax',
      '40',
      ...(hasAudio ? ['-c:a', 'libopus', '-b:a', '96k'] : []),
      '-f',
      'webm',
    ];
  throw new Error(`${format} is not written through ffmpeg`);
}

class FfmpegWriter implements VideoWriter {
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private readonly tmp: string;
  private stderr = '';
  private done = false;

  constructor(
    readonly path: string,
    private readonly format: VideoFormat,
    private readonly options: VideoWriterOptions,
  ) {
    this.tmp = tempSibling(path);
    // The output's folder is made if missing, as every other output's is (writeFileAtomic): ffmpeg would not.
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw writeError(path, error);
    }
    const { width, height, fps, audioFrom } = options;
    const audio = audioFrom !== undefined;
    const args = [
      '-v',
      'error',
      '-y',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-s',
      `${width}x${height}`,
      '-r',
      String(fps),
      '-i',
      'pipe:0',
    ];
    if (audio) args.push('-i', audioFrom, '-map', '0:v:0', '-map', '1:a:0?', '-shortest');
    args.push(...codecArgs(format, audio), this.tmp);
    this.child = spawn(ffmpegPath(), args, { stdio: ['pipe', 'ignore', 'pipe'] });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-2000)));
    this.child.stdin!.on('error', () => undefined); // EPIPE when ffmpeg fails: reported by finish()
    this.exited = new Promise((resolve) => {
      this.child.on('close', resolve);
      this.child.on('error', () => resolve(-1));
    });
  }

  async write(frame: RgbImage): Promise<void> {
    const { width, height } = this.options;
    if (frame.width !== width || frame.height !== height)
      throw new Error(`frame is ${frame.width}×${frame.height}, the video ${width}×${height}`);
    if (this.done) throw new MimicError(`${this.path}: stopped`);
    const stdin = this.child.stdin!;
    if (this.child.exitCode !== null) throw this.failure();
    // A broken pipe (ffmpeg failed or was stopped) is reported by finish(), not here.
    if (!stdin.write(frame.data))
      await Promise.race([once(stdin, 'drain').catch(() => undefined), this.exited]);
  }

  private failure(): MimicError {
    return new MimicError(
      `cannot write ${this.path}: ffmpeg failed (${this.stderr.trim().split('\n').pop() ?? 'no message'})`,
    );
  }

  async finish(): Promise<void> {
    this.child.stdin!.end();
    const code = await this.exited;
    this.done = true;
    active.delete(this);
    if (code !== 0) {
      await rm(this.tmp, { force: true });
      throw this.failure();
    }
    await rename(this.tmp, this.path);
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    active.delete(this);
    this.child.kill('SIGKILL');
    await this.exited;
    await rm(this.tmp, { force: true });
  }
}

/**
 * Formats that need every frame before they can be encoded (a PNG strip; a GIF, whose one palette is quantized from
 * all frames by the project's GIF writer), so frames are held and the file is written atomically at the end.
 */
class HeldFramesWriter implements VideoWriter {
  private readonly frames: RgbImage[] = [];
  constructor(
    readonly path: string,
    private readonly format: 'gif' | 'png',
    private readonly fps: number,
  ) {}
  async write(frame: RgbImage): Promise<void> {
    const limit = this.format === 'gif' ? MAX_GIF_FRAMES : MAX_STRIP_FRAMES;
    if (this.frames.length >= limit)
      throw new MimicError(
        `${this.path}: ${this.format === 'gif' ? 'a GIF' : 'a PNG strip'} holds at most ${limit} frames here; write .mp4 or .webm for longer clips`,
      );
    this.frames.push(frame);
  }
  async finish(): Promise<void> {
    active.delete(this);
    const bytes =
      this.format === 'gif'
        ? encodeGif(this.frames, this.fps)
        : await encodeImage(stripImage(this.frames), 'png');
    await writeFileAtomic(this.path, bytes);
  }
  async abort(): Promise<void> {
    active.delete(this);
  }
}

/** Starts writing `path` (format from its extension). Call finish() at the end, abort() on failure. */
export function createVideoWriter(path: string, options: VideoWriterOptions): VideoWriter {
  const format = videoFormatFromPath(path);
  if (options.width % 2 || options.height % 2) throw new Error('video frames need even sides');
  const writer =
    format === 'gif' || format === 'png'
      ? new HeldFramesWriter(path, format, options.fps)
      : new FfmpegWriter(path, format, options);
  active.add(writer);
  return writer;
}
