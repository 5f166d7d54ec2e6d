/**
 * AU appearance (src/face/auAppearance.ts) and the jaw-drop cavity (src/face/mouthInterior.ts): creases where the
 * target's shape makes them, read from the landmarks (not a preset's name), painted through the warp paste as a
 * luma gain: darker between lowered brows and nowhere outside the face, nothing for the photo's own landmarks,
 * gray in gray out, deeper for a stronger AU; a dropped jaw shows a dark cavity below the teeth.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { auActivations, auLogGain, shadeSkin } from '../../src/face/auAppearance.js';
import {
  denormalizeLandmarks,
  interocularDistance,
  unflattenLandmarks,
  type Landmarks,
} from '../../src/face/landmarks.js';
import { jawDropCavity, lipsOf, paintMouthInterior, type MouthSource } from '../../src/face/mouthInterior.js';
import { createRgbImage, type RgbImage } from '../../src/image/rgbImage.js';
import { resizeImage } from '../../src/image/io.js';
import { DEFAULT_MODEL_DIR } from '../../src/index.js';
import { actionUnitDisplacement, parseActionUnits } from '../../src/transfer/actionUnits.js';
import { pasteInMode } from '../../src/transfer/pasteModes.js';
import { readPresets } from '../../src/transfer/presetsFile.js';

const SIZE = 64;

/** The shipped mean neutral face, in crop pixels. */
async function neutral(): Promise<{ flat: number[]; own: Landmarks }> {
  const presets = await readPresets(join(DEFAULT_MODEL_DIR, 'presets.json'));
  const flat = presets.presets[presets.neutral]!.mean;
  return { flat, own: denormalizeLandmarks(unflattenLandmarks(flat), SIZE) };
}

/** The neutral face with action units applied (e.g. '4=1'), in crop pixels. */
function withUnits(flat: number[], units: string): Landmarks {
  const d = actionUnitDisplacement(flat, parseActionUnits(units));
  return denormalizeLandmarks(unflattenLandmarks(flat.map((v, k) => v + d[k]!)), SIZE);
}

/** A smooth skin-like card, `zoom` photo pixels per crop pixel, colour or gray. */
function card(zoom: number, gray = false): RgbImage {
  const side = SIZE * zoom;
  const image = createRgbImage(side, side);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const v = 150 + 20 * Math.sin(x / (4 * zoom)) * Math.cos(y / (6 * zoom));
      image.data.set(gray ? [v, v, v] : [v + 30, v, v - 20], (y * side + x) * 3);
    }
  return image;
}

const ZOOM = 4;

/** The aligned crop of a card (every ZOOM-th pixel): what the landmarks' crop pixels refer to. */
function cropOf(photo: RgbImage): RgbImage {
  const crop = createRgbImage(SIZE, SIZE);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      const o = ((y * ZOOM + (ZOOM >> 1)) * photo.width + x * ZOOM + (ZOOM >> 1)) * 3;
      crop.data.set(photo.data.subarray(o, o + 3), (y * SIZE + x) * 3);
    }
  return crop;
}

async function paste(
  photo: RgbImage,
  own: Landmarks,
  target: Landmarks,
  auAppearance = true,
): Promise<RgbImage> {
  return pasteInMode('warp', {
    photo,
    toCrop: [1 / ZOOM, 0, 0, 0, 1 / ZOOM, 0],
    inputCrop: cropOf(photo),
    own,
    target,
    resize: resizeImage,
    auAppearance,
  });
}

/** Luma of the photo pixels within `radius` crop pixels of crop point p: their mean and the darkest. */
function lumaAround(image: RgbImage, p: [number, number], radius: number): { mean: number; min: number } {
  let sum = 0;
  let n = 0;
  let min = Infinity;
  for (let y = Math.floor((p[1] - radius) * ZOOM); y < (p[1] + radius) * ZOOM; y++)
    for (let x = Math.floor((p[0] - radius) * ZOOM); x < (p[0] + radius) * ZOOM; x++) {
      const o = (y * image.width + x) * 3;
      const l = 0.299 * image.data[o]! + 0.587 * image.data[o + 1]! + 0.114 * image.data[o + 2]!;
      sum += l;
      min = Math.min(min, l);
      n++;
    }
  return { mean: sum / n, min };
}

