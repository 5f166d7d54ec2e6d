/**
 * The README's picture of closed eyelids (docs/closed-eyelids.jpg): per row one person (not in the training data),
 * input | blink | wink-left | blink@0.85, the eye band of the output photo's face region at 320 px.
 *   node --import tsx scripts/eyelid-pictures.ts
 */
import { join } from 'node:path';
import { writeImage } from '../src/image/io.js';
import { createRgbImage, type RgbImage } from '../src/image/rgbImage.js';
import { Mimic } from '../src/transfer/mimic.js';

const SAMPLES = '../shared/samples';
const PEOPLE = [
  'canada/003f.jpg',
  'canada/048f.jpg',
  'canada/113m.jpg',
  'composite/m_african.jpg',
  'cc0/lisa1.jpg',
];
const TARGETS = [
  { expression: 'blink', intensity: 1 },
  { expression: 'wink-left', intensity: 1 },
  { expression: 'blink', intensity: 0.85 },
];
const SIZE = 320;
/** The eye band of a face view: rows 70–150 of 320 hold the brows and both eyes at the default alignment. */
const BAND: readonly [number, number] = [70, 150];

const m = await Mimic.load();
const rows: RgbImage[][] = [];
for (const person of PEOPLE) {
  const input = await m.prepare(join(SAMPLES, person));
  const row = [m.faceView(input.photo, input.toCrop, SIZE)];
  for (const target of TARGETS)
    row.push(m.faceView((await m.transfer(input.photo, target)).photo, input.toCrop, SIZE));
  rows.push(row);
}
const height = BAND[1] - BAND[0];
const out = createRgbImage(SIZE * rows[0]!.length, height * rows.length);
rows.forEach((row, r) =>
  row.forEach((view, c) => {
    for (let y = 0; y < height; y++)
      out.data.set(
        view.data.subarray((BAND[0] + y) * SIZE * 3, (BAND[0] + y + 1) * SIZE * 3),
        ((r * height + y) * out.width + c * SIZE) * 3,
      );
  }),
);
await writeImage('docs/closed-eyelids.jpg', out);
console.log(`docs/closed-eyelids.jpg: ${rows.length} people × input, blink, wink-left, blink@0.85`);
