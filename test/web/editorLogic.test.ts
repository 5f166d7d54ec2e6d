/**
 * The page's editing logic, which runs the same in Node: undo/redo, group drags, preset buttons and the
 * key-frame timeline.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readDataCache } from '../../src/data/cache.js';
import { LANDMARK_GROUPS } from '../../src/face/landmarks.js';
import { applyExpression, AU_PRESETS, expressionNames } from '../../src/transfer/expressionCatalogue.js';
import { computePresets } from '../../src/transfer/presets.js';
import {
  ACTION_UNIT_SLIDERS,
  expressionPanelLandmarks,
  sliderActionUnits,
  withoutActionUnits,
  zeroSliders,
} from '../../web/src/actionUnitSliders.js';
import { movePoints, pointsToDrag } from '../../web/src/dragGroups.js';
import { expressionsFor } from '../../web/src/expressions.js';
import { LandmarkHistory } from '../../web/src/landmarkHistory.js';
import { Timeline } from '../../web/src/timeline.js';
import { REPO_ROOT } from '../helpers/paths.js';

const face = (offset: number): Float32Array =>
  Float32Array.from({ length: 136 }, (_, i) => (i % 7) / 10 + offset);

describe('landmark history', () => {
  test('undo and redo step through committed edits; a new edit drops the redo branch', () => {
    const h = new LandmarkHistory(face(0));
    assert.equal(h.canUndo, false);
    h.change(face(1));
    h.change(face(2)); // a drag in progress: one undo step at the end
    h.commit();
    h.change(face(3));
    h.commit();
    h.undo();
    assert.deepEqual(h.current, face(2));
    h.undo();
    assert.deepEqual(h.current, face(0));
    assert.equal(h.canUndo, false);
    h.redo();
    assert.deepEqual(h.current, face(2));
    h.change(face(5));
    h.commit();
    assert.equal(h.canRedo, false);
  });

  test('an uncommitted change is undone first; reset is itself undoable', () => {
    const h = new LandmarkHistory(face(0));
    h.change(face(1));
    h.commit();
    h.change(face(9));
    h.undo();
    assert.deepEqual(h.current, face(1));
    h.reset();
    assert.deepEqual(h.current, face(0));
    h.undo();
    assert.deepEqual(h.current, face(1));
  });
});

describe('drag groups', () => {
  test('a mouth-corner drag moves the outer and inner corner of that side only', () => {
    assert.deepEqual(pointsToDrag('mouthCorner', 48), [48, 60]);
    assert.deepEqual(pointsToDrag('mouthCorner', 64), [54, 64]);
    assert.equal(pointsToDrag('mouthCorner', 30), undefined);
    assert.deepEqual(pointsToDrag('point', 30), [30]);
    assert.deepEqual(pointsToDrag('lips', 50), LANDMARK_GROUPS.lips);
    assert.deepEqual(pointsToDrag('brow', 24), LANDMARK_GROUPS.leftBrow);
    assert.deepEqual(pointsToDrag('eyelid', 37), LANDMARK_GROUPS.rightUpperEyelid);
  });

  test('movePoints shifts exactly the given points', () => {
    const before = face(0);
    const after = movePoints(before, [48, 60], 0.1, -0.2);
    for (let i = 0; i < 68; i++) {
      const moved = i === 48 || i === 60;
      assert.ok(Math.abs(after[2 * i]! - before[2 * i]! - (moved ? 0.1 : 0)) < 1e-6);
      assert.ok(Math.abs(after[2 * i + 1]! - before[2 * i + 1]! - (moved ? -0.2 : 0)) < 1e-6);
    }
  });
});

describe('preset buttons', () => {
  test('without presets.json: neutral keeps the photo, smile lifts and widens the mouth corners', () => {
    const [neutral, smile, ...others] = expressionsFor(undefined, 64);
    assert.deepEqual([neutral!.name, smile!.name], ['neutral', 'smile']);
    // The action-unit presets need no presets.json: all of them, as the CLI lists them.
    assert.deepEqual(
      others.map((b) => b.name),
      AU_PRESETS.map((p) => p.name),
    );
    const input = face(0);
    assert.deepEqual(neutral!.apply(input, 1), input);
    assert.deepEqual(smile!.apply(input, 0), input);
    const full = smile!.apply(input, 1);
    const half = smile!.apply(input, 0.5);
    assert.ok(full[2 * 48 + 1]! < input[2 * 48 + 1]!, 'right corner up');
    assert.ok(full[2 * 54 + 1]! < input[2 * 54 + 1]!, 'left corner up');
    assert.ok(full[2 * 48]! < input[2 * 48]! && full[2 * 54]! > input[2 * 54]!, 'corners apart');
    assert.ok(
      Math.abs(half[2 * 48 + 1]! - (input[2 * 48 + 1]! + full[2 * 48 + 1]!) / 2) < 1e-6,
      'linear in intensity',
    );
  });

  test("with the model's presets: its smile and every other label it ships", async () => {
    const cache = await readDataCache(join(REPO_ROOT, 'test', 'fixtures', 'eval', 'frl-mini'));
    const presets = computePresets(cache, 'frl-mini');
    presets.presets.surprise = { count: 1, mean: presets.presets.neutral!.mean.map((v) => v * 1.1) };
    const buttons = expressionsFor(presets, 64);
    // The data presets first (a data "surprise" replaces the AU one, as in the CLI), then the other AU presets.
    assert.deepEqual(
      buttons.map((b) => [b.name, b.source]),
      [
        ['neutral', 'model presets'],
        ['smile', 'model presets'],
        ['surprise', 'model presets'],
        ...AU_PRESETS.filter((p) => p.name !== 'surprise').map((p) => [p.name, 'action units']),
      ],
    );
    assert.deepEqual(
      buttons.map((b) => b.name),
      ['neutral', 'smile', ...expressionNames(presets).filter((n) => !['neutral', 'smile'].includes(n))],
    );
    const input = face(0);
    const smile = buttons[1]!.apply(input, 1);
    const expected = presets.presets.smile!.mean.map(
      (v, i) => input[i]! + v - presets.presets.neutral!.mean[i]!,
    );
    smile.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-5));
  });
});

describe('action-unit sliders', () => {
  /** The fixture's presets; its neutral mean is a plausible face (eyes open, so lid AUs have an opening). */
  async function fixturePresets() {
    const cache = await readDataCache(join(REPO_ROOT, 'test', 'fixtures', 'eval', 'frl-mini'));
    return computePresets(cache, 'frl-mini');
  }

  test('one slider per part of the face, each with its AUs named', () => {
    assert.deepEqual(
      ACTION_UNIT_SLIDERS.map((s) => s.id),
      ['brows', 'lids', 'cheeks', 'mouthCorners', 'lips', 'jaw'],
    );
    assert.deepEqual(
      sliderActionUnits({ ...zeroSliders(), brows: 0.5 }),
      new Map([
        ['1', 0.5],
        ['2', 0.5],
      ]),
    );
    assert.deepEqual(sliderActionUnits({ ...zeroSliders(), brows: -0.8 }), new Map([['4', 0.8]]));
    assert.deepEqual(
      sliderActionUnits({ ...zeroSliders(), jaw: 1.5, mouthCorners: -1 }),
      new Map([
        ['15', 1],
        ['25', 1.5],
        ['26', 1.5],
      ]),
    );
    assert.equal(sliderActionUnits(zeroSliders()).size, 0);
  });

  test("a preset with sliders is the CLI's --expression NAME@T --au …; sliders at 0 give the preset exactly", async () => {
    const presets = await fixturePresets();
    const own = Float32Array.from(presets.presets.neutral!.mean);
    const surprise = expressionsFor(presets, 64).find((b) => b.name === 'surprise')!;
    const sliders = { ...zeroSliders(), jaw: 1.5, brows: -0.5 };
    const units = sliderActionUnits(sliders);
    assert.deepEqual(
      expressionPanelLandmarks(own, surprise, 0.7, own, units),
      applyExpression(
        presets,
        own,
        'surprise',
        0.7,
        new Map([
          ['4', 0.5],
          ['25', 1.5],
          ['26', 1.5],
        ]),
      ),
    );
    assert.deepEqual(
      expressionPanelLandmarks(own, surprise, 0.7, own, new Map()),
      applyExpression(presets, own, 'surprise', 0.7),
    );
    const smile = expressionsFor(presets, 64).find((b) => b.name === 'smile')!;
    assert.deepEqual(
      expressionPanelLandmarks(own, smile, 1, own, units),
      applyExpression(presets, own, 'smile', 1, units),
    );
  });

  test('without a preset the sliders add to the scaled edit, and a drag is not counted twice', async () => {
    const own = Float32Array.from((await fixturePresets()).presets.neutral!.mean);
    const edit = movePoints(own, [48], 0.05, -0.05);
    const units = sliderActionUnits({ ...zeroSliders(), jaw: 1 });
    const shown = expressionPanelLandmarks(own, undefined, 1, edit, units);
    // Jaw drop moves the chin (8) down; the dragged corner keeps its drag.
    assert.ok(shown[2 * 8 + 1]! > own[2 * 8 + 1]! + 0.05, 'the chin did not drop');
    const base = withoutActionUnits(shown, own, units);
    base.forEach((v, i) => assert.ok(Math.abs(v - edit[i]!) < 1e-6, `coordinate ${i}`));
    expressionPanelLandmarks(own, undefined, 1, base, units).forEach((v, i) =>
      assert.ok(Math.abs(v - shown[i]!) < 1e-6),
    );
  });
});

