/**
 * The mouth interior (src/face/mouthInterior.ts) and the photo's palette (src/image/palette.ts): on
 * synthetic mouths where the right answer is known, and on the shipped model with a grayscale photo.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR, Mimic } from '../../src/index.js';
import { decodeImage } from '../../src/image/io.js';
import { createRgbImage, type RgbImage } from '../../src/image/rgbImage.js';
import type { Point } from '../../src/geometry/affine.js';
import { MODEL_MANIFEST } from '../../src/model/manifest.js';
import { MOUTH_BANK_FILE } from '../../src/face/mouthBankFile.js';
import {
  chooseExemplar,
  exemplarSource,
  interiorStrength,
  mouthComposition,
  mouthOpening,
  paintMouthInterior,
  photoShowsInterior,
  roundOpening,
  type Lips,
  type MouthBank,
} from '../../src/face/mouthInterior.js';
import { sample } from '../helpers/paths.js';
import { eyeWhiteLuma } from '../../src/face/eyeWhite.js';

/** Lips (landmarks 48–67) of a mouth centred at (cx, cy), `width` wide, inner lips `gap` apart. */
function lips(cx: number, cy: number, width: number, gap: number): Lips {
  const h = width / 2;
  const outer: Point[] = [
    [cx - h, cy],
    [cx - h * 0.6, cy - gap / 2 - 6],
    [cx - h * 0.2, cy - gap / 2 - 8],
    [cx, cy - gap / 2 - 7],
    [cx + h * 0.2, cy - gap / 2 - 8],
    [cx + h * 0.6, cy - gap / 2 - 6],
    [cx + h, cy],
    [cx + h * 0.6, cy + gap / 2 + 8],
    [cx + h * 0.2, cy + gap / 2 + 10],
    [cx, cy + gap / 2 + 10],
    [cx - h * 0.2, cy + gap / 2 + 10],
    [cx - h * 0.6, cy + gap / 2 + 8],
  ];
  const inner: Point[] = [
    [cx - h * 0.85, cy],
    [cx - h * 0.4, cy - gap / 2],
    [cx, cy - gap / 2],
    [cx + h * 0.4, cy - gap / 2],
    [cx + h * 0.85, cy],
    [cx + h * 0.4, cy + gap / 2],
    [cx, cy + gap / 2],
    [cx - h * 0.4, cy + gap / 2],
  ];
  return [...outer, ...inner];
}

function filled(width: number, height: number, rgb: [number, number, number]): RgbImage {
  const image = createRgbImage(width, height);
  for (let i = 0; i < width * height; i++) image.data.set(rgb, 3 * i);
  return image;
}

/** A source mouth: pink skin, white teeth filling its (wide open) inner lips. */
function teethSource(): { image: RgbImage; lips: Lips } {
  const mouth = lips(100, 60, 120, 30);
  const image = filled(200, 120, [200, 150, 130]);
  const empty = filled(200, 120, [0, 0, 0]);
  const inside = mouthComposition(empty, mouth); // only to reuse the polygon test below: count pixels
  assert.ok(inside.pixels > 0);
  for (let y = 0; y < 120; y++)
    for (let x = 0; x < 200; x++)
      if (Math.abs(y + 0.5 - 60) < 14 && Math.abs(x + 0.5 - 100) < 45)
        image.data.set([245, 240, 230], (y * 200 + x) * 3);
  return { image, lips: mouth };
}

const maxChannelDifference = (image: RgbImage): number => {
  let worst = 0;
  for (let o = 0; o < image.data.length; o += 3) {
    const [r, g, b] = [image.data[o]!, image.data[o + 1]!, image.data[o + 2]!];
    worst = Math.max(worst, Math.abs(r - g), Math.abs(g - b), Math.abs(r - b));
  }
  return worst;
};

