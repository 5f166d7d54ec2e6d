/** Conversions between the project's RgbImage and the browser's canvases, blobs and files. */
import { rgbToRgba, type RgbImage } from '../../src/image/rgbImage.js';

export function imageDataToRgb(data: ImageData): RgbImage {
  const n = data.width * data.height;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    out[3 * i] = data.data[4 * i]!;
    out[3 * i + 1] = data.data[4 * i + 1]!;
    out[3 * i + 2] = data.data[4 * i + 2]!;
  }
  return { width: data.width, height: data.height, data: out };
}

export function rgbToImageData(image: RgbImage): ImageData {
  const rgba = rgbToRgba(image);
  return new ImageData(new Uint8ClampedArray(rgba.buffer as ArrayBuffer), image.width, image.height);
}

/** Decodes an image file; rejects with a readable message when the browser cannot decode it. */
export async function decodeImageBlob(blob: Blob): Promise<RgbImage> {
  let bitmap: ImageBitmap;
  try {
    // Respect EXIF orientation, as the CLI does (sharp's rotate()).
    bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  } catch {
    throw new Error('unreadable');
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return imageDataToRgb(ctx.getImageData(0, 0, canvas.width, canvas.height));
}

/** Draws `image` onto `canvas`, resizing the canvas's pixel grid to the image. */
export function drawRgb(canvas: HTMLCanvasElement, image: RgbImage): void {
  drawImageData(canvas, rgbToImageData(image));
}

/** drawRgb for pixels already converted (the preview draws one paste twice). */
export function drawImageData(canvas: HTMLCanvasElement, pixels: ImageData): void {
  // (a canvas given its own size again is cleared and reset all the same: only a new size is set)
  if (canvas.width !== pixels.width) canvas.width = pixels.width;
  if (canvas.height !== pixels.height) canvas.height = pixels.height;
  canvas.getContext('2d')!.putImageData(pixels, 0, 0);
}

export async function rgbToPngBlob(image: RgbImage): Promise<Blob> {
  const canvas = new OffscreenCanvas(image.width, image.height);
  canvas.getContext('2d')!.putImageData(rgbToImageData(image), 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}

/** Nearest-neighbour upscale by an integer factor (the 64-px face is shown and exported larger). */
export function upscale(image: RgbImage, factor: number): RgbImage {
  const width = image.width * factor;
  const height = image.height * factor;
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sy = Math.floor(y / factor);
    for (let x = 0; x < width; x++) {
      const s = (sy * image.width + Math.floor(x / factor)) * 3;
      const o = (y * width + x) * 3;
      out[o] = image.data[s]!;
      out[o + 1] = image.data[s + 1]!;
      out[o + 2] = image.data[s + 2]!;
    }
  }
  return { width, height, data: out };
}

/** The browser's own image scaler (high-quality smoothing filters properly when shrinking), for the shared code. */
export async function resizeImage(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  const source = new OffscreenCanvas(image.width, image.height);
  source.getContext('2d')!.putImageData(rgbToImageData(image), 0, 0);
  const target = new OffscreenCanvas(width, height);
  const ctx = target.getContext('2d')!;
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, 0, 0, width, height);
  return imageDataToRgb(ctx.getImageData(0, 0, width, height));
}
