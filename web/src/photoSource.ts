/**
 * Photos of any size: the pixel size is read from the file's header before anything is decoded (JPEG SOF, PNG
 * IHDR, WebP VP8/VP8L/VP8X), so a photo too large for the browser is refused at once instead of freezing the tab.
 * Large photos are decoded downscaled by the browser's decoder (createImageBitmap's resize) for detection and
 * editing; the download decodes the original again and pastes the face back at full resolution, touching only
 * the face's region.
 */
import { composeAffine, applyAffine, type Affine } from '../../src/geometry/affine.js';
import type { RgbImage } from '../../src/image/rgbImage.js';
import { imageDataToRgb, resizeImage, rgbToImageData } from './canvasImage.js';

/** Photos are edited at most this large (longest side): detection and previews stay quick, a face loses nothing. */
export const MAX_EDIT_SIDE = 2048;
/**
 * The largest photo the page accepts: about 1.2 GB of canvas at full resolution, which Chromium still allocates.
 * (Its canvas limit is 268 megapixels, 16384 × 16384.)
 */
export const MAX_PIXELS = 268_000_000;

export interface PixelSize {
  width: number;
  height: number;
}

/** Width and height from the header of a JPEG, PNG or WebP file; undefined for anything else. */
export async function headerSize(blob: Blob): Promise<PixelSize | undefined> {
  const bytes = new Uint8Array(await blob.slice(0, 256 * 1024).arrayBuffer());
  const view = new DataView(bytes.buffer);
  // PNG: signature, then the IHDR chunk with width and height.
  if (bytes.length >= 24 && view.getUint32(0) === 0x89504e47 && view.getUint32(12) === 0x49484452)
    return { width: view.getUint32(16), height: view.getUint32(20) };
  // JPEG: walk the marker segments to the first start-of-frame (SOF0..SOF15 except DHT, JPG, DAC).
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let at = 2;
    while (at + 9 < bytes.length) {
      if (bytes[at] !== 0xff) return undefined;
      const marker = bytes[at + 1]!;
      if (marker === 0xff) {
        at++;
        continue;
      }
      const length = view.getUint16(at + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
        return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
      at += 2 + length;
    }
    return undefined;
  }
  // WebP (RIFF container).
  if (bytes.length >= 30 && view.getUint32(0) === 0x52494646 && view.getUint32(8) === 0x57454250) {
    const kind = String.fromCharCode(...bytes.subarray(12, 16));
    if (kind === 'VP8 ')
      return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
    if (kind === 'VP8L') {
      const b = view.getUint32(21, true);
      return { width: (b & 0x3fff) + 1, height: ((b >> 14) & 0x3fff) + 1 };
    }
    if (kind === 'VP8X') {
      const w = bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16);
      const h = bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16);
      return { width: w + 1, height: h + 1 };
    }
  }
  return undefined;
}

/** `size` times `factor`, in whole pixels (at least one). */
function scaledSize(size: PixelSize, factor: number): PixelSize {
  return {
    width: Math.max(1, Math.round(size.width * factor)),
    height: Math.max(1, Math.round(size.height * factor)),
  };
}

/** The size a photo of `size` is edited at. */
export function editSize(size: PixelSize): PixelSize {
  return scaledSize(size, Math.min(1, MAX_EDIT_SIDE / Math.max(size.width, size.height)));
}

/**
 * `photo` made `factor` (≤ 1) times as large by the browser's high-quality scaler (the photo itself at 1), for a
 * paste that is seen smaller than the photo (the preview, the camera's live loop); `scale`: the width's actual ratio,
 * after rounding to whole pixels.
 */
export async function scaledPhoto(
  photo: RgbImage,
  factor: number,
): Promise<{ picture: RgbImage; scale: number }> {
  if (factor >= 1) return { picture: photo, scale: 1 };
  const { width, height } = scaledSize(photo, factor);
  return { picture: await resizeImage(photo, width, height), scale: width / photo.width };
}

/** A decoded photo, and whether any of its pixels was transparent (its alpha is dropped: see decodeForEditing). */
export interface DecodedPhoto {
  photo: RgbImage;
  transparent: boolean;
}

function bitmapToRgb(bitmap: ImageBitmap): DecodedPhoto {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
  let transparent = false;
  for (let i = 3; i < data.data.length; i += 4)
    if (data.data[i]! < 255) {
      transparent = true;
      break;
    }
  return { photo: imageDataToRgb(data), transparent };
}

