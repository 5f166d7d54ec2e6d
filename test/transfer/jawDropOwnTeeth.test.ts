/**
 * A photo that already shows its teeth, given a dropped jaw (surprise), end to end on the shipped model: the open
 * mouth is a dark cavity under the upper teeth, not the photo's own teeth stretched into gray vertical stripes
 * (the bundled astronaut sample, found by a new-user trial).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR, Mimic } from '../../src/index.js';
import { decodeImage } from '../../src/image/io.js';
import { MODEL_MANIFEST } from '../../src/model/manifest.js';
import { sample } from '../helpers/paths.js';

const MODEL = process.env.MIMIC_TEST_MODEL ?? DEFAULT_MODEL_DIR;
const skip = existsSync(join(MODEL, MODEL_MANIFEST)) ? false : `no model at ${MODEL}`;

test(
  'own teeth and a dropped jaw: a dark cavity below the upper teeth, no stretched-teeth stripes',
  { skip },
  async () => {
    const m = await Mimic.load(MODEL);
    const photo = await decodeImage(sample('astronaut.png'));
    const { photo: out, input, target } = await m.transfer(photo, { expression: 'surprise' });
    const size = 400;
    const face = m.faceView(out, input.toCrop, size);
    const at = (i: number): [number, number] => [
      (target[2 * i]! + 1) * 0.5 * size,
      (target[2 * i + 1]! + 1) * 0.5 * size,
    ];
    // The lower half of the opening (between the inner lips' middle and the lower inner lip), across its middle half.
    const [, top] = at(62);
    const [, bottom] = at(66);
    const [left] = at(60);
    const [right] = at(64);
    const columns: number[] = [];
    for (
      let x = Math.round(left + 0.25 * (right - left));
      x <= Math.round(right - 0.25 * (right - left));
      x++
    ) {
      let sum = 0;
      let n = 0;
      for (
        let y = Math.round(top + 0.55 * (bottom - top));
        y <= Math.round(top + 0.85 * (bottom - top));
        y++
      ) {
        const o = (y * size + x) * 3;
        sum += 0.299 * face.data[o]! + 0.587 * face.data[o + 1]! + 0.114 * face.data[o + 2]!;
        n++;
      }
      columns.push(sum / n);
    }
    const mean = columns.reduce((s, v) => s + v, 0) / columns.length;
    const stripes = Math.max(...columns.slice(1).map((v, k) => Math.abs(v - columns[k]!)));
    assert.ok(mean < 70, `the cavity is dark: mean luma ${mean.toFixed(1)}`);
    assert.ok(stripes < 12, `no stripes across it: the largest step between columns ${stripes.toFixed(1)}`);
  },
);
