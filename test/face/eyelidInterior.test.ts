/**
 * Closed eyelids (src/face/eyelidInterior.ts) on a synthetic face view where the right answer is known: skin, a
 * lid band under a brow, and a dark iris squashed into the closed eye's outline (what the plain warp leaves).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Point } from '../../src/geometry/affine.js';
import type { Landmarks } from '../../src/face/landmarks.js';
import { createRgbImage, type RgbImage } from '../../src/image/rgbImage.js';
import {
  addEyelids,
  eyelidStrength,
  eyeOpening,
  lidWarpTarget,
  paintsEyelids,
} from '../../src/face/eyelidInterior.js';

const SKIN: [number, number, number] = [200, 150, 130];
const IRIS: [number, number, number] = [40, 40, 60];

/** 68 landmarks: eyes centred at (70, 100) and (130, 100), 40 wide, lids `gap` apart; brows 30 above. */
function face(gap: number, rightGap = gap): Landmarks {
  const points: Point[] = Array.from({ length: 68 }, (_, i): Point => [60 + i, 170]);
  const eye = (first: number, cx: number, g: number): void => {
    const at: Point[] = [
      [cx - 20, 100],
      [cx - 7, 100 - g / 2],
      [cx + 7, 100 - g / 2],
      [cx + 20, 100],
      [cx + 7, 100 + g / 2],
      [cx - 7, 100 + g / 2],
    ];
    at.forEach((p, k) => (points[first + k] = p));
  };
  eye(36, 70, gap);
  eye(42, 130, rightGap);
  for (let k = 0; k < 5; k++) {
    points[17 + k] = [50 + 10 * k, 68];
    points[22 + k] = [110 + 10 * k, 68];
  }
  return points;
}

/** The plain warp's closed eye: skin, with a dark squashed iris along the closed lids (rows 98–102). */
function squashedView(gray = false): RgbImage {
  const image = createRgbImage(200, 200);
  for (let y = 0; y < 200; y++)
    for (let x = 0; x < 200; x++) {
      const inEye = y >= 98 && y <= 102 && ((x >= 52 && x <= 88) || (x >= 112 && x <= 148));
      let rgb = inEye ? IRIS : SKIN;
      if (gray) {
        const l = Math.round(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]);
        rgb = [l, l, l];
      }
      image.data.set(rgb, (y * 200 + x) * 3);
    }
  return image;
}

const lumaAt = (image: RgbImage, x: number, y: number): number => {
  const o = (y * image.width + x) * 3;
  return 0.299 * image.data[o]! + 0.587 * image.data[o + 1]! + 0.114 * image.data[o + 2]!;
};

function totalChange(a: RgbImage, b: RgbImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum;
}

const OPEN = face(14);
const CLOSED = face(1);
const SKIN_LUMA = 0.299 * SKIN[0] + 0.587 * SKIN[1] + 0.114 * SKIN[2];

test("eyeOpening and eyelidStrength: none for the photo's own eyes, full for a blink, less for a half blink", () => {
  const eye = (l: Landmarks): Point[] => l.slice(36, 42);
  assert.ok(Math.abs(eyeOpening(eye(OPEN)) - 14 / 40) < 1e-9);
  assert.equal(eyelidStrength(eye(OPEN), eye(OPEN)), 0);
  assert.equal(eyelidStrength(eye(OPEN), eye(CLOSED)), 1);
  const half = eyelidStrength(eye(OPEN), eye(face(2.5)));
  assert.ok(half > 0 && half < 1, `half blink strength ${half}`);
  assert.equal(eyelidStrength(eye(OPEN), eye(face(20))), 0, 'an eye opened wider gets no lid');
  assert.equal(eyelidStrength(eye(OPEN), eye(face(6))), 0, 'a squint (closure 0.57) keeps its iris');
});

test('addEyelids: a closed eye shows skin where the plain warp left the dark iris line', () => {
  const view = squashedView();
  const painted = addEyelids(view, 1, OPEN, CLOSED);
  // Across the middle of each eye, away from the lash line: lid skin, not iris.
  for (const cx of [70, 130])
    for (const x of [cx - 10, cx, cx + 10]) {
      assert.ok(lumaAt(view, x, 99) < 70, 'the test view has the iris line');
      assert.ok(
        Math.abs(lumaAt(painted, x, 98) - SKIN_LUMA) < 25,
        `(${x}, 98): luma ${lumaAt(painted, x, 98).toFixed(0)}, skin ${SKIN_LUMA.toFixed(0)}`,
      );
    }
  // The lash line: the closed lid's lower edge is darker than the lid skin, but not the whole eye.
  const column = Array.from({ length: 16 }, (_, k) => lumaAt(painted, 70, 94 + k));
  assert.ok(Math.min(...column) < SKIN_LUMA - 30, `darkest in the eye ${Math.min(...column).toFixed(0)}`);
  // Away from the eyes nothing changes.
  assert.equal(lumaAt(painted, 100, 150), lumaAt(view, 100, 150));
  assert.equal(lumaAt(painted, 20, 100), lumaAt(view, 20, 100));
});

