/**
 * Reading and writing photos with sharp (libvips). Every decoded photo becomes an 8-bit sRGB RgbImage:
 * EXIF orientation applied, CMYK and grayscale converted, 16-bit reduced, alpha dropped. Anything that cannot
 * be read becomes a MimicError with a one-line reason.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Metadata } from 'sharp';
import { sharp } from './sharpModule.js';
import { MimicError } from '../util/errors.js';
import { fsErrorText } from '../util/fsErrors.js';
import { writeFileAtomic } from '../util/atomic.js';
import type { RgbImage } from './rgbImage.js';
import { refuseFolderPath } from '../util/folderPath.js';

export interface DecodeOptions {
  /** Largest accepted image, in pixels (width × height), checked before decoding: guards against decompression bombs. */
  maxPixels?: number;
  /** Largest accepted file, in bytes. */
  maxBytes?: number;
  /**
   * Called when the image has transparent parts: Mimic works on RGB, so they come out as the colours stored under
   * them (often black), and the caller can say so.
   */
  onTransparency?: () => void;
}

export const DEFAULT_MAX_PIXELS = 40_000_000;
export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;

/** Decodes a photo from a path or bytes. `name` is used in error messages when bytes are given. */
export async function decodeImage(
  input: string | Uint8Array,
  options: DecodeOptions = {},
  name = typeof input === 'string' ? input : 'image',
): Promise<RgbImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let bytes: Uint8Array;
  if (typeof input === 'string') {
    let size: number;
    try {
      const info = await stat(input);
      if (!info.isFile()) throw new MimicError(`${name}: not a file`);
      size = info.size;
    } catch (error) {
      if (error instanceof MimicError) throw error;
      throw new MimicError(`${name}: cannot read: ${fsErrorText(error)}`, 3);
    }
    if (size === 0) throw new MimicError(`${name}: the file is empty`);
    if (size > maxBytes)
      throw new MimicError(`${name}: the file is ${size} bytes, over the limit of ${maxBytes}`);
    bytes = await readFile(input);
  } else {
    bytes = input;
    if (bytes.length === 0) throw new MimicError(`${name}: the file is empty`);
  }

  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new MimicError(`${name}: not an image Mimic can read (JPEG, PNG, WebP, GIF, TIFF, AVIF)`);
  }
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  if (width === 0 || height === 0) throw new MimicError(`${name}: the image has no pixels`);
  if (width * height > maxPixels)
    throw new MimicError(
      `${name}: ${width}×${height} is ${((width * height) / 1e6).toFixed(1)} megapixels, over the limit of ${(maxPixels / 1e6).toFixed(1)} (use a smaller photo)`,
    );

  if (metadata.hasAlpha && options.onTransparency) {
    const stats = await sharp(bytes, { limitInputPixels: maxPixels })
      .stats()
      .catch(() => undefined);
    if (stats !== undefined && !stats.isOpaque) options.onTransparency();
  }
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' })
      .rotate() // apply EXIF orientation
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected ${info.channels} channels`);
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new MimicError(`${name}: the image is damaged or truncated (${reason})`);
  }
}

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export function formatFromPath(path: string): ImageFormat {
  refuseFolderPath(path);
  const ext = extname(path).toLowerCase();
  if (ext === '.png') return 'png';
  if (ext === '.jpg' || ext === '.jpeg') return 'jpeg';
  if (ext === '.webp') return 'webp';
  throw new MimicError(`${path}: unsupported image extension "${ext}" (use .png, .jpg or .webp)`);
}

export interface EncodeOptions {
  /**
   * PNG only: choose each row's filter by trying them all (adaptive filtering), at deflate's highest level. The same
   * pixels in a much smaller file (the mouth bank's sprite: 0.69 MB against 1.32 MB), for several times the time:
   * for files written once and downloaded often, not for every output.
   */
  compact?: boolean;
}

export async function encodeImage(
  image: RgbImage,
  format: ImageFormat = 'png',
  options: EncodeOptions = {},
): Promise<Buffer> {
  const pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  if (format === 'jpeg') return pipeline.jpeg({ quality: 92 }).toBuffer();
  if (format === 'webp') return pipeline.webp({ quality: 92 }).toBuffer();
  return pipeline
    .png(options.compact === true ? { adaptiveFiltering: true, compressionLevel: 9 } : {})
    .toBuffer();
}

/** Writes an image atomically, the format taken from the extension. */
export async function writeImage(path: string, image: RgbImage): Promise<void> {
  const bytes = await encodeImage(image, formatFromPath(path));
  await writeFileAtomic(path, bytes);
}

/** Resizes with a Lanczos filter (sharp's default). */
export async function resizeImage(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  const { data, info } = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}
