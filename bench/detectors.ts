/**
 * The tiny detector path (the default) against face-api's SSD (`MIMIC_DETECTOR=ssd`) on a set of photos: the faces
 * each finds and which one is the largest, how far the chosen landmarks lie apart (in inter-ocular distances), how
 * steady each is when the photo is shifted and scaled, and the time each takes.
 *
 *   node --import tsx bench/detectors.ts                       # assets/samples, ../shared/samples (all of it),
 *                                                              # ../shared/datasets/frl-london/neutral, group photos
 *   node --import tsx bench/detectors.ts --limit 20 --no-steady DIR …
 *
 * Group photos are composed from ../shared/samples/canada: four laid out by hand (2 to 5 portraits of 120–500 px,
 * on grey) and `--random-groups N` (default 30) placed at random (seeded); plus a grey photo and a 40-px one that
 * hold no face to find.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { detectFaces, type DetectedFace, type FaceDetectorName } from '../src/face/detect.js';
import { interocularDistance, type Landmarks } from '../src/face/landmarks.js';
import { decodeImage } from '../src/image/io.js';
import type { RgbImage } from '../src/image/rgbImage.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    limit: { type: 'string' },
    'no-steady': { type: 'boolean' },
    'random-groups': { type: 'string', default: '30' },
  },
});
const folders =
  positionals.length > 0
    ? positionals
    : ['assets/samples', '../shared/samples', '../shared/datasets/frl-london/neutral'];

function photosIn(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return photosIn(path);
      return /\.(jpe?g|png)$/i.test(name) && !name.includes('.landmarks.') ? [path] : [];
    });
}

async function groupPhotos(): Promise<[string, Buffer][]> {
  const dir = '../shared/samples/canada';
  if (!existsSync(dir)) return [];
  const layouts: [string, number, number, [string, number, number, number][]][] = [
    [
      'group2',
      720,
      600,
      [
        ['019f', 260, 10, 120],
        ['095m', 400, 300, 40],
      ],
    ],
    [
      'group3',
      1200,
      700,
      [
        ['003f', 380, 20, 50],
        ['008f', 300, 450, 150],
        ['020f', 220, 850, 250],
      ],
    ],
    [
      'group4',
      1600,
      1000,
      [
        ['022f', 500, 20, 20],
        ['024f', 300, 600, 100],
        ['010f', 180, 1000, 300],
        ['019f', 120, 1300, 400],
      ],
    ],
    [
      'group5',
      1500,
      450,
      [0, 1, 2, 3, 4].map(
        (k) =>
          [['003f', '008f', '020f', '022f', '024f'][k]!, 280, 300 * k, 20] as [
            string,
            number,
            number,
            number,
          ],
      ),
    ],
  ];
  const groups: [string, Buffer][] = [];
  for (const [name, width, height, faces] of layouts) {
    const composite = await Promise.all(
      faces.map(async ([person, size, left, top]) => ({
        input: await sharp(join(dir, `${person}.jpg`))
          .resize(size)
          .toBuffer(),
        left,
        top,
      })),
    );
    const bytes = await sharp({ create: { width, height, channels: 3, background: '#808080' } })
      .composite(composite)
      .jpeg({ quality: 92 })
      .toBuffer();
    groups.push([name, bytes]);
  }
  // Random groups too (seeded): 2–4 Canada portraits of 120–500 px side by side on photos of 900–1700 × 600–1000 px.
  let seed = 12345;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const people = readdirSync(dir).filter((name) => name.endsWith('.jpg'));
  for (let g = 0; g < Number(values['random-groups']); g++) {
    const width = 900 + Math.floor(random() * 800);
    const height = 600 + Math.floor(random() * 400);
    const count = 2 + Math.floor(random() * 3);
    const slot = width / count;
    const composite: { input: Buffer; left: number; top: number }[] = [];
    for (let k = 0; k < count; k++) {
      const size = Math.floor(Math.min(slot - 10, 120 + random() * 380));
      const person = people[Math.floor(random() * people.length)]!;
      if (Math.round((size * 4) / 3) > height) continue;
      composite.push({
        input: await sharp(join(dir, person)).resize(size).toBuffer(),
        left: Math.floor(k * slot + random() * (slot - size)),
        top: Math.floor(random() * (height - Math.round((size * 4) / 3))),
      });
    }
    const bytes = await sharp({ create: { width, height, channels: 3, background: '#808080' } })
      .composite(composite)
      .jpeg({ quality: 90 })
      .toBuffer();
    groups.push([`random group ${g} (${composite.length} placed)`, bytes]);
  }
  return groups;
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Mean and largest point distance between two sets of landmarks, in inter-ocular distances of `reference`. */
function apart(points: Landmarks, reference: Landmarks): [number, number] {
  const iod = interocularDistance(reference);
  const d = points.map((p, i) => Math.hypot(p[0] - reference[i]![0], p[1] - reference[i]![1]) / iod);
  return [mean(d), Math.max(...d)];
}

const centre = (f: DetectedFace): [number, number] => [
  mean(f.landmarks.map((p) => p[0])),
  mean(f.landmarks.map((p) => p[1])),
];