test('mouthOpening: 0 for a closed mouth, the gap over the width for parted lips; an open photo keeps its own teeth', () => {
  assert.equal(mouthOpening(lips(50, 50, 40, 0)), 0);
  assert.ok(Math.abs(mouthOpening(lips(50, 50, 40, 8)) - 0.2) < 1e-9);
  assert.equal(interiorStrength(lips(50, 50, 40, 0), lips(50, 50, 40, 0)), 0, 'closed stays closed');
  assert.equal(interiorStrength(lips(50, 50, 40, 0), lips(50, 50, 40, 8)), 1, 'clearly parted: full');
  assert.equal(
    interiorStrength(lips(50, 50, 40, 8), lips(50, 50, 40, 8)),
    0,
    'already open: the warp has it',
  );
  // Parted lips already show their own teeth: smiled further (to 1.6× the opening), the warp stretches them and
  // nothing is painted over them; from closed lips the same target is painted; opened far wider, painted too.
  assert.equal(interiorStrength(lips(50, 50, 40, 5), lips(50, 50, 40, 8), true), 0, 'own teeth stretched');
  assert.equal(interiorStrength(lips(50, 50, 40, 0), lips(50, 50, 40, 8), true), 1);
  assert.equal(
    interiorStrength(lips(50, 50, 40, 5), lips(50, 50, 40, 16), true),
    1,
    'far wider than its own',
  );
  // Closed full lips the landmark net puts a little apart (nothing but lips between them) are not an open mouth.
  assert.ok(
    interiorStrength(lips(50, 50, 40, 5), lips(50, 50, 40, 12)) > 0.99,
    'lips, not teeth, between them',
  );
});

test('photoShowsInterior: teeth between the lips count as an open mouth, lips do not', () => {
  const mouth = lips(60, 50, 60, 12);
  const closed = filled(120, 100, [200, 150, 130]); // skin-coloured all over: lips between the inner lip lines
  assert.equal(photoShowsInterior(closed, mouth), false);
  const open = paintMouthInterior(closed, mouth, teethSource(), { strength: 1, feather: 1 });
  assert.equal(photoShowsInterior(open, mouth), true);
});

test('paintMouthInterior: teeth appear inside the target opening, relit, and nothing changes outside it', () => {
  const source = teethSource();
  const target = lips(60, 50, 60, 12);
  const photo = filled(120, 100, [120, 90, 80]); // darker skin than the source's
  const painted = paintMouthInterior(photo, target, source, { strength: 1, feather: 1 });
  const at = (x: number, y: number): number[] => [
    ...painted.data.subarray((y * 120 + x) * 3, (y * 120 + x) * 3 + 3),
  ];
  const centre = at(60, 50);
  assert.ok(centre[0]! > 140 && centre[1]! > 140, `teeth in the middle of the opening: ${centre}`);
  assert.ok(centre[0]! < 230, `relit to the darker photo, not pasted as they were: ${centre}`);
  assert.deepEqual(at(60, 30), [120, 90, 80], 'above the lips: untouched');
  assert.deepEqual(at(10, 50), [120, 90, 80], 'beside the mouth: untouched');
  const composition = mouthComposition(painted, target);
  assert.ok(composition.teeth > 0.5, `teeth fraction ${composition.teeth}`);
  assert.equal(mouthComposition(photo, target).teeth, 0, 'the unpainted skin has no teeth');
});

test('paintMouthInterior: a gray photo gets a gray mouth from a colour exemplar', () => {
  const photo = filled(120, 100, [110, 110, 110]);
  const painted = paintMouthInterior(photo, lips(60, 50, 60, 12), teethSource(), { strength: 1, feather: 1 });
  assert.equal(maxChannelDifference(painted), 0);
  assert.notDeepEqual(painted.data, photo.data, 'it did paint something');
});

/** Luma of the middle of the painted opening (60, 50) of lips(60, 50, 60, 12). */
function teethLuma(image: RgbImage): number {
  const o = (50 * image.width + 60) * 3;
  return 0.299 * image.data[o]! + 0.587 * image.data[o + 1]! + 0.114 * image.data[o + 2]!;
}

