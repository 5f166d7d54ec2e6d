/**
 * The README's pictures of the mouth interior and the palette (face crops, 256 px):
 *   docs/mouth-interior.jpg: per row input | --mouth none | --mouth bank | --mouth auto (the driver's own mouth) |
 *     the --like driver, for six Canada photos (not in the training data) each like an FRL smile;
 *   docs/palette.jpg: a grayscale and a sepia version of one photo, input | smile with parted lips.
 *   node --import tsx scripts/mouth-pictures.ts
 */
import { join } from 'node:path';
import { decodeImage, writeImage } from '../src/image/io.js';
import type { RgbImage } from '../src/image/rgbImage.js';
import { Mimic } from '../src/transfer/mimic.js';

const SAMPLES = '../shared/samples/canada';
const SMILES = '../shared/datasets/frl-london/smiling';
const PAIRS = [
  ['003f', '030'],
  ['020f', '129'],
  ['053f', '107'],
  ['098m', '025'],
  ['115m', '036'],
  ['149m', '002'],
];
const SIZE = 256;
const m = await Mimic.load();

function grid(rows: RgbImage[][]): RgbImage {
  const cols = rows[0]!.length;
  const out: RgbImage = {
    width: SIZE * cols,
    height: SIZE * rows.length,
    data: new Uint8Array(SIZE * cols * SIZE * rows.length * 3),
  };
  rows.forEach((row, r) =>
    row.forEach((im, c) => {
      for (let y = 0; y < SIZE; y++)
        out.data.set(
          im.data.subarray(y * SIZE * 3, (y + 1) * SIZE * 3),
          ((r * SIZE + y) * out.width + c * SIZE) * 3,
        );
    }),
  );
  return out;
}

const rows: RgbImage[][] = [];
for (const [person, driver] of PAIRS) {
  const photo = join(SAMPLES, `${person}.jpg`);
  const like = join(SMILES, `${driver}_08.jpg`);
  const input = await m.prepare(photo);
  const row = [m.faceView(input.photo, input.toCrop, SIZE)];
  for (const mouth of ['none', 'bank', 'auto'] as const)
    row.push(m.faceView((await m.transfer(input.photo, { like }, { mouth })).photo, input.toCrop, SIZE));
  const d = await m.prepare(like);
  row.push(m.faceView(d.photo, d.toCrop, SIZE));
  rows.push(row);
}
await writeImage('docs/mouth-interior.jpg', grid(rows));

// Palette: the same photo as black-and-white and as a sepia print.
const colour = await decodeImage(join(SAMPLES, '019f.jpg'));
const toned = (tint: [number, number, number]): RgbImage => {
  const data = new Uint8Array(colour.data.length);
  for (let o = 0; o < data.length; o += 3) {
    const y = 0.299 * colour.data[o]! + 0.587 * colour.data[o + 1]! + 0.114 * colour.data[o + 2]!;
    for (let c = 0; c < 3; c++) data[o + c] = Math.min(255, Math.round(y * tint[c]!));
  }
  return { width: colour.width, height: colour.height, data };
};
const target = { expression: 'smile', edits: { mouthOpen: 2, mouthCorners: 2 } };
const paletteRows: RgbImage[][] = [];
for (const photo of [toned([1, 1, 1]), toned([1.07, 0.95, 0.78])]) {
  const r = await m.transfer(photo, target);
  paletteRows.push([m.faceView(photo, r.input.toCrop, SIZE), m.faceView(r.photo, r.input.toCrop, SIZE)]);
}
await writeImage('docs/palette.jpg', grid(paletteRows));
console.log('docs/mouth-interior.jpg, docs/palette.jpg');
