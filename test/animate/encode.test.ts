import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { encodeMp4, stripImage } from '../../src/animate/encode.js';
import { encodeGif } from '../../src/animate/gif.js';
import { createRgbImage, type RgbImage } from '../../src/image/rgbImage.js';

/** Frames of a gradient that brightens from frame to frame. */
const frames = (count: number, w = 40, h = 30): RgbImage[] =>
  Array.from({ length: count }, (_, k) => {
    const image = createRgbImage(w, h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) image.data.set([k * 40, x * 6, y * 8], (y * w + x) * 3);
    return image;
  });

test('GIF: a valid looping animation with one page per frame and the requested speed', async () => {
  const gif = encodeGif(frames(5), 10);
  const meta = await sharp(gif, { pages: -1 }).metadata();
  assert.equal(meta.format, 'gif');
  assert.equal(meta.pages, 5);
  assert.equal(meta.width, 40);
  assert.equal(meta.pageHeight, 30);
  assert.equal(meta.loop, 0);
  assert.deepEqual(meta.delay, [100, 100, 100, 100, 100]);
  // the last frame decodes close to what went in (256-colour palette)
  const { data } = await sharp(gif, { page: 4 }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const last = frames(5)[4]!;
  let error = 0;
  for (let i = 0; i < last.data.length; i++) error += Math.abs(data[i]! - last.data[i]!);
  assert.ok(error / last.data.length < 6, `mean error ${error / last.data.length}`);
});

/** Every page of a GIF decoded to RGB (sharp composes each page onto the ones before, as a viewer does). */
async function pages(gif: Uint8Array, count: number): Promise<Buffer[]> {
  return Promise.all(
    Array.from({ length: count }, (_, page) => sharp(gif, { page }).removeAlpha().raw().toBuffer()),
  );
}

test('GIF: frames store only what changed and decode to the same pixels as frames stored whole', async () => {
  // A photo-like background with a patch that moves and changes colour, one frame the same as the one before.
  const w = 120;
  const h = 90;
  const background = createRgbImage(w, h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      background.data.set([(x * 7 + y * 3) % 256, (x * y) % 200, 40 + y], (y * w + x) * 3);
  const patchAt = [10, 14, 18, 18, 26, 33];
  const list = patchAt.map((at, k) => {
    const image = { width: w, height: h, data: background.data.slice() };
    for (let y = 30; y < 50; y++)
      for (let x = at; x < at + 25; x++) image.data.set([200, 30 + 20 * k, 90], (y * w + x) * 3);
    return image;
  });
  const changed = encodeGif(list, 12);
  const whole = encodeGif(list, 12, { wholeFrames: true });
  assert.ok(
    changed.length < 0.6 * whole.length,
    `${changed.length} bytes against ${whole.length} stored whole`,
  );
  const [a, b] = [await pages(changed, list.length), await pages(whole, list.length)];
  for (let k = 0; k < list.length; k++) assert.ok(a[k]!.equals(b[k]!), `frame ${k} decodes differently`);
  // and each is the frame itself, to the precision of 256 colours for a busy background
  const last = a[list.length - 1]!;
  let error = 0;
  for (let i = 0; i < last.length; i++) error += Math.abs(last[i]! - list[list.length - 1]!.data[i]!);
  assert.ok(error / last.length < 12, `mean error ${error / last.length}`);
});

test('GIF: frame delays in hundredths of a second keep the requested speed over the whole animation', async () => {
  // 12 fps is 8.33 hundredths a frame: rounding each to 8 made every GIF 4 % fast
  const gif = encodeGif(frames(12), 12);
  const meta = await sharp(gif, { pages: -1 }).metadata();
  const delays = meta.delay ?? [];
  assert.equal(delays.length, 12);
  assert.equal(
    delays.reduce((a, b) => a + b, 0),
    1000,
    `delays ${delays.join(', ')} ms: 12 frames at 12 fps are one second`,
  );
  assert.ok(delays.every((d) => d === 80 || d === 90));
});

test('strip: frames side by side in order', () => {
  const strip = stripImage(frames(3, 4, 2));
  assert.equal(strip.width, 12);
  assert.equal(strip.height, 2);
  assert.equal(strip.data[(1 * 12 + 8) * 3], 80, 'third frame starts at x = 8');
});

/** Boxes of an ISO-BMFF byte range: [type, start, size]. */
function boxes(bytes: Uint8Array, from = 0, to = bytes.length): [string, number, number][] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: [string, number, number][] = [];
  for (let at = from; at + 8 <= to;) {
    const size = view.getUint32(at);
    out.push([String.fromCharCode(...bytes.subarray(at + 4, at + 8)), at, size]);
    if (size < 8) break;
    at += size;
  }
  return out;
}

test('MP4: an H.264 video with one sample per frame', async () => {
  const mp4 = await encodeMp4(frames(7, 33, 21), 12);
  const top = boxes(mp4);
  assert.equal(top[0]![0], 'ftyp');
  const moov = top.find((b) => b[0] === 'moov');
  assert.ok(moov && top.some((b) => b[0] === 'mdat'));
  // moov → trak → mdia → minf → stbl → stsz (sample count at offset 16 of stsz)
  const find = (name: string, [, start, size]: [string, number, number]): [string, number, number] => {
    const child = boxes(mp4, start + 8, start + size).find((b) => b[0] === name);
    assert.ok(child, `${name} box`);
    return child;
  };
  const stbl = find('stbl', find('minf', find('mdia', find('trak', moov))));
  const stsz = find('stsz', stbl);
  const view = new DataView(mp4.buffer, mp4.byteOffset);
  assert.equal(view.getUint32(stsz[1] + 16), 7);
  const stsd = find('stsd', stbl);
  assert.equal(String.fromCharCode(...mp4.subarray(stsd[1] + 20, stsd[1] + 24)), 'avc1');
});