test('paintMouthInterior: teeth follow the light (the eye whites), not the skin tone', () => {
  const source = { ...teethSource(), eyeWhite: 200 };
  const target = lips(60, 50, 60, 12);
  const darkSkin = filled(120, 100, [70, 50, 40]); // skin luma 55 against the source's 163
  const options = { strength: 1, feather: 1 };
  const bySkin = teethLuma(paintMouthInterior(darkSkin, target, source, options));
  const sameLight = teethLuma(paintMouthInterior(darkSkin, target, source, { ...options, eyeWhite: 200 }));
  const dimLight = teethLuma(paintMouthInterior(darkSkin, target, source, { ...options, eyeWhite: 120 }));
  // Dark skin in the exemplar's light: the teeth as bright as the exemplar's (240), not dimmed to a third by the
  // skin's own tone; in 60 % of the light, 60 % of it; without a measurement of the eyes, the skin's ratio.
  assert.ok(Math.abs(sameLight - 240) < 3, `same light: ${sameLight.toFixed(1)}`);
  assert.ok(Math.abs(dimLight - 0.6 * 240) < 3, `dimmer light: ${dimLight.toFixed(1)}`);
  assert.ok(bySkin < 0.5 * sameLight, `skin ratio alone: ${bySkin.toFixed(1)}`);
  // Eyes darker than the skin says (in shadow) do not darken the teeth below the skin's estimate.
  const shadowedEyes = teethLuma(paintMouthInterior(darkSkin, target, source, { ...options, eyeWhite: 20 }));
  assert.equal(shadowedEyes, bySkin);
});

test('paintMouthInterior: gums take the skin’s light, teeth the eyes’: no pale band over dark skin’s teeth', () => {
  // the exemplar's upper third of the opening is pink gum, the rest white teeth
  const source = { ...teethSource(), eyeWhite: 200 };
  for (let y = 44; y < 56; y++)
    for (let x = 55; x < 145; x++) source.image.data.set([215, 120, 125], (y * 200 + x) * 3);
  const target = lips(60, 50, 60, 12);
  const darkSkin = filled(120, 100, [70, 50, 40]);
  const painted = paintMouthInterior(darkSkin, target, source, { strength: 1, feather: 1, eyeWhite: 200 });
  const lumaAt = (x: number, y: number): number => {
    const o = (y * painted.width + x) * 3;
    return 0.299 * painted.data[o]! + 0.587 * painted.data[o + 1]! + 0.114 * painted.data[o + 2]!;
  };
  const gumLuma = 0.299 * 215 + 0.587 * 120 + 0.114 * 125;
  assert.ok(Math.abs(lumaAt(60, 53) - 240) < 6, `teeth in the eyes' light: ${lumaAt(60, 53).toFixed(1)}`);
  assert.ok(lumaAt(60, 45) < 0.6 * gumLuma, `gums darkened with the skin: ${lumaAt(60, 45).toFixed(1)}`);
});

test('eyeWhiteLuma: the bright part of the eyes, none for closed ones', () => {
  // Two 40×14 eyes, each a dark iris (luma 40) with sclera (luma 220) on both sides, on skin of luma 120.
  const image = filled(200, 100, [120, 120, 120]);
  const eye = (cx: number): Point[] => [
    [cx - 20, 40],
    [cx - 10, 33],
    [cx + 10, 33],
    [cx + 20, 40],
    [cx + 10, 47],
    [cx - 10, 47],
  ];
  const landmarks: Point[] = Array.from({ length: 68 }, () => [0, 0] as Point);
  eye(60).forEach((p, i) => (landmarks[36 + i] = p));
  eye(140).forEach((p, i) => (landmarks[42 + i] = p));
  for (let y = 30; y < 50; y++)
    for (let x = 0; x < 200; x++) {
      const dx = Math.min(Math.abs(x + 0.5 - 60), Math.abs(x + 0.5 - 140));
      if (dx < 22) image.data.set(dx < 7 ? [40, 40, 40] : [220, 220, 220], (y * 200 + x) * 3);
    }
  assert.equal(eyeWhiteLuma(image, landmarks), 220);
  const closed = landmarks.map(([x, y], k): Point => (k >= 36 && k < 48 ? [x, 40] : [x, y]));
  assert.equal(eyeWhiteLuma(image, closed), undefined);
});

