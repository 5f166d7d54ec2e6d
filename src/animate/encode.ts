/**
 * Writing animation frames: GIF (gif.ts), a PNG strip (frames side by side, sharp) and MP4 (H.264 through
 * h264-mp4-encoder, a WASM build of an H.264 encoder and MP4 muxer that installs from npm with nothing to download).
 */
import { extname } from 'node:path';
import { encodeImage, resizeImage } from '../image/io.js';
import { loadH264 } from './h264Loader.js';
import { createRgbImage, rgbToRgba, type RgbImage } from '../image/rgbImage.js';
import { writeFileAtomic } from '../util/atomic.js';
import { MimicError } from '../util/errors.js';
import { checkFrames, encodeGif } from './gif.js';
import { refuseFolderPath } from '../util/folderPath.js';

export type AnimationFormat = 'gif' | 'mp4' | 'png';

export function animationFormatFromPath(path: string): AnimationFormat {
  refuseFolderPath(path);
  const ext = extname(path).toLowerCase();
  if (ext === '.gif') return 'gif';
  if (ext === '.mp4') return 'mp4';
  if (ext === '.png') return 'png';
  throw new MimicError(
    `${path}: unsupported animation extension "${ext}" (use .gif, .mp4 or .png for a strip)`,
  );
}

/** Frames side by side in one row. */
export function stripImage(frames: RgbImage[]): RgbImage {
  const { width, height } = checkFrames(frames);
  const strip = createRgbImage(width * frames.length, height);
  frames.forEach((frame, k) => {
    for (let y = 0; y < height; y++)
      strip.data.set(
        frame.data.subarray(y * width * 3, (y + 1) * width * 3),
        (y * strip.width + k * width) * 3,
      );
  });
  return strip;
}

/**
 * H.264 in MP4. H.264 needs even sides, so odd sizes are padded by repeating the last row/column. Crops are tiny
 * for a video player (64 px), so frames smaller than 256 px are enlarged first.
 */
export async function encodeMp4(frames: RgbImage[], fps: number): Promise<Uint8Array> {
  let { width, height } = checkFrames(frames);
  let list = frames;
  const scale = Math.max(1, Math.ceil(256 / Math.max(width, height)));
  if (scale > 1) {
    list = await Promise.all(frames.map((f) => resizeImage(f, f.width * scale, f.height * scale)));
    width *= scale;
    height *= scale;
  }
  const evenWidth = width + (width % 2);
  const evenHeight = height + (height % 2);
  const h264 = await loadH264();
  const encoder = await h264.createH264MP4Encoder();
  try {
    encoder.width = evenWidth;
    encoder.height = evenHeight;
    encoder.frameRate = fps;
    encoder.quantizationParameter = 18;
    encoder.initialize();
    for (const frame of list) encoder.addFrameRgba(rgbToRgba(padEven(frame, evenWidth, evenHeight)));
    encoder.finalize();
    const bytes = encoder.FS.readFile(encoder.outputFilename);
    encoder.FS.unlink(encoder.outputFilename);
    return bytes;
  } finally {
    encoder.delete();
  }
}

function padEven(image: RgbImage, width: number, height: number): RgbImage {
  if (image.width === width && image.height === height) return image;
  const out = createRgbImage(width, height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const s = (Math.min(y, image.height - 1) * image.width + Math.min(x, image.width - 1)) * 3;
      out.data.set(image.data.subarray(s, s + 3), (y * width + x) * 3);
    }
  return out;
}

/** Encodes the frames in the format the path's extension names and writes the file atomically. */
export async function writeAnimation(path: string, frames: RgbImage[], fps: number): Promise<void> {
  const format = animationFormatFromPath(path);
  const bytes =
    format === 'gif'
      ? encodeGif(frames, fps)
      : format === 'mp4'
        ? await encodeMp4(frames, fps)
        : await encodeImage(stripImage(frames), 'png');
  await writeFileAtomic(path, bytes);
}
