/**
 * The README's preset grid: every expression preset (data and action-unit presets, mimic presets --list) on a few
 * people who are not in the training data, face regions of the output photos (default paste mode, warp).
 *
 *   node --import tsx scripts/preset-grid.ts --out docs/preset-grid.png [--model DIR] [--size 128] [--intensity 1]
 *                                            [--only surprise,sad] [--per-band 9] PHOTO…
 *
 * Default photos: ../shared/samples/canada/{019f,108m}.jpg and ../shared/samples/composite/m_african.jpg
 * (CC BY 4.0, DeBruine & Jones 2017; see the README's credits). One row per person, one column per preset, the
 * input first; each column labelled; at most --per-band presets side by side, then a new band below.
 */
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { expressionNames } from '../src/transfer/expressionCatalogue.js';
import { Mimic } from '../src/transfer/mimic.js';
import type { Target } from '../src/transfer/targets.js';
import { writeFileAtomic } from '../src/util/atomic.js';

const DEFAULT_PHOTOS = [
  '../shared/samples/canada/019f.jpg',
  '../shared/samples/canada/108m.jpg',
  '../shared/samples/composite/m_african.jpg',
];
const LABEL_HEIGHT = 22;
const GAP = 2;
const BAND_GAP = 10;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string', default: 'docs/preset-grid.png' },
    model: { type: 'string' },
    size: { type: 'string', default: '128' },
    intensity: { type: 'string', default: '1' },
    only: { type: 'string' },
    'per-band': { type: 'string', default: '9' },
  },
});
const photos = positionals.length > 0 ? positionals : DEFAULT_PHOTOS;
const size = Number(values.size);
const intensity = Number(values.intensity);

const mimic = await Mimic.load(values.model);
const names = values.only ? values.only.split(',') : expressionNames(mimic.presets);
const keys: Target[] = [{ own: true }, ...names.map((expression) => ({ expression, intensity }))];
const labels = ['input', ...names.map((n) => (intensity === 1 ? n : `${n}@${intensity}`))];

// Bands of at most `perBand` presets, each band with the input again in its first column, so the grid stays
// narrow enough to see the faces at README width.
const perBand = Number(values['per-band']);
const bands: number[][] = [];
for (let k = 1; k < keys.length; k += perBand)
  bands.push([0, ...Array.from({ length: Math.min(perBand, keys.length - k) }, (_, i) => k + i)]);
const cols = Math.max(...bands.map((b) => b.length));
const bandHeight = LABEL_HEIGHT + photos.length * (size + GAP);
const width = cols * size + (cols - 1) * GAP;
const height = bands.length * bandHeight + (bands.length - 1) * BAND_GAP;
const tiles: NonNullable<Parameters<ReturnType<typeof sharp>['composite']>[0]> = [];
for (const [row, photo] of photos.entries()) {
  const started = Date.now();
  // One frame per key (framesPerSegment 1): the keys themselves, generated in one batch.
  const { frames } = await mimic.animate(photo, keys, {
    framesPerSegment: 1,
    output: 'face',
    faceSize: size,
  });
  bands.forEach((band, b) =>
    band.forEach((key, col) => {
      const frame = frames[key]!;
      tiles.push({
        input: Buffer.from(frame.data),
        raw: { width: frame.width, height: frame.height, channels: 3 },
        left: col * (size + GAP),
        top: b * (bandHeight + BAND_GAP) + LABEL_HEIGHT + row * (size + GAP),
      });
    }),
  );
  console.error(`${photo}: ${frames.length} faces in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
bands.forEach((band, b) => {
  const text = band
    .map(
      (key, col) =>
        `<text x="${col * (size + GAP) + size / 2}" y="16" font-family="DejaVu Sans" font-size="13" text-anchor="middle">${labels[key]}</text>`,
    )
    .join('');
  tiles.push({
    input: Buffer.from(`<svg width="${width}" height="${LABEL_HEIGHT}">${text}</svg>`),
    left: 0,
    top: b * (bandHeight + BAND_GAP),
  });
});
const png = await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
  .composite(tiles)
  .png()
  .toBuffer();
await writeFileAtomic(values.out!, png);
console.log(`${photos.length} people × ${keys.length} columns in ${bands.length} bands: ${values.out}`);