test('chooseExemplar: the exemplar whose inner lips are shaped like the target', () => {
  const make = (id: string, gap: number) => ({
    id,
    subject: id,
    x: 0,
    y: 0,
    width: 1,
    height: 1,
    lips: lips(50, 50, 40, gap),
  });
  const bank: MouthBank = {
    zoom: 1,
    sprite: createRgbImage(1, 1),
    exemplars: [make('narrow', 3), make('wide', 12)],
  };
  assert.equal(
    chooseExemplar(bank, lips(200, 120, 80, 22))?.id,
    'wide',
    'size and place do not matter, shape does',
  );
  assert.equal(chooseExemplar(bank, lips(200, 120, 80, 7))?.id, 'narrow');
});

test('bank exemplars are levelled to the bank’s usual teeth brightness: dull teeth brightened, bright ones toned down', () => {
  // Three exemplars side by side in one sprite, the same mouth with teeth of luma 240, 200 and 150.
  const teethShades = [240, 200, 150];
  const sprite = createRgbImage(600, 120);
  teethShades.forEach((shade, k) => {
    const source = teethSource();
    for (let o = 0; o < source.image.data.length; o += 3)
      if (source.image.data[o] === 245) source.image.data.set([shade, shade, shade], o);
    for (let y = 0; y < 120; y++)
      sprite.data.set(source.image.data.subarray(y * 600, (y + 1) * 600), (y * 600 + k * 200) * 3);
  });
  const mouth = lips(100, 60, 120, 30);
  const bank: MouthBank = {
    zoom: 1,
    sprite,
    exemplars: teethShades.map((shade, k) => ({
      id: `teeth-${shade}`,
      subject: String(k),
      x: k * 200,
      y: 0,
      width: 200,
      height: 120,
      lips: mouth,
    })),
  };
  const photo = filled(120, 100, [200, 150, 130]); // the exemplars' own skin: the light's gain is 1
  const painted = bank.exemplars.map((e) =>
    teethLuma(
      paintMouthInterior(photo, lips(60, 50, 60, 12), exemplarSource(bank, e), { strength: 1, feather: 1 }),
    ),
  );
  // 240 → 204 (at most 15 % darker), 200 stays, 150 → 200: a spread of 90 grey levels becomes a few.
  assert.ok(
    Math.abs(painted[1]! - 200) < 3,
    `the median exemplar keeps its teeth: ${painted[1]!.toFixed(1)}`,
  );
  assert.ok(
    Math.max(...painted) - Math.min(...painted) < 10,
    `teeth ${painted.map((v) => v.toFixed(0)).join(', ')} after levelling`,
  );
});

test('bank teeth take the same light whichever exemplar the mouth picks: a dark-skinned one does not make them glow', () => {
  // Two exemplars of one studio light (eye whites 200), the same teeth, one on light skin and one on dark skin.
  const skins: [number, number, number][] = [
    [200, 150, 130],
    [70, 50, 40],
  ];
  const sprite = createRgbImage(400, 120);
  skins.forEach((skin, k) => {
    const source = teethSource();
    for (let o = 0; o < source.image.data.length; o += 3)
      if (source.image.data[o] === 200) source.image.data.set(skin, o);
    for (let y = 0; y < 120; y++)
      sprite.data.set(source.image.data.subarray(y * 600, (y + 1) * 600), (y * 400 + k * 200) * 3);
  });
  const bank: MouthBank = {
    zoom: 1,
    sprite,
    exemplars: skins.map((_, k) => ({
      id: `skin-${k}`,
      subject: String(k),
      x: k * 200,
      y: 0,
      width: 200,
      height: 120,
      lips: lips(100, 60, 120, 30),
      eyeWhite: 200,
    })),
  };
  // A light-skinned face in dim light: its skin as dark as the dark exemplar's, its eye whites at 40 % of the studio's.
  const dimPhoto = filled(120, 100, [80, 60, 52]);
  const options = { strength: 1, feather: 1, eyeWhite: 80 };
  const [onLight, onDark] = bank.exemplars.map((e) =>
    teethLuma(paintMouthInterior(dimPhoto, lips(60, 50, 60, 12), exemplarSource(bank, e), options)),
  );
  // Against the picked exemplar's own skin, the dark one read the light as the studio's: teeth at full white (240)
  // against 96 for the other, a flash in an animation whose frames pick one then the other.
  assert.ok(Math.abs(onLight! - onDark!) < 3, `teeth ${onLight!.toFixed(0)} and ${onDark!.toFixed(0)}`);
  assert.ok(onDark! < 0.7 * 240, `dim light, dimmer teeth: ${onDark!.toFixed(0)}`);
});

