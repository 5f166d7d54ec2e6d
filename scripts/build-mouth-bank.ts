/**
 * Cuts the mouth-interior bank (src/face/mouthInterior.ts) from the FRL London smiles (CC BY 4.0):
 * every smiling photo whose lips are parted (mouthOpening ≥ --min-opening) gives one patch around its mouth,
 * cut from the face aligned like the model's crops at --zoom × the crop size.
 *
 *   node --import tsx scripts/build-mouth-bank.ts --out models/default                       # the shipped bank
 *   node --import tsx scripts/build-mouth-bank.ts --out runs/mouth-bank-fold0 --exclude-fold 0 # for eval of fold 0
 *
 * --exclude-fold K leaves out the people of fold K of the cache's split (--data, default datasets/frl-london-64),
 * so that an evaluation of fold K never pastes a held-out person's own teeth.
 */
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { applyAffine, composeAffine, invertAffine, type Point } from '../src/geometry/affine.js';
import { eyeWhiteLuma } from '../src/face/eyeWhite.js';
import { warpAffine } from '../src/image/warpAffine.js';
import { findAndAlignFace } from '../src/face/pipeline.js';
import { readDataCache } from '../src/data/cache.js';
import { foldSubjects } from '../src/data/split.js';
import { createRgbImage, type RgbImage } from '../src/image/rgbImage.js';
import { lipsOf, mouthComposition, mouthOpening, type MouthExemplar } from '../src/face/mouthInterior.js';
import { writeMouthBank } from '../src/face/mouthBankFile.js';

const { values } = parseArgs({
  options: {
    frl: { type: 'string', default: '../shared/datasets/frl-london' },
    data: { type: 'string', default: 'datasets/frl-london-64' },
    out: { type: 'string' },
    'exclude-fold': { type: 'string' },
    zoom: { type: 'string', default: '5' },
    'min-opening': { type: 'string', default: '0.08' },
    'min-interior': { type: 'string', default: '0.4' },
  },
});
if (!values.out) {
  console.error(
    'usage: build-mouth-bank --out DIR [--exclude-fold K] [--zoom 5] [--min-opening 0.08] [--min-interior 0.4]',
  );
  process.exit(2);
}
const zoom = Number(values.zoom);
const minOpening = Number(values['min-opening']);
/** Parted lips with little teeth or cavity between them (landmark noise on a closed mouth) make poor exemplars. */
const minInterior = Number(values['min-interior']);
const cache = await readDataCache(values.data);
const excluded =
  values['exclude-fold'] === undefined
    ? new Set<string>()
    : foldSubjects(cache.manifest.split.folds, Number(values['exclude-fold'])).test;

