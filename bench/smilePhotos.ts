/**
 * `--expression smile` on a folder of photos of people not in the training data, read by face-api (an
 * instrument only: nothing in Mimic looks at it). For each photo: the expression face-api's expression net reads
 * on the input and on the output (both whole photos through face-api's own detector), and the identity distance
 * (face recognition descriptors) between input and output. Prints one line per photo and the totals.
 *
 *   node --import tsx bench/smilePhotos.ts                                  # ../shared/samples/canada, intensity 1
 *   node --import tsx bench/smilePhotos.ts --intensity 1.5 --compare        # --mouth auto, bank and none
 *   … --like-dir ../shared/datasets/frl-london/smiling                      # photo k like driver k instead
 *   … --out DIR                                                             # input | output face crops as PNGs
 *   … --edit mouthOpen=2,mouthCorners=2                                     # hand edits on top of the preset
 *   … --no-ratio                                                            # without the preset's ratio image
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { affineScale } from '../src/geometry/affine.js';
import { getFaceApi } from '../src/face/faceApi.js';
import { decodeImage, writeImage } from '../src/image/io.js';
import type { RgbImage } from '../src/image/rgbImage.js';
import { Mimic, type MouthSourceChoice } from '../src/transfer/mimic.js';
import type { Target } from '../src/transfer/targets.js';
import { parseEdits } from '../src/transfer/edits.js';
import { descriptorDistance, SAME_PERSON_DISTANCE } from '../src/eval/faceReadout.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: '../shared/samples/canada' },
    model: { type: 'string' },
    intensity: { type: 'string', default: '1' },
    compare: { type: 'boolean' },
    out: { type: 'string' },
    edit: { type: 'string' },
    'like-dir': { type: 'string' },
    'no-ratio': { type: 'boolean' },
  },
});
const edits = values.edit ? parseEdits(values.edit) : undefined;
const intensity = Number(values.intensity);

interface Reading {
  expression: string;
  happy: number;
  descriptor: Float32Array;
}

/** face-api on a whole photo: its detector, then the expression and recognition nets on the largest face. */
async function read(photo: RgbImage): Promise<Reading | undefined> {
  const faceapi = await getFaceApi(['detector', 'landmarks', 'recognition', 'expression']);
  const input = tf.tensor3d(photo.data, [photo.height, photo.width, 3], 'int32');
  try {
    const found = await faceapi
      .detectSingleFace(input as unknown as Parameters<typeof faceapi.detectSingleFace>[0])
      .withFaceLandmarks()
      .withFaceExpressions()
      .withFaceDescriptor();
    if (!found) return undefined;
    return {
      expression: found.expressions.asSortedArray()[0]!.expression,
      happy: found.expressions.happy,
      descriptor: found.descriptor,
    };
  } finally {
    input.dispose();
  }
}

const files = (await readdir(values.dir!)).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
const m = await Mimic.load(values.model);
const drivers = values['like-dir']
  ? (await readdir(values['like-dir'])).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort()
  : [];
// Without --like-dir, "auto" is the bank: compare bank and none only.
const variants: MouthSourceChoice[] = !values.compare
  ? ['auto']
  : drivers.length
    ? ['auto', 'bank', 'none']
    : ['bank', 'none'];

/**
 * Sharpness kept where the face changed: mean |Laplacian| of the output's luma over the pixels whose luma changed
 * by more than 6 levels, divided by the input's over the same pixels (both on the face at the photo's own scale).
 * Under 1: the changed region came out blurrier than the photo was there.
 */
function sharpnessRatio(before: RgbImage, after: RgbImage): number | undefined {
  const { width, height } = before;
  const luma = (im: RgbImage, i: number): number =>
    0.299 * im.data[3 * i]! + 0.587 * im.data[3 * i + 1]! + 0.114 * im.data[3 * i + 2]!;
  const laplacian = (im: RgbImage, x: number, y: number): number =>
    Math.abs(
      4 * luma(im, y * width + x) -
        luma(im, y * width + x - 1) -
        luma(im, y * width + x + 1) -
        luma(im, (y - 1) * width + x) -
        luma(im, (y + 1) * width + x),
    );
  let a = 0;
  let b = 0;
  for (let y = 1; y < height - 1; y++)
    for (let x = 1; x < width - 1; x++) {
      if (Math.abs(luma(after, y * width + x) - luma(before, y * width + x)) <= 6) continue;
      a += laplacian(after, x, y);
      b += laplacian(before, x, y);
    }
  return b > 0 ? a / b : undefined;
}

