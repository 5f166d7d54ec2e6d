/** Driver motion → photo targets: blinks as ratios, lips never crossing, head motion removed or followed; auto neutral. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ALIGNMENT } from '../../src/face/align.js';
import type { Landmarks } from '../../src/face/landmarks.js';
import { drivenTarget, MotionMeter, type FrameMotion } from '../../src/drive/motion.js';
import { chooseNeutralFrame, neutralityFeatures } from '../../src/drive/neutral.js';
import { syntheticFace } from '../helpers/syntheticFace.js';

function moved(points: Landmarks, f: (p: [number, number], i: number) => [number, number]): Landmarks {
  return points.map((p, i) => f(p, i));
}

function rotate(
  points: Landmarks,
  angle: number,
  [cx, cy]: [number, number],
  shift: [number, number] = [0, 0],
): Landmarks {
  const c = Math.cos(angle),
    s = Math.sin(angle);
  return moved(points, ([x, y]) => [
    cx + c * (x - cx) - s * (y - cy) + shift[0],
    cy + s * (x - cx) + c * (y - cy) + shift[1],
  ]);
}

const face = syntheticFace();
const EYELIDS_UPPER = [37, 38, 43, 44];
const EYELIDS_LOWER = [41, 40, 47, 46];

function gap(m: ArrayLike<number>, upper: number, lower: number): number {
  return m[2 * lower + 1]! - m[2 * upper + 1]!;
}

function setup(frame: Landmarks): {
  meter: MotionMeter;
  neutral: FrameMotion;
  frame: FrameMotion;
  own: Float64Array;
} {
  const meter = new MotionMeter(DEFAULT_ALIGNMENT);
  const neutral = meter.measure(face);
  // The photo: another face shape (wider eyes), in crop pixels.
  const own = Float64Array.from(neutral.expression, (v, i) => (i % 2 === 0 ? 32 + (v - 32) * 1.1 : v));
  return { meter, neutral, frame: meter.measure(frame), own };
}

function target(s: ReturnType<typeof setup>, head: 'still' | 'follow'): Float64Array {
  return drivenTarget({
    own: s.own,
    frame: s.frame,
    neutral: s.neutral,
    head,
    referenceToCrop: s.meter.referenceToCrop,
    unit: s.meter.unit,
    cropSize: 64,
  });
}

test('the neutral frame itself gives the photo its own landmarks back', () => {
  const s = setup(face);
  const t = target(s, 'follow');
  for (let i = 0; i < 136; i++) assert.ok(Math.abs(t[i]! - s.own[i]!) < 1e-6);
});

test('a driver blink closes the photo eyes fully, whatever their size; a half blink halves them', () => {
  const closeBy = (fraction: number): Landmarks =>
    moved(face, ([x, y], i) => {
      const k = EYELIDS_UPPER.indexOf(i);
      if (k < 0) return [x, y];
      const lower = face[EYELIDS_LOWER[k]!]!;
      return [x, y + fraction * (lower[1] - y)];
    });
  const full = setup(closeBy(1));
  const half = setup(closeBy(0.5));
  for (let k = 0; k < 4; k++) {
    const [u, l] = [EYELIDS_UPPER[k]!, EYELIDS_LOWER[k]!];
    assert.ok(Math.abs(gap(target(full, 'still'), u, l)) < 1e-6, 'closed');
    const ratio = gap(target(half, 'still'), u, l) / gap(half.own, u, l);
    assert.ok(Math.abs(ratio - 0.5) < 0.02, `half open (${ratio})`);
  }
});

test('lips never cross: a driver mouth closing harder than the photo can does not fold the lips', () => {
  const squeezed = moved(face, ([x, y], i) => ([61, 62, 63].includes(i) ? [x, y + 6] : [x, y]));
  const t = target(setup(squeezed), 'still');
  for (const [u, l] of [
    [61, 67],
    [62, 66],
    [63, 65],
  ] as const)
    assert.ok(gap(t, u, l) >= -1e-9);
});

test('head motion: "still" removes it, "follow" turns and moves the photo face with the driver', () => {
  const centre = face[30]!;
  const turned = rotate(face, 0.2, centre, [15, -5]);
  const s = setup(turned);
  const still = target(s, 'still');
  for (let i = 0; i < 136; i++)
    assert.ok(Math.abs(still[i]! - s.own[i]!) < 1e-3, 'still: own landmarks (rigid motion only)');
  const follow = target(s, 'follow');
  const angle = (m: ArrayLike<number>): number =>
    Math.atan2(m[2 * 45 + 1]! - m[2 * 36 + 1]!, m[2 * 45]! - m[2 * 36]!);
  assert.ok(Math.abs(angle(follow) - angle(s.own) - 0.2) < 1e-3, 'rotated by the driver’s 0.2 rad');
  const dx = follow[2 * 30]! - s.own[2 * 30]!;
  assert.ok(dx > 1, `moved right with the driver (${dx} crop px)`);
});

test('auto neutral: the frame with the mouth closed and not smiling, eyes open', () => {
  const meter = new MotionMeter(DEFAULT_ALIGNMENT);
  const open = (amount: number, widen: number, blink = 0): Landmarks =>
    moved(face, ([x, y], i) => {
      if ([65, 66, 67, 55, 56, 57, 58, 59].includes(i)) y += amount;
      if (i === 48 || i === 60) x -= widen;
      if (i === 54 || i === 64) x += widen;
      if (EYELIDS_UPPER.includes(i)) y += blink;
      return [x, y];
    });
  const frames = [open(6, 0), open(3, 2), open(0, 3), open(0, 0, 3), open(0, 0), open(4, 0), null];
  const motions = frames.map((f) => (f ? meter.measure(f) : null));
  assert.equal(chooseNeutralFrame(motions).index, 4);
  const [mouthOpen] = neutralityFeatures(motions[0]!.expression);
  assert.ok(mouthOpen! > neutralityFeatures(motions[4]!.expression)[0]!);
});