const dir = join(values.frl, 'smiling');
const files = (await readdir(dir)).filter((f) => /\.jpe?g$/i.test(f)).sort();
const patches: { id: string; subject: string; image: RgbImage; lips: Point[]; eyeWhite?: number }[] = [];
const nativeZooms: number[] = [];
for (const file of files) {
  const subject = basename(file).split('_')[0]!;
  if (excluded.has(subject)) continue;
  const found = await findAndAlignFace(join(dir, file));
  const { landmarks, alignment } = found.aligned;
  const size = alignment.config.size;
  nativeZooms.push(1 / Math.hypot(alignment.toCrop[0], alignment.toCrop[3]));
  const lips = lipsOf(landmarks, zoom);
  if (mouthOpening(lips) < minOpening) continue;
  // The face at zoom × crop size, then a box around the lips wide enough for the skin ring colour matching uses.
  const face = warpAffine(
    found.photo,
    composeAffine([zoom, 0, 0, 0, zoom, 0], alignment.toCrop),
    size * zoom,
    size * zoom,
  );
  const outer = lips.slice(0, 12);
  const cx = outer.reduce((s, p) => s + p[0], 0) / 12;
  const cy = outer.reduce((s, p) => s + p[1], 0) / 12;
  const halfW = Math.max(...outer.map((p) => Math.abs(p[0] - cx))) * 1.8;
  const halfH = Math.max(...outer.map((p) => Math.abs(p[1] - cy))) * 1.8;
  const x0 = Math.max(0, Math.floor(cx - halfW));
  const y0 = Math.max(0, Math.floor(cy - halfH));
  const x1 = Math.min(face.width, Math.ceil(cx + halfW));
  const y1 = Math.min(face.height, Math.ceil(cy + halfH));
  const image = createRgbImage(x1 - x0, y1 - y0);
  for (let y = y0; y < y1; y++)
    image.data.set(
      face.data.subarray((y * face.width + x0) * 3, (y * face.width + x1) * 3),
      (y - y0) * image.width * 3,
    );
  const composition = mouthComposition(
    image,
    lips.map(([x, y]) => [x - x0, y - y0]),
  );
  if (composition.teeth + composition.dark < minInterior) {
    console.log(
      `\n${file}: lips parted by ${mouthOpening(lips).toFixed(3)} but teeth ${composition.teeth.toFixed(2)} + cavity ${composition.dark.toFixed(2)}: left out`,
    );
    continue;
  }
  // The light it was taken in, for relighting it on another face (eyeWhite.ts).
  const toPhoto = invertAffine(alignment.toCrop);
  const eyeWhite = eyeWhiteLuma(
    found.photo,
    landmarks.map((p) => applyAffine(toPhoto, p)),
  );
  patches.push({
    id: `frl/${subject}/smile`,
    subject,
    image,
    lips: lips.map(([x, y]) => [x - x0, y - y0]),
    ...(eyeWhite !== undefined ? { eyeWhite } : {}),
  });
  process.stdout.write(`\r${patches.length} mouths from ${file}   `);
}
// Shelf packing into one sprite, 1024 px wide.
const spriteWidth = 1024;
let x = 0;
let y = 0;
let shelf = 0;
const placed: MouthExemplar[] = [];
for (const p of patches) {
  if (x + p.image.width > spriteWidth) {
    x = 0;
    y += shelf;
    shelf = 0;
  }
  placed.push({
    id: p.id,
    subject: p.subject,
    x,
    y,
    width: p.image.width,
    height: p.image.height,
    lips: p.lips,
    ...(p.eyeWhite !== undefined ? { eyeWhite: Math.round(p.eyeWhite * 10) / 10 } : {}),
  });
  x += p.image.width;
  shelf = Math.max(shelf, p.image.height);
}
const sprite = createRgbImage(spriteWidth, y + shelf);
patches.forEach((p, k) => {
  const e = placed[k]!;
  for (let r = 0; r < p.image.height; r++)
    sprite.data.set(
      p.image.data.subarray(r * p.image.width * 3, (r + 1) * p.image.width * 3),
      ((e.y + r) * spriteWidth + e.x) * 3,
    );
});
const made =
  `scripts/build-mouth-bank.ts --zoom ${zoom} --min-opening ${minOpening} --min-interior ${minInterior}` +
  (excluded.size > 0
    ? ` --exclude-fold ${values['exclude-fold']} (left out: ${[...excluded].sort().join(' ')})`
    : '');
await writeMouthBank(
  values.out,
  { zoom, sprite, exemplars: placed },
  'Mouth interiors cut from the Face Research Lab London Set (smiling photos), CC BY 4.0: DeBruine, L. M. & Jones, B. C. (2017). Face Research Lab London Set. figshare. doi:10.6084/m9.figshare.5047666.v5',
  made,
);
nativeZooms.sort((a, b) => a - b);
console.log(
  `\n${placed.length} exemplars of ${files.length - excluded.size} smiles (sprite ${spriteWidth}×${sprite.height}) → ${values.out}; ` +
    `the photos' own zoom: median ${nativeZooms[nativeZooms.length >> 1]!.toFixed(2)}`,
);