test("addEyelids: the photo's own landmarks leave the view as it is; a wink closes one eye only", () => {
  const view = squashedView();
  assert.equal(addEyelids(view, 1, OPEN, OPEN), view);
  assert.equal(paintsEyelids(OPEN, OPEN), false);
  const wink = addEyelids(view, 1, OPEN, face(14, 1));
  assert.ok(paintsEyelids(OPEN, face(14, 1)));
  for (let y = 80; y < 120; y++)
    for (let x = 40; x < 100; x++)
      assert.equal(lumaAt(wink, x, y), lumaAt(view, x, y), `open eye at (${x}, ${y})`);
  assert.ok(Math.abs(lumaAt(wink, 130, 98) - SKIN_LUMA) < 25);
});

test('addEyelids: a half blink paints less than a full one', () => {
  const view = squashedView();
  const half = totalChange(view, addEyelids(view, 1, OPEN, face(2.5)));
  const full = totalChange(view, addEyelids(view, 1, OPEN, CLOSED));
  assert.ok(half > 0 && half < 0.7 * full, `half ${half}, full ${full}`);
});

test('addEyelids: gray in, gray out', () => {
  const painted = addEyelids(squashedView(true), 1, OPEN, CLOSED);
  let worst = 0;
  for (let o = 0; o < painted.data.length; o += 3)
    worst = Math.max(
      worst,
      Math.abs(painted.data[o]! - painted.data[o + 1]!),
      Math.abs(painted.data[o + 1]! - painted.data[o + 2]!),
    );
  assert.ok(worst <= 1, `largest channel difference ${worst}`);
});

test("lidWarpTarget: a closing eye's upper lid keeps the photo's height over the lower lid; nothing else moves", () => {
  assert.equal(lidWarpTarget(OPEN, OPEN), OPEN, 'no closing eye: the target itself');
  const warped = lidWarpTarget(OPEN, CLOSED);
  // Upper points 37, 38, 43, 44 stay 14 px (the photo's gap) above the closed lower lid at 100.5.
  for (const k of [37, 38, 43, 44]) assert.deepEqual(warped[k], [CLOSED[k]![0], 100.5 - 14]);
  for (let k = 0; k < 68; k++) if (![37, 38, 43, 44].includes(k)) assert.deepEqual(warped[k], CLOSED[k]);
  // A wink: only the closing eye's lid is held.
  const wink = face(1, 14);
  const winkWarped = lidWarpTarget(OPEN, wink);
  assert.deepEqual(winkWarped[37], [wink[37]![0], 100.5 - 14]);
  assert.deepEqual(winkWarped[43], wink[43]);
});

test('an animated blink keeps closing: the eye left visible under a fading-in lid shrinks frame by frame', () => {
  // Visible eye = (1 − lid strength) × the opening the warp leaves; the target's lids from a quarter of the
  // photo's gap (where a lid starts) to a tenth (where it is opaque), in small steps.
  let previous = Infinity;
  for (let gap = 3.5; gap >= 1.4; gap -= 0.1) {
    const target = face(gap);
    const strength = eyelidStrength(OPEN.slice(36, 42), target.slice(36, 42));
    const visible = (1 - strength) * eyeOpening(lidWarpTarget(OPEN, target).slice(36, 42));
    assert.ok(
      visible <= previous + 1e-9,
      `gap ${gap.toFixed(1)}: visible ${visible.toFixed(4)} after ${previous}`,
    );
    previous = visible;
  }
});

test('addEyelids: a lid under lit lid skin and over a shadowed socket joins both, with no paler patch or rim', () => {
  // lit above the eye (luma ~190), shadowed below it (~110): cc0 lisa1's light
  const view = squashedView();
  const LIT: [number, number, number] = [215, 185, 170];
  const SHADOW: [number, number, number] = [130, 105, 95];
  for (let y = 0; y < 200; y++)
    for (let x = 0; x < 200; x++) {
      const inEye = y >= 98 && y <= 102 && ((x >= 52 && x <= 88) || (x >= 112 && x <= 148));
      if (!inEye) view.data.set(y < 100 ? LIT : SHADOW, (y * 200 + x) * 3);
    }
  const luma = (rgb: [number, number, number]): number => 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
  const painted = addEyelids(view, 1, OPEN, CLOSED);
  const column = Array.from({ length: 30 }, (_, k) => lumaAt(painted, 62, 86 + k));
  const shown = column.map((v) => v.toFixed(0)).join(' ');
  assert.ok(Math.max(...column) <= luma(LIT) + 2, `nothing paler than the lit skin: ${shown}`);
  // Under the lash line the lid meets the shadowed socket: the first version, relit by a bounded gain, painted a
  // pale band there (luma 160 over a socket of 111).
  const lash = column.indexOf(Math.min(...column));
  const underLash = Math.max(...column.slice(lash + 1));
  assert.ok(
    underLash <= luma(SHADOW) + 0.35 * (luma(LIT) - luma(SHADOW)),
    `under the lash line as dark as the socket, nearly: ${shown}`,
  );
});
