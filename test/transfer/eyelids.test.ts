/**
 * Closed eyelids end to end (src/face/eyelidInterior.ts through the warp paste), on the shipped model: a blink
 * shows lid skin across the eye, and a grayscale photo stays gray.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR, Mimic } from '../../src/index.js';
import { decodeImage } from '../../src/image/io.js';
import type { RgbImage } from '../../src/image/rgbImage.js';
import { MODEL_MANIFEST } from '../../src/model/manifest.js';
import { sample } from '../helpers/paths.js';

const MODEL = process.env.MIMIC_TEST_MODEL ?? DEFAULT_MODEL_DIR;
const skip = existsSync(join(MODEL, MODEL_MANIFEST)) ? false : `no model at ${MODEL}`;

function toGray(colour: RgbImage): RgbImage {
  const data = Uint8Array.from(colour.data);
  for (let o = 0; o < data.length; o += 3) {
    const y = Math.round(0.299 * data[o]! + 0.587 * data[o + 1]! + 0.114 * data[o + 2]!);
    data[o] = data[o + 1] = data[o + 2] = y;
  }
  return { width: colour.width, height: colour.height, data };
}

const lumaAt = (image: RgbImage, x: number, y: number): number => {
  const o = (Math.round(y) * image.width + Math.round(x)) * 3;
  return 0.299 * image.data[o]! + 0.587 * image.data[o + 1]! + 0.114 * image.data[o + 2]!;
};

test(
  'a blink closes the eyes with lid skin, not a dark squashed eye; gray in, gray out',
  { skip },
  async () => {
    const m = await Mimic.load(MODEL);
    const colour = await decodeImage(sample('canada-019f.jpg'));
    for (const photo of [colour, toGray(colour)]) {
      const { photo: out, input, target } = await m.transfer(photo, { expression: 'blink' });
      const size = 320;
      const face = m.faceView(out, input.toCrop, size);
      const at = (i: number): [number, number] => [
        (target[2 * i]! + 1) * 0.5 * size,
        (target[2 * i + 1]! + 1) * 0.5 * size,
      ];
      for (const [corner, other] of [
        [36, 39],
        [42, 45],
      ] as const) {
        const [ax, ay] = at(corner);
        const [bx, by] = at(other);
        const width = bx - ax;
        // The closed eye, across its middle third, from the lids down to where the photo's lower lid was: skin-light,
        // apart from the thin lash line; the plain warp left the iris there.
        const values: number[] = [];
        for (let k = 0; k <= 6; k++) {
          const x = ax + width * (1 / 3 + k / 18);
          const y = ay + ((by - ay) * (x - ax)) / width;
          for (let dy = -0.06; dy <= 0.1; dy += 0.02) values.push(lumaAt(face, x, y + dy * width));
        }
        values.sort((a, b) => a - b);
        const median = values[values.length >> 1]!;
        const [cx, cy] = at(corner === 36 ? 19 : 24);
        const skin = lumaAt(face, cx, (cy + ay) / 2 + 0.1 * width);
        assert.ok(
          median > 0.8 * skin,
          `eye ${corner}: median luma ${median.toFixed(0)}, lid skin ${skin.toFixed(0)}`,
        );
      }
      // The skin between the brow and the eye stays where it was: the lid slides out from under it (lidWarpTarget);
      // dragged down with the lid landmarks it bent the photo's lash line and crease into hooks at the corners
      // (12.3 grey levels here then). Under 6: this photo measures 3.1 and 2.6 with the SSD's landmarks, 4.0 and 5.0
      // with the tiny detector's (its eye points 3 px higher, nearer the brow); over 20 Canada photos the two measure
      // alike (mean 3.3 and 3.5, 12 of 40 eyes above 4 with each).
      const before = m.faceView(photo, input.toCrop, size);
      const own = (i: number): [number, number] => [
        (input.landmarks[2 * i]! + 1) * 0.5 * size,
        (input.landmarks[2 * i + 1]! + 1) * 0.5 * size,
      ];
      for (const [corner, other, upper] of [
        [36, 39, 37],
        [42, 45, 44],
      ] as const) {
        const width = own(other)[0] - own(corner)[0];
        let moved = 0;
        let n = 0;
        for (let k = 0; k <= 6; k++) {
          const x = own(corner)[0] + width * (1 / 4 + k / 12);
          for (let dy = 0.3; dy <= 0.45; dy += 0.05) {
            const y = own(upper)[1] - dy * width;
            moved += Math.abs(lumaAt(face, x, y) - lumaAt(before, x, y));
            n++;
          }
        }
        assert.ok(
          moved / n < 6,
          `eye ${corner}: the skin above it changed by ${(moved / n).toFixed(1)} grey levels`,
        );
      }
      if (photo !== colour) {
        let worst = 0;
        for (let o = 0; o < out.data.length; o += 3)
          worst = Math.max(
            worst,
            Math.abs(out.data[o]! - out.data[o + 1]!),
            Math.abs(out.data[o + 1]! - out.data[o + 2]!),
          );
        assert.ok(worst <= 2, `largest channel difference ${worst}`);
      }
    }
  },
);
