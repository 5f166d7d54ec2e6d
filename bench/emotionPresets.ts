/**
 * How often face-api's expression net reads each emotion preset as its label, on photos of people who are not in
 * the training data (default: the 40 neutral faces of ../shared/samples/canada, CC BY 4.0, DeBruine & Jones 2017).
 *
 *   node --import tsx bench/emotionPresets.ts [--photos DIR] [--model DIR] [--intensity 1] [--only smile,sad]
 *                                             [--mix LABEL:AUS …] [--json out.json] [--faces out-dir]
 *
 * --mix scores a candidate action-unit mix instead of the presets (what we did by hand when designing them), e.g.
 * --mix angry:4=1.5,7=1.5,23=1.5 (LABEL: face-api's class, one of happy, sad, angry, fearful, disgusted,
 * surprised); repeatable; with --mix only the mixes run unless --only names presets too.
 *
 * For every photo: `mimic transfer PHOTO --expression P` for each preset at the photo's full resolution (the
 * default paste mode), then face-api (SSD detector + 68 landmarks + expression net + recognition net) on the
 * output photo, exactly as on any photo: the largest face's top expression, and its descriptor's distance to the
 * input's. The input itself is read too (how often a neutral photo already reads as each label).
 *
 * The reader is only an instrument here: nothing in Mimic consults it when making a preset.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { descriptorDistance, SAME_PERSON_DISTANCE } from '../src/eval/faceReadout.js';
import { getFaceApi } from '../src/face/faceApi.js';
import { writeImage } from '../src/image/io.js';
import type { RgbImage } from '../src/image/rgbImage.js';
import { parseActionUnits, type ActionUnits } from '../src/transfer/actionUnits.js';
import { Mimic } from '../src/transfer/mimic.js';
import type { Target } from '../src/transfer/targets.js';
import { writeFileAtomic } from '../src/util/atomic.js';

/** Emotion presets and face-api's class for each; contempt has none (face-api has no contempt class). */
const EMOTIONS: [preset: string, label: string | undefined][] = [
  ['smile', 'happy'],
  ['surprise', 'surprised'],
  ['sad', 'sad'],
  ['angry', 'angry'],
  ['fear', 'fearful'],
  ['disgust', 'disgusted'],
  ['contempt', undefined],
];
/** The issues' goals (issue 12: happy ≥ 85 %; issue 16: surprise ≥ 70 %, sad/angry/fear/disgust ≥ 40 %). */
const GOALS: Record<string, number> = {
  happy: 85,
  surprised: 70,
  sad: 40,
  angry: 40,
  fearful: 40,
  disgusted: 40,
};

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '../shared/samples/canada' },
    model: { type: 'string' },
    intensity: { type: 'string', default: '1' },
    only: { type: 'string' },
    json: { type: 'string' },
    faces: { type: 'string' },
    mix: { type: 'string', multiple: true },
  },
});
const intensity = Number(values.intensity);
const mixes = (values.mix ?? []).map((text): [string, string, ActionUnits] => {
  const [label, units] = text.split(':');
  if (!label || !units || !Object.hasOwn(GOALS, label))
    throw new Error(`--mix ${text}: expected LABEL:AUS, LABEL one of ${Object.keys(GOALS).join(', ')}`);
  return [`mix ${units}`, label, Object.fromEntries(parseActionUnits(units))];
});
const presetRows: [string, string | undefined][] = values.only
  ? EMOTIONS.filter(([p]) => values.only!.split(',').includes(p))
  : mixes.length > 0
    ? []
    : EMOTIONS;
const emotions: [string, string | undefined][] = [
  ...presetRows,
  ...mixes.map(([name, label]): [string, string] => [name, label]),
];
const targetOf = (name: string): Target => {
  const mix = mixes.find(([n]) => n === name);
  return mix ? { own: true, au: mix[2] } : { expression: name, intensity };
};

interface Reading {
  expression: string;
  descriptor: Float32Array;
}

