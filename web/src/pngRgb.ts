/**
 * A PNG writer for opaque pictures: 8-bit RGB (colour type 2), no alpha channel, which the canvas's own encoder
 * always adds. The compression is the browser's own zlib (CompressionStream "deflate" writes the zlib format PNG
 * asks for); rows are filtered with "Sub" (PNG spec §9), cheap and usually within a few percent of the best.
 */
import type { RgbImage } from '../../src/image/rgbImage.js';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(parts: Uint8Array[]): number {
  let c = 0xffffffff;
  for (const bytes of parts) for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  const typeBytes = new TextEncoder().encode(type);
  out.set(typeBytes, 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32([typeBytes, data]));
  return out;
}

/** RGB rows (`width` pixels each) with the Sub filter, each prefixed by its filter byte (1). */
function filteredRows(rgb: Uint8Array, width: number): Uint8Array<ArrayBuffer> {
  const stride = width * 3;
  const rows = rgb.length / stride;
  const out = new Uint8Array(rows * (stride + 1));
  for (let y = 0; y < rows; y++) {
    const o = y * (stride + 1);
    const row = y * stride;
    out[o] = 1;
    for (let i = 0; i < stride; i++)
      out[o + 1 + i] = (rgb[row + i]! - (i >= 3 ? rgb[row + i - 3]! : 0)) & 0xff;
  }
  return out;
}

export function rgbToPng(image: RgbImage): Promise<Blob> {
  const stride = image.width * 3;
  return encodePngRgb(image.width, image.height, (from, to) =>
    image.data.subarray(from * stride, to * stride),
  );
}

/** A PNG of `width`×`height` whose RGB rows [from, to) `readRows` gives, asked for band by band. */
export async function encodePngRgb(
  width: number,
  height: number,
  readRows: (from: number, to: number) => Uint8Array,
): Promise<Blob> {
  const image = { width, height };
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, image.width);
  view.setUint32(4, image.height);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, adaptive filtering, no interlace
  const stream = new CompressionStream('deflate');
  const writer = stream.writable.getWriter();
  const compressed = new Response(stream.readable).arrayBuffer();
  // In bands of rows, so a large photo never needs a second full copy of its pixels.
  const band = Math.max(1, Math.floor((4 << 20) / (image.width * 3 + 1)));
  for (let y = 0; y < image.height; y += band)
    await writer.write(filteredRows(readRows(y, Math.min(image.height, y + band)), width));
  await writer.close();
  const signature = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
  return new Blob(
    [
      signature,
      chunk('IHDR', header),
      chunk('IDAT', new Uint8Array(await compressed)),
      chunk('IEND', new Uint8Array()),
    ],
    { type: 'image/png' },
  );
}