const MODEL = process.env.MIMIC_TEST_MODEL ?? DEFAULT_MODEL_DIR;
const skip =
  existsSync(join(MODEL, MODEL_MANIFEST)) && existsSync(join(MODEL, MOUTH_BANK_FILE))
    ? false
    : `no model with a mouth bank at ${MODEL}`;

test(
  'the smile preset shows teeth on the bundled photo (its closed lips are not taken for an open mouth)',
  { skip },
  async () => {
    const m = await Mimic.load(MODEL);
    const {
      photo: out,
      input,
      target,
    } = await m.transfer(await decodeImage(sample('canada-019f.jpg')), {
      expression: 'smile',
    });
    const size = 320;
    const face = m.faceView(out, input.toCrop, size);
    const lipsAt = Array.from({ length: 20 }, (_, i): Point => [
      (target[2 * (48 + i)]! + 1) * 0.5 * size,
      (target[2 * (48 + i) + 1]! + 1) * 0.5 * size,
    ]);
    const composition = mouthComposition(face, lipsAt);
    assert.ok(composition.teeth > 0.4, `teeth ${composition.teeth.toFixed(2)} of the opening`);
  },
);

test(
  'grayscale in, grayscale out: a smile with parted lips on a black-and-white photo',
  { skip },
  async () => {
    const colour = await decodeImage(sample('canada-019f.jpg'));
    const gray = Uint8Array.from(colour.data);
    for (let o = 0; o < gray.length; o += 3) {
      const y = Math.round(0.299 * gray[o]! + 0.587 * gray[o + 1]! + 0.114 * gray[o + 2]!);
      gray[o] = gray[o + 1] = gray[o + 2] = y;
    }
    const photo: RgbImage = { width: colour.width, height: colour.height, data: gray };
    const m = await Mimic.load(MODEL);
    const target = { expression: 'smile', edits: { mouthOpen: 3, mouthCorners: 2 } };
    const { photo: out, input, target: landmarks } = await m.transfer(photo, target);
    assert.ok(maxChannelDifference(out) <= 2, `largest channel difference ${maxChannelDifference(out)}`);
    // and the mouth did open with teeth (the test must not pass by changing nothing)
    const face = m.faceView(out, input.toCrop, 320);
    const zoom = 320 / m.alignment.size;
    const targetLips = Array.from({ length: 20 }, (_, i): Point => [
      (landmarks[2 * (48 + i)]! + 1) * 0.5 * m.alignment.size * zoom,
      (landmarks[2 * (48 + i) + 1]! + 1) * 0.5 * m.alignment.size * zoom,
    ]);
    const composition = mouthComposition(face, targetLips);
    assert.ok(
      composition.teeth + composition.dark > 0.4,
      `teeth ${composition.teeth}, cavity ${composition.dark}`,
    );
  },
);

test('roundOpening: the lips as arcs through every inner-lip landmark, the corners kept, no point at the bottom', () => {
  // a surprise's opening: a flat upper lip and a lower lip in a V (the landmarks' polygon is a diamond)
  const inner: Point[] = [
    [0, 0],
    [10, -6],
    [20, -7],
    [30, -6],
    [40, 0],
    [30, 14],
    [20, 20],
    [10, 14],
  ];
  const round = roundOpening(inner);
  assert.equal(round.length, 32);
  for (const p of inner)
    assert.ok(
      round.some((q) => Math.hypot(q[0] - p[0], q[1] - p[1]) < 1e-9),
      `passes through ${p}`,
    );
  // Under the V's tip the arc is flatter: beside the lowest landmark its neighbours sit lower than the straight
  // edges of the diamond would put them.
  const lowest = round.findIndex((q) => q[0] === 20 && q[1] === 20);
  const beside = round[lowest - 1]!;
  const straight = 14 + ((20 - 14) * (30 - beside[0])) / 10; // the edge from (30, 14) to (20, 20)
  assert.ok(
    beside[1] > straight + 0.5,
    `a rounded bottom: ${beside[1].toFixed(2)} vs ${straight.toFixed(2)}`,
  );
});