/** The photo shifted by (13, 7) px on a grey border and scaled by 0.9; maps its points back to the photo. */
async function shiftedAndScaled(photo: RgbImage): Promise<[RgbImage, (p: Landmarks) => Landmarks]> {
  const scale = 0.9;
  const [dx, dy] = [13, 7];
  const width = Math.round(photo.width * scale);
  const height = Math.round(photo.height * scale);
  const bytes = await sharp(photo.data, { raw: { width: photo.width, height: photo.height, channels: 3 } })
    .resize(width, height)
    .extend({ left: dx, top: dy, right: 20, bottom: 20, background: '#808080' })
    .png()
    .toBuffer();
  const sx = photo.width / width;
  const sy = photo.height / height;
  return [
    await decodeImage(bytes),
    (p) => p.map(([x, y]) => [(x - dx) * sx, (y - dy) * sy] as [number, number]),
  ];
}

const DETECTORS: FaceDetectorName[] = ['ssd', 'tiny'];
const all: [string, string | Buffer][] = [
  ...folders.flatMap((f) => photosIn(f)).map((p) => [p, p] as [string, string]),
  ...(await groupPhotos()),
  [
    'grey (no face)',
    await sharp({ create: { width: 300, height: 300, channels: 3, background: '#777' } })
      .png()
      .toBuffer(),
  ],
  ['40 px (too small)', await sharp('assets/samples/canada-019f.jpg').resize(40).png().toBuffer()],
];
const photos = values.limit ? all.slice(0, Number(values.limit)) : all;

// Warm both paths up (model loading, first-run kernel setup) before anything is timed.
const warm = await decodeImage('assets/samples/canada-019f.jpg');
for (const detector of DETECTORS) await detectFaces(warm, { detector });
const tensorsBefore = tf.memory().numTensors;

const times: Record<FaceDetectorName, number[]> = { ssd: [], tiny: [] };
const cpu: Record<FaceDetectorName, number[]> = { ssd: [], tiny: [] };
const steadiness: Record<FaceDetectorName, number[]> = { ssd: [], tiny: [] };
const chosenApart: [number, number][] = [];
const allApart: [number, number][] = [];
const disagreements: string[] = [];
for (const [name, source] of photos) {
  const photo = await decodeImage(source, { maxPixels: 40_000_000 }, name);
  const found = {} as Record<FaceDetectorName, DetectedFace[]>;
  for (const detector of DETECTORS) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    found[detector] = await detectFaces(photo, { detector });
    const used = process.cpuUsage(startCpu);
    times[detector].push(performance.now() - start);
    cpu[detector].push((used.user + used.system) / 1000);
  }
  const [ssd, tiny] = [found.ssd, found.tiny];
  let note = '';
  if (ssd.length !== tiny.length) note += ` FACES DIFFER: ssd ${ssd.length}, tiny ${tiny.length}`;
  for (const [k, face] of ssd.entries()) {
    const [cx, cy] = centre(face);
    const iod = interocularDistance(face.landmarks);
    const match = tiny.findIndex((t) => Math.hypot(centre(t)[0] - cx, centre(t)[1] - cy) < 0.5 * iod);
    if (match < 0) {
      note += ` ssd face ${k} not found by tiny;`;
      continue;
    }
    if (match !== k) note += ` ssd face ${k} is tiny face ${match};`;
    const d = apart(tiny[match]!.landmarks, face.landmarks);
    allApart.push(d);
    if (k === 0) chosenApart.push(d);
  }
  if (note !== '') disagreements.push(`${name}:${note}`);
  if (!values['no-steady'] && ssd.length === 1 && tiny.length === 1) {
    const [moved, back] = await shiftedAndScaled(photo);
    for (const detector of DETECTORS) {
      const again = await detectFaces(moved, { detector });
      if (again.length === 1)
        steadiness[detector].push(apart(back(again[0]!.landmarks), found[detector][0]!.landmarks)[0]);
    }
  }
  const d = chosenApart.at(-1);
  console.log(
    `${name}: ${photo.width}×${photo.height}, faces ssd ${ssd.length} tiny ${tiny.length}` +
      (ssd.length > 0 && tiny.length > 0 && d
        ? `, chosen face's points apart ${d[0].toFixed(4)} mean ${d[1].toFixed(3)} max IOD`
        : '') +
      `; ${times.ssd.at(-1)!.toFixed(0)} ms ssd, ${times.tiny.at(-1)!.toFixed(0)} ms tiny${note}`,
  );
}
console.log(`\n${photos.length} photos; tensors left over: ${tf.memory().numTensors - tensorsBefore}`);
console.log(
  `faces found differently: ${disagreements.length === 0 ? 'none' : `\n  ${disagreements.join('\n  ')}`}`,
);
for (const [label, list] of [
  ['chosen faces', chosenApart],
  ['all matched faces', allApart],
] as const)
  console.log(
    `tiny vs ssd landmarks, ${label} (${list.length}): mean ${mean(list.map((d) => d[0])).toFixed(4)} IOD, ` +
      `worst photo's mean ${Math.max(...list.map((d) => d[0])).toFixed(4)}, worst point ${Math.max(...list.map((d) => d[1])).toFixed(3)}`,
  );
for (const detector of DETECTORS)
  console.log(
    `${detector}: detection + landmarks median ${median(times[detector]).toFixed(0)} ms wall, ${median(cpu[detector]).toFixed(0)} ms CPU` +
      (steadiness[detector].length > 0
        ? `; photo shifted and scaled by 0.9: points move ${mean(steadiness[detector]).toFixed(4)} IOD on average (worst ${Math.max(...steadiness[detector]).toFixed(4)}, ${steadiness[detector].length} photos)`
        : ''),
  );