const totals = variants.map(() => ({
  happy: 0,
  distances: [] as number[],
  read: 0,
  sharpness: [] as number[],
}));
let inputHappy = 0;
const started = performance.now();
for (const [k, file] of files.entries()) {
  const path = join(values.dir!, file);
  // --like-dir: photo k takes the expression of driver k (cycling), else the smile preset
  const target: Target = drivers.length
    ? { like: join(values['like-dir']!, drivers[k % drivers.length]!), ...(edits ? { edits } : {}) }
    : { expression: 'smile', intensity, ...(edits ? { edits } : {}) };
  const photo = await decodeImage(path);
  const before = await read(photo);
  if (before?.expression === 'happy') inputHappy++;
  const cells: string[] = [];
  for (let v = 0; v < variants.length; v++) {
    const result = await m.transfer(photo, target, {
      mouth: variants[v]!,
      noRatio: values['no-ratio'] ?? false,
    });
    const after = await read(result.photo);
    if (!after || !before) {
      cells.push('no face read');
      continue;
    }
    const distance = descriptorDistance(before.descriptor, after.descriptor);
    totals[v]!.read++;
    totals[v]!.distances.push(distance);
    if (after.expression === 'happy') totals[v]!.happy++;
    const faceSize = Math.round(m.alignment.size / affineScale(result.input.toCrop));
    const sharpness = sharpnessRatio(
      m.faceView(photo, result.input.toCrop, faceSize),
      m.faceView(result.photo, result.input.toCrop, faceSize),
    );
    if (sharpness !== undefined) totals[v]!.sharpness.push(sharpness);
    cells.push(
      `${after.expression} (happy ${after.happy.toFixed(2)}), id ${distance.toFixed(3)}, sharpness ${sharpness?.toFixed(2) ?? '—'}`,
    );
    if (values.out && v === 0) {
      const size = 256;
      const a = m.faceView(photo, result.input.toCrop, size);
      const b = m.faceView(result.photo, result.input.toCrop, size);
      const pair: RgbImage = { width: 2 * size, height: size, data: new Uint8Array(2 * size * size * 3) };
      for (let y = 0; y < size; y++) {
        pair.data.set(a.data.subarray(y * size * 3, (y + 1) * size * 3), y * 2 * size * 3);
        pair.data.set(b.data.subarray(y * size * 3, (y + 1) * size * 3), (y * 2 + 1) * size * 3);
      }
      await writeImage(join(values.out, file.replace(/\.\w+$/, '.png')), pair);
    }
  }
  console.log(`${file}: input ${before?.expression ?? 'no face'} | ${cells.join(' | ')}`);
}
console.log(
  `\n${files.length} photos, ${drivers.length ? `each like a photo of ${values['like-dir']}` : `smile at intensity ${intensity}`}${values.edit ? ` with --edit ${values.edit}` : ''}, ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
console.log(`inputs read happy: ${inputHappy} / ${files.length}`);
variants.forEach((name, v) => {
  const t = totals[v]!;
  const d = t.distances;
  console.log(
    `mouth ${name}: happy ${t.happy} / ${files.length} (${((100 * t.happy) / files.length).toFixed(0)} %); identity distance ` +
      `mean ${(d.reduce((s, x) => s + x, 0) / Math.max(d.length, 1)).toFixed(3)}, max ${Math.max(...d).toFixed(3)}, ` +
      `${d.filter((x) => x < SAME_PERSON_DISTANCE).length} / ${d.length} under ${SAME_PERSON_DISTANCE}; ` +
      `sharpness of the changed region vs the input there: median ${median(t.sharpness)?.toFixed(2) ?? '—'}`,
  );
});

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