test('activations follow the shape: the own face none, AU4 a furrow, AU9 nose wrinkles, AU1+2 brow rise', async () => {
  const { flat, own } = await neutral();
  const none = auActivations(own, own);
  assert.equal(
    none.furrow + none.noseWrinkle + none.nasolabial + none.browRise.reduce((s, r) => s + r, 0),
    0,
  );
  const frown = auActivations(own, withUnits(flat, '4=1'));
  assert.ok(frown.furrow > 0.8 && frown.furrow < 1.2, `AU4 at 1: furrow ${frown.furrow}`);
  assert.equal(frown.noseWrinkle, 0);
  const wrinkle = auActivations(own, withUnits(flat, '9=1'));
  assert.ok(wrinkle.noseWrinkle > 0.8, `AU9 at 1: nose ${wrinkle.noseWrinkle}`);
  assert.ok(wrinkle.nasolabial > 0.8);
  const raised = auActivations(own, withUnits(flat, '1=1,2=1'));
  assert.ok(Math.min(...raised.browRise.slice(1, 9)) > 0.5, `AU1+2: ${raised.browRise.join(', ')}`);
  assert.equal(raised.furrow, 0, 'raised brows do not furrow');
  // the same shape moved and scaled as a whole creases nothing, and the activation does not depend on face size
  const shifted = own.map(([x, y]) => [x + 3, y - 2] as [number, number]);
  assert.equal(auActivations(own, shifted).furrow, 0);
  const big = (points: Landmarks): Landmarks => points.map(([x, y]) => [2 * x, 2 * y]);
  assert.ok(Math.abs(auActivations(big(own), big(withUnits(flat, '4=1'))).furrow - frown.furrow) < 1e-6);
});

test('a lowered-brow target darkens between the brows, nowhere outside the face; more AU, deeper', async () => {
  const { flat, own } = await neutral();
  const photo = card(ZOOM);
  assert.equal(auLogGain(own, own, SIZE, ZOOM), null, 'own landmarks: no creases');
  assert.deepEqual((await paste(photo, own, own)).data, photo.data, 'own landmarks: the photo unchanged');
  const glabellaOf = (t: Landmarks): [number, number] => [
    (t[21]![0] + t[22]![0]) / 2,
    (t[21]![1] + t[22]![1]) / 2 - 0.1 * interocularDistance(own),
  ];
  const darkening = async (units: string): Promise<{ ratio: number; out: RgbImage; target: Landmarks }> => {
    const target = withUnits(flat, units);
    const gain = auLogGain(own, target, SIZE, ZOOM)!;
    assert.ok(gain.every((v) => Number.isFinite(v)));
    const out = await paste(photo, own, target);
    return {
      // the darkest pixel between the brows (a crease), against the photo's there
      ratio: lumaAround(out, glabellaOf(target), 3).min / lumaAround(photo, glabellaOf(target), 3).min,
      out,
      target,
    };
  };
  const half = await darkening('4=0.5');
  const full = await darkening('4=1');
  const strong = await darkening('4=1.5');
  assert.ok(full.ratio < 0.85, `AU4 at 1 darkens between the brows: ${full.ratio}`);
  assert.ok(
    strong.ratio < full.ratio && full.ratio < half.ratio && half.ratio < 1,
    `${half.ratio} > ${full.ratio} > ${strong.ratio}`,
  );
  // Against the same warp without creases: changed only inside the face (between the jaw's sides, from 0.8 IOD
  // above the brows down to the chin), and there only between the brows and over the eyes for AU4.
  const plain = await paste(photo, own, full.target, false);
  const t = full.target;
  const iod = interocularDistance(own);
  const browTop = Math.min(...t.slice(17, 27).map((p) => p[1]));
  let changed = 0;
  for (let y = 0; y < plain.height; y++)
    for (let x = 0; x < plain.width; x++) {
      const o = (y * plain.width + x) * 3;
      if (full.out.data[o] === plain.data[o]) continue;
      changed++;
      const [cx, cy] = [(x + 0.5) / ZOOM, (y + 0.5) / ZOOM];
      assert.ok(
        cx > t[0]![0] && cx < t[16]![0] && cy > browTop - 0.8 * iod && cy < t[8]![1],
        `outside: ${cx}, ${cy}`,
      );
      assert.ok(cy < t[30]![1], `AU4 creases nothing below the nose tip: ${cx}, ${cy}`);
    }
  assert.ok(changed > 0);
  // the cheeks, far from any crease of AU4, are unchanged by the shading (the warp moves nothing there)
  const cheek: [number, number] = [own[2]![0] + 6, own[2]![1]];
  assert.deepEqual(lumaAround(full.out, cheek, 1), lumaAround(photo, cheek, 1));
});