async function read(image: RgbImage): Promise<Reading | undefined> {
  const faceapi = await getFaceApi(['detector', 'landmarks', 'expression', 'recognition']);
  const input = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  try {
    const faces = await faceapi
      .detectAllFaces(input as unknown as Parameters<typeof faceapi.detectAllFaces>[0])
      .withFaceLandmarks()
      .withFaceExpressions()
      .withFaceDescriptors();
    if (faces.length === 0) return undefined;
    const largest = faces.reduce((a, b) => (b.detection.box.area > a.detection.box.area ? b : a));
    return { expression: largest.expressions.asSortedArray()[0]!.expression, descriptor: largest.descriptor };
  } finally {
    input.dispose();
  }
}

const files = (await readdir(values.photos!)).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
const mimic = await Mimic.load(values.model);
const tally = new Map<string, { counts: Map<string, number>; distances: number[]; missed: number }>();
for (const name of ['input', ...emotions.map(([p]) => p)])
  tally.set(name, { counts: new Map(), distances: [], missed: 0 });
const started = Date.now();
let tensorsAtStart = -1; // counted after the first photo, once face-api has loaded its weights
for (const [k, file] of files.entries()) {
  const path = join(values.photos!, file);
  const prepared = await mimic.prepare(path);
  const own = await read(prepared.photo);
  const count = (name: string, reading: Reading | undefined): void => {
    const t = tally.get(name)!;
    if (!reading) return void t.missed++;
    t.counts.set(reading.expression, (t.counts.get(reading.expression) ?? 0) + 1);
    if (own && name !== 'input') t.distances.push(descriptorDistance(own.descriptor, reading.descriptor));
  };
  count('input', own);
  for (const [preset] of emotions) {
    const { photo } = await mimic.transfer(prepared.photo, targetOf(preset));
    count(preset, await read(photo));
    if (values.faces)
      await writeImage(join(values.faces, `${file.replace(/\.\w+$/, '')}-${preset}.jpg`), photo);
  }
  if (k === 0) tensorsAtStart = tf.memory().numTensors;
  process.stderr.write(`\r${k + 1}/${files.length} photos, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
process.stderr.write('\n');

const n = files.length;
const pct = (x: number): string => `${Math.round((100 * x) / n)} %`;
const lines = [
  `${n} photos of ${values.photos}, intensity ${intensity}, face-api on the output photo:`,
  '',
  '| preset | face-api label | read as its label | goal | input read as that label | most frequent readings | ID distance mean / max (< 0.45) |',
  '|---|---|---:|---:|---:|---|---|',
];
const report: Record<string, unknown> = {};
for (const [preset, label] of emotions) {
  const t = tally.get(preset)!;
  const hits = label ? (t.counts.get(label) ?? 0) : 0;
  const inputHits = label ? (tally.get('input')!.counts.get(label) ?? 0) : 0;
  const top = [...t.counts].sort((a, b) => b[1] - a[1]).slice(0, 3);
  const d = t.distances;
  const meanD = d.reduce((s, v) => s + v, 0) / Math.max(1, d.length);
  const maxD = Math.max(...d);
  lines.push(
    `| ${preset} | ${label ?? '(none)'} | ${label ? pct(hits) : '—'} | ${label ? `${GOALS[label]} %` : '—'} | ${label ? pct(inputHits) : '—'} | ${top.map(([e, c]) => `${e} ${c}`).join(', ')}${t.missed ? `, no face ${t.missed}` : ''} | ${meanD.toFixed(3)} / ${maxD.toFixed(3)} (${d.filter((v) => v < SAME_PERSON_DISTANCE).length}/${d.length}) |`,
  );
  report[preset] = { label, hits, n, readings: Object.fromEntries(t.counts), missed: t.missed, distances: d };
}
const inputCounts = [...tally.get('input')!.counts].sort((a, b) => b[1] - a[1]);
lines.push('', `inputs read as: ${inputCounts.map(([e, c]) => `${e} ${c}`).join(', ')}`);
lines.push(
  `${((Date.now() - started) / 1000).toFixed(0)} s; tensors after the first photo ${tensorsAtStart}, after the last ${tf.memory().numTensors}`,
);
console.log(lines.join('\n'));
if (values.json)
  await writeFileAtomic(
    values.json,
    JSON.stringify({ intensity, photos: values.photos, report }, null, 1) + '\n',
  );