describe('key-frame timeline', () => {
  test('two keys, 4 frames to the next: 5 frames, linear between the keys (eq. 6)', () => {
    const t = new Timeline();
    const a = t.add(face(0));
    t.add(face(1));
    t.setFramesToNext(a.id, 4);
    const frames = t.frames();
    assert.equal(frames.length, 5);
    assert.equal(t.frameCount, 5);
    assert.deepEqual(frames[0], face(0));
    assert.deepEqual(frames[4], face(1));
    frames[1]!.forEach((v, i) => assert.ok(Math.abs(v - (face(0)[i]! * 0.75 + face(1)[i]! * 0.25)) < 1e-6));
  });

  test('reordering changes the frame order; counts are clamped; one key cannot animate', () => {
    const t = new Timeline();
    const a = t.add(face(0), 2);
    const b = t.add(face(1), 3);
    const c = t.add(face(2));
    t.move(c.id, -5);
    assert.deepEqual(
      t.keys.map((k) => k.id),
      [c.id, a.id, b.id],
    );
    // The gaps stay where they were: 2 then 3 frames, whichever keys now sit around them.
    assert.deepEqual(
      t.keys.slice(0, 2).map((k) => k.framesToNext),
      [2, 3],
    );
    assert.equal(t.frameCount, 1 + 2 + 3);
    assert.equal(t.frames().length, t.frameCount);
    assert.deepEqual(t.frames()[0], face(2));
    t.setFramesToNext(a.id, 0);
    assert.equal(t.keys[1]!.framesToNext, 1);
    t.setFramesToNext(a.id, 10_000);
    assert.equal(t.keys[1]!.framesToNext, 120);
    t.remove(a.id);
    t.remove(b.id);
    assert.throws(() => t.frames(), /two keys/);
  });
});