test('creases keep a gray photo exactly gray, and darken a dark skin by the same share', async () => {
  const { flat, own } = await neutral();
  const target = withUnits(flat, '4=1.5,9=1.3,10=1,1=1,2=1');
  const gray = await paste(card(ZOOM, true), own, target);
  for (let i = 0; i < gray.data.length; i += 3)
    assert.ok(gray.data[i] === gray.data[i + 1] && gray.data[i] === gray.data[i + 2], 'gray in, gray out');
  const light = card(ZOOM);
  const dark = card(ZOOM);
  for (let i = 0; i < dark.data.length; i++) dark.data[i] = Math.round(light.data[i]! * 0.35);
  const glabella: [number, number] = [(target[21]![0] + target[22]![0]) / 2, target[21]![1] - 2];
  const share = async (photo: RgbImage): Promise<number> =>
    lumaAround(await paste(photo, own, target), glabella, 3).min / lumaAround(photo, glabella, 3).min;
  const onLight = await share(light);
  const onDark = await share(dark);
  assert.ok(Math.abs(onLight - onDark) < 0.03, `the same share: ${onLight} vs ${onDark}`);
});

test('a crease shadows skin with its own hue, more saturated, not with a gray stroke', () => {
  const skin: [number, number, number] = [222, 190, 170];
  const luma = (p: ArrayLike<number>): number => 0.299 * p[0]! + 0.587 * p[1]! + 0.114 * p[2]!;
  const spread = (p: ArrayLike<number>): number => (p[0]! - p[2]!) / luma(p);
  const shaded = [...skin];
  shadeSkin(shaded, -0.3, luma(skin));
  assert.ok(luma(shaded) < 0.8 * luma(skin), 'darker');
  assert.ok(spread(shaded) > 1.1 * spread(skin), `more saturated: ${spread(shaded)} vs ${spread(skin)}`);
  assert.ok(shaded[0]! > shaded[1]! && shaded[1]! > shaded[2]!, 'the same hue order');
  const lit = [...skin];
  shadeSkin(lit, 0.1, luma(skin));
  assert.ok(Math.abs(spread(lit) - spread(skin)) < 1e-9, 'a lit edge only brightens');
  const gray = [128, 128, 128];
  shadeSkin(gray, -0.3, 128);
  assert.ok(gray[0] === gray[1] && gray[1] === gray[2] && gray[0]! < 100, 'gray stays gray');
});

