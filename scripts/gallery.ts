/**
 * The README gallery: six people from ../shared/samples who are not in the training data, each as
 * input | smile | smile at 1.5 (whatever `--expression smile` gives with the shipped model and its mouth bank),
 * face crops at the photo's own resolution (the aligned face framing, 1 photo pixel ≈ 1 output pixel).
 *
 *   node --import tsx scripts/gallery.ts                       # docs/gallery/<name>.jpg, one file per person
 *   node --import tsx scripts/gallery.ts --intensities 1        # only the columns the presets allow
 */
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { affineScale } from '../src/geometry/affine.js';
import { writeImage } from '../src/image/io.js';
import type { RgbImage } from '../src/image/rgbImage.js';
import { Mimic } from '../src/transfer/mimic.js';

const PEOPLE = [
  'canada/003f.jpg',
  'canada/098m.jpg',
  'canada/149m.jpg',
  'canada/053f.jpg',
  'cc0/lisa1.jpg',
  'public-domain/astronaut.png',
];

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '../shared/samples' },
    out: { type: 'string', default: 'docs/gallery' },
    intensities: { type: 'string', default: '1,1.5' },
    model: { type: 'string' },
  },
});
const intensities = values.intensities!.split(',').map(Number);
const m = await Mimic.load(values.model);

function row(images: RgbImage[]): RgbImage {
  const { width, height } = images[0]!;
  const gap = 4;
  const out: RgbImage = {
    width: images.length * width + (images.length - 1) * gap,
    height,
    data: new Uint8Array((images.length * width + (images.length - 1) * gap) * height * 3).fill(255),
  };
  images.forEach((im, k) => {
    for (let y = 0; y < height; y++)
      out.data.set(
        im.data.subarray(y * width * 3, (y + 1) * width * 3),
        (y * out.width + k * (width + gap)) * 3,
      );
  });
  return out;
}

for (const person of PEOPLE) {
  const path = join(values.samples!, person);
  const input = await m.prepare(path);
  // The face region at the photo's own scale: crop size × (photo pixels per crop pixel).
  const size = Math.round(m.alignment.size / affineScale(input.toCrop));
  const columns = [m.faceView(input.photo, input.toCrop, size)];
  for (const intensity of intensities) {
    const { photo } = await m.transfer(input.photo, { expression: 'smile', intensity });
    columns.push(m.faceView(photo, input.toCrop, size));
  }
  const file = join(values.out!, `${person.split('/')[0]}-${basename(person).replace(/\.\w+$/, '')}.jpg`);
  await writeImage(file, row(columns));
  console.log(`${file}: ${size}×${size} faces, input | ${intensities.map((t) => `smile ${t}`).join(' | ')}`);
}
