/** An 8-bit RGB image in memory: row-major, 3 bytes per pixel, no padding. The one image type Mimic passes around. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export function createRgbImage(width: number, height: number): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3) };
}

/** [0, 255] bytes → floats in [-1, 1], the range the networks use. */
export function imageToUnitRange(image: RgbImage): Float32Array {
  const out = new Float32Array(image.data.length);
  for (let i = 0; i < out.length; i++) out[i] = image.data[i]! / 127.5 - 1;
  return out;
}

/** Floats in [-1, 1] → bytes, clamped and rounded. */
export function unitRangeToImage(values: ArrayLike<number>, width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) {
    const v = Math.round((values[i]! + 1) * 127.5);
    data[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return { width, height, data };
}
