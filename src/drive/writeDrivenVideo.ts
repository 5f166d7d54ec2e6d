/**
 * Writes driven frames as they come to one or more video files (the library's helper and the CLI's writer): the
 * writers open at the first frame (its size decides theirs), and on any error every unfinished file is removed.
 */
import type { RgbImage } from '../image/rgbImage.js';
import {
  carriesAudio,
  createVideoWriter,
  videoFormatFromPath,
  type VideoWriter,
} from '../video/videoWriter.js';
import type { DrivenFrame } from './drive.js';

export interface WriteDrivenOptions {
  /** Frames per second; default: the clip's own (`fps` of a DrivenClip), else 25. */
  fps?: number;
  /** A media file whose audio MP4 and WebM outputs carry (the driver video). */
  audioFrom?: string;
  /** Called once, when the first frame has arrived (tracking is over), before anything is written. */
  onTracked?: () => void;
}

export interface WrittenVideo {
  frames: number;
  width: number;
  height: number;
  /** Whether an output carries audio. */
  audio: boolean;
}

export async function writeDrivenVideo(
  paths: string | string[],
  frames: AsyncIterable<DrivenFrame | RgbImage> & { fps?: number },
  options: WriteDrivenOptions = {},
): Promise<WrittenVideo> {
  const list = typeof paths === 'string' ? [paths] : paths;
  list.forEach(videoFormatFromPath);
  const fps = options.fps ?? frames.fps ?? 25;
  let writers: VideoWriter[] = [];
  let count = 0;
  let size = { width: 0, height: 0 };
  try {
    for await (const item of frames) {
      const image = 'image' in item ? item.image : item;
      if (count === 0) {
        options.onTracked?.();
        size = { width: image.width, height: image.height };
        writers = list.map((path) =>
          createVideoWriter(path, {
            ...size,
            fps,
            ...(options.audioFrom ? { audioFrom: options.audioFrom } : {}),
          }),
        );
      }
      await Promise.all(writers.map((w) => w.write(image)));
      count++;
    }
    for (const w of writers) await w.finish();
  } catch (error) {
    await Promise.all(writers.map((w) => w.abort()));
    throw error;
  }
  const audio = options.audioFrom !== undefined && list.some(carriesAudio);
  return { frames: count, ...size, audio };
}
