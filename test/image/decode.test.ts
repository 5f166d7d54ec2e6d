// decodeImage: what a user's file becomes (RGB), and that transparency which cannot be kept is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { decodeImage } from '../../src/image/io.js';

/** A 40×30 PNG: red, with the given alpha on its right half (undefined: no alpha channel). */
async function png(alpha: number | undefined): Promise<Uint8Array> {
  const channels = alpha === undefined ? 3 : 4;
  const pixels = Buffer.alloc(40 * 30 * channels);
  for (let i = 0; i < 40 * 30; i++) {
    pixels[i * channels] = 200;
    if (alpha !== undefined) pixels[i * channels + 3] = i % 40 < 20 ? 255 : alpha;
  }
  return sharp(pixels, { raw: { width: 40, height: 30, channels } })
    .png()
    .toBuffer();
}

test('decodeImage: transparent parts are reported (they cannot be kept), opaque alpha and RGB are not', async () => {
  for (const [alpha, expected] of [
    [0, true],
    [128, true],
    [255, false],
    [undefined, false],
  ] as const) {
    let reported = false;
    const image = await decodeImage(
      await png(alpha),
      { onTransparency: () => (reported = true) },
      'cut-out.png',
    );
    assert.equal(reported, expected, `alpha ${alpha}`);
    assert.equal(image.data.length, 40 * 30 * 3, 'RGB out');
    assert.equal(image.data[0], 200);
  }
});