test('a dropped jaw paints a dark cavity under the teeth; lips parted without the jaw keep the teeth', async () => {
  const { flat, own } = await neutral();
  assert.equal(jawDropCavity(own, own), 0);
  assert.equal(jawDropCavity(own, withUnits(flat, '10=1,16=1,25=1')), 0, 'lips apart, jaw still');
  assert.equal(jawDropCavity(own, withUnits(flat, '25=0.5,26=1.1')), 1);
  // a source of flat "teeth" (light gray) with a small opening, painted into a tall target opening
  const zoom = 4;
  const target = withUnits(flat, '25=0.5,26=1.1');
  const image = card(zoom);
  const source: MouthSource = {
    image: (() => {
      const s = createRgbImage(SIZE * zoom, SIZE * zoom);
      s.data.fill(150);
      const lips = lipsOf(withUnits(flat, '25=1'), zoom);
      const ys = lips.slice(12).map((p) => p[1]);
      for (let y = Math.floor(Math.min(...ys)) - 2; y <= Math.ceil(Math.max(...ys)) + 2; y++)
        for (let x = 0; x < s.width; x++) s.data.fill(235, (y * s.width + x) * 3, (y * s.width + x) * 3 + 3);
      return s;
    })(),
    lips: lipsOf(withUnits(flat, '25=1'), zoom),
    fromBank: true,
  };
  const lips = lipsOf(target, zoom);
  const at = (img: RgbImage, v: number): number => {
    const x = Math.round(lips[14]![0]);
    const y = Math.round(lips[14]![1] + v * (lips[18]![1] - lips[14]![1]));
    const o = (y * img.width + x) * 3;
    return 0.299 * img.data[o]! + 0.587 * img.data[o + 1]! + 0.114 * img.data[o + 2]!;
  };
  const wall = paintMouthInterior(image, lips, source, { strength: 1, feather: 2 });
  const cavity = paintMouthInterior(image, lips, source, { strength: 1, feather: 2, cavity: 1 });
  assert.ok(at(wall, 0.7) > 150, `without the cavity, teeth fill the opening: ${at(wall, 0.7)}`);
  assert.ok(at(cavity, 0.15) > 150, `teeth at the top: ${at(cavity, 0.15)}`);
  assert.ok(at(cavity, 0.6) < 50, `a dark cavity below: ${at(cavity, 0.6)}`);
  // gray in, gray out
  const grayImage = card(zoom, true);
  const gray = paintMouthInterior(grayImage, lips, source, { strength: 1, feather: 2, cavity: 1 });
  for (let i = 0; i < gray.data.length; i += 3)
    assert.ok(gray.data[i] === gray.data[i + 1] && gray.data[i] === gray.data[i + 2], 'gray cavity');
});

test('raised brows draw forehead lines on skin, and none across a dark fringe of hair', async () => {
  const { flat, own } = await neutral();
  const target = withUnits(flat, '1=1.2,2=1.2');
  const iod = interocularDistance(own);
  const browY = Math.min(...target.slice(17, 27).map((p) => p[1]));
  const forehead: [number, number] = [target[27]![0], browY - 0.45 * iod];
  const skin = card(ZOOM);
  const lines = await paste(skin, own, target);
  const plainSkin = await paste(skin, own, target, false);
  // the strongest darkening of a pixel against the same warp without creases
  let share = 1;
  for (let y = Math.floor((forehead[1] - 3) * ZOOM); y < (forehead[1] + 3) * ZOOM; y++)
    for (let x = Math.floor((forehead[0] - 3) * ZOOM); x < (forehead[0] + 3) * ZOOM; x++) {
      const o = (y * lines.width + x) * 3 + 1;
      share = Math.min(share, lines.data[o]! / plainSkin.data[o]!);
    }
  assert.ok(share < 0.93, `lines on the skin of the forehead: darkest ${share} of the plain warp's`);
  // the same face with a dark fringe over the forehead (rows above the brows at a fifth of the skin's luma)
  const fringe = card(ZOOM);
  const fringeBottom = Math.floor((browY - 0.15 * iod) * ZOOM);
  for (let i = 0; i < fringeBottom * fringe.width * 3; i++) fringe.data[i] = Math.round(fringe.data[i]! / 5);
  const onFringe = await paste(fringe, own, target);
  const plainFringe = await paste(fringe, own, target, false);
  for (let i = 0; i < (fringeBottom - 2 * ZOOM) * fringe.width * 3; i++)
    assert.equal(
      onFringe.data[i],
      plainFringe.data[i],
      `no line across the fringe at ${(i / 3) % fringe.width}, ${Math.floor(i / 3 / fringe.width)} (fringe to ${fringeBottom})`,
    );
});

test("a smile (the shipped preset) wrinkles no nose and furrows no brow: its folds are the ratio image's", async () => {
  const { flat, own } = await neutral();
  const presets = await readPresets(join(DEFAULT_MODEL_DIR, 'presets.json'));
  const smile = presets.presets.smile!.mean;
  const target = denormalizeLandmarks(unflattenLandmarks(smile), SIZE);
  assert.equal(auLogGain(own, target, SIZE, ZOOM), null);
  // while a snarl (AU10, corners still) deepens the folds
  assert.ok(auActivations(own, withUnits(flat, '10=1')).nasolabial > 0.5);
});