/**
 * Decodes `blob` at most MAX_EDIT_SIDE on its longest side (EXIF orientation applied, as the CLI does). Like the
 * CLI, the editor works in RGB: a transparent pixel keeps the colour the canvas stores under it, black where it is
 * wholly transparent (the canvas premultiplies), which `transparent` lets the page say.
 */
export async function decodeForEditing(blob: Blob, size: PixelSize | undefined): Promise<DecodedPhoto> {
  let bitmap: ImageBitmap;
  try {
    const target = size === undefined ? undefined : editSize(size);
    bitmap =
      target === undefined || (target.width === size!.width && target.height === size!.height)
        ? await createImageBitmap(blob, { imageOrientation: 'from-image' })
        : await createImageBitmap(blob, {
            imageOrientation: 'from-image',
            resizeWidth: target.width,
            resizeHeight: target.height,
            resizeQuality: 'high',
          });
  } catch {
    throw new Error('unreadable');
  }
  try {
    // A format the header reader does not know (or a wrong header) is shrunk here instead.
    const longest = Math.max(bitmap.width, bitmap.height);
    if (longest <= MAX_EDIT_SIDE) return bitmapToRgb(bitmap);
    const target = editSize(bitmap);
    const small = await createImageBitmap(bitmap, {
      resizeWidth: target.width,
      resizeHeight: target.height,
      resizeQuality: 'high',
    });
    try {
      return bitmapToRgb(small);
    } finally {
      small.close();
    }
  } finally {
    bitmap.close();
  }
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Whether two regions are the same pixels of a picture. */
export function sameRegion(a: Region, b: Region): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}

/**
 * The part of a `width`×`height` picture the crop square covers (`toPhoto`: crop pixels → that picture's
 * pixels), plus a margin: everything a paste can change lies inside it.
 */
export function cropRegion(
  toPhoto: Affine,
  cropSize: number,
  width: number,
  height: number,
  /**
   * How far past the crop (crop pixels) the region reaches: the warp paste's frame (WARP_MARGIN), which it takes
   * only as far as the picture it is given reaches; cut to the crop alone, a dropped jaw left seams at its border.
   */
  margin = 0,
): Region {
  const corners = [
    [-margin, -margin],
    [cropSize + margin, -margin],
    [-margin, cropSize + margin],
    [cropSize + margin, cropSize + margin],
  ].map((p) => applyAffine(toPhoto, p as [number, number]));
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)) - 2);
  const y0 = Math.max(0, Math.floor(Math.min(...ys)) - 2);
  const x1 = Math.min(width, Math.ceil(Math.max(...xs)) + 2);
  const y1 = Math.min(height, Math.ceil(Math.max(...ys)) + 2);
  return { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}

/** `toCrop` (edit-photo pixels → crop) for a region of a picture `scale` times the edit photo's size. */
export function regionToCrop(toCrop: Affine, scale: number, region: Region): Affine {
  // region pixel p → picture pixel p + offset → edit-photo pixel (p + offset) / scale → crop.
  return composeAffine(toCrop, [1 / scale, 0, region.x / scale, 0, 1 / scale, region.y / scale]);
}

/** The photo at its original resolution on a canvas: decoded again from the file when it was edited smaller. */
export async function fullResolutionCanvas(blob: Blob, edited: RgbImage): Promise<OffscreenCanvas> {
  const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    if (bitmap.width === edited.width && bitmap.height === edited.height)
      canvas.getContext('2d')!.putImageData(rgbToImageData(edited), 0, 0);
    else canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
    return canvas;
  } finally {
    bitmap.close();
  }
}

export function readRegion(canvas: OffscreenCanvas, region: Region): RgbImage {
  return imageDataToRgb(
    canvas.getContext('2d')!.getImageData(region.x, region.y, region.width, region.height),
  );
}

/** RGB rows [from, to) of a canvas (for the PNG writer, band by band). */
export function canvasRows(canvas: OffscreenCanvas): (from: number, to: number) => Uint8Array {
  const ctx = canvas.getContext('2d')!;
  return (from, to) => imageDataToRgb(ctx.getImageData(0, from, canvas.width, to - from)).data;
}

export function cutRegion(image: RgbImage, region: Region): RgbImage {
  const out = new Uint8Array(region.width * region.height * 3);
  for (let y = 0; y < region.height; y++) {
    const from = ((region.y + y) * image.width + region.x) * 3;
    out.set(image.data.subarray(from, from + region.width * 3), y * region.width * 3);
  }
  return { width: region.width, height: region.height, data: out };
}
