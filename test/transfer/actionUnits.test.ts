import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readDataCache } from '../../src/data/cache.js';
import { parseKey } from '../../src/cli/keys.js';
import { applyKeyActionUnits } from '../../src/cli/keys.js';
import {
  actionUnitDisplacement,
  interocularOf,
  LID_CLOSURE_LIMIT,
  parseActionUnits,
  validateActionUnits,
} from '../../src/transfer/actionUnits.js';
import { parseEdits } from '../../src/transfer/edits.js';
import {
  AU_PRESETS,
  applyExpression,
  expressionNames,
  presetActionUnits,
} from '../../src/transfer/expressionCatalogue.js';
import { computePresets } from '../../src/transfer/presets.js';
import { writePresets } from '../../src/transfer/presetsFile.js';
import { resolveTarget, type TargetContext } from '../../src/transfer/targets.js';
import { DEFAULT_ALIGNMENT } from '../../src/face/align.js';
import { DEFAULT_MODEL_DIR } from '../../src/transfer/defaultModel.js';
import { MimicError } from '../../src/util/errors.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/paths.js';

const FIXTURE = new URL('../fixtures/eval/frl-mini', import.meta.url).pathname;

/** A real aligned face: the first neutral item of the FRL fixture (normalized coordinates). */
async function neutralFace(): Promise<Float32Array> {
  const cache = await readDataCache(FIXTURE);
  const item = cache.manifest.items.find((i) => i.expression === 'neutral')!;
  return cache.landmarks.slice(item.index * 136, item.index * 136 + 136);
}

const y = (flat: ArrayLike<number>, p: number): number => flat[2 * p + 1]!;
const x = (flat: ArrayLike<number>, p: number): number => flat[2 * p]!;

test('--au lists parse into canonical AU keys; FACS spellings and one-sided codes are understood', () => {
  assert.deepEqual(
    [...parseActionUnits('12=0.8,6=0.5')],
    [
      ['12', 0.8],
      ['6', 0.5],
    ],
  );
  assert.deepEqual(
    [...parseActionUnits(' AU12 = 1 , r12=.25,L46=1.5')],
    [
      ['12', 1],
      ['R12', 0.25],
      ['L46', 1.5],
    ],
  );
  // The same AU twice adds up, capped at 1.5.
  assert.deepEqual([...parseActionUnits('12=1,AU12=1')], [['12', 1.5]]);
});

test('bad --au lists are refused with one line that says what is valid', () => {
  const refuses = (text: string, message: RegExp): void => {
    assert.throws(
      () => parseActionUnits(text),
      (e: unknown) => e instanceof MimicError && message.test(e.message) && !e.message.includes('\n'),
      text,
    );
  };
  refuses('99=1', /unknown action unit "99" \(known: 1, 2, 4, 5, 6, 7, 9, 10, 12, .*46/);
  refuses('12=2', /action unit 12: intensity must be a number from 0 to 1\.5 \(got 2\)/);
  refuses('12=-0.5', /action unit 12: intensity must be a number from 0 to 1\.5 \(got -0\.5\)/);
  refuses('12', /must look like 12=0\.8/);
  refuses('12=abc', /must look like 12=0\.8/);
  refuses('12=0.5,,6=1', /must look like 12=0\.8/);
  refuses('', /--au needs a list such as 12=0\.8,6=0\.5/);
  refuses('46=1', /action unit 46 \(wink\) is one-sided: write R46 or L46/);
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
    refuses(`${name}=1`, new RegExp(`unknown action unit "${name}"`));
  // The library's object form is checked the same way.
  assert.throws(() => validateActionUnits({ constructor: 1 }), /unknown action unit "constructor"/);
  assert.throws(() => validateActionUnits({ 12: 1.6 }), /from 0 to 1\.5/);
  assert.throws(
    () => validateActionUnits(JSON.parse('{"__proto__": 1}') as Record<string, number>),
    /unknown action unit "__proto__"/,
  );
});

test('names inherited from Object.prototype are unknown presets and edits, never a crash', async () => {
  const presets = computePresets(await readDataCache(FIXTURE), FIXTURE);
  const face = await neutralFace();
  for (const name of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'])
    for (const p of [presets, undefined])
      assert.throws(
        () => applyExpression(p, face, name),
        (e: unknown) =>
          e instanceof MimicError &&
          e.message.startsWith(`unknown expression "${name}" (known: `) &&
          e.message.includes('surprise, sad, angry'),
      );
  for (const name of ['constructor', '__proto__', 'toString'])
    assert.throws(() => parseEdits(`${name}=+1`), new RegExp(`landmark edit "${name}`));
});

test('AU 12 lifts and widens the mouth corners, one-sided R12 only the right one, and AUs add up', async () => {
  const face = await neutralFace();
  const iod = interocularOf(face);
  const d12 = actionUnitDisplacement(face, new Map([['12', 1]]));
  // 48 = the person's right corner (image left), 54 the left one; image y grows downward.
  assert.ok(y(d12, 48) < -0.08 * iod && y(d12, 54) < -0.08 * iod, 'both corners up by about 0.1 IOD');
  assert.ok(x(d12, 48) < -0.08 * iod && x(d12, 54) > 0.08 * iod, 'both corners outward');
  assert.ok(Math.abs(y(d12, 48) - y(d12, 54)) < 1e-6, 'symmetric');
  const r12 = actionUnitDisplacement(face, new Map([['R12', 1]]));
  assert.ok(y(r12, 48) < -0.08 * iod, 'R12 lifts the right corner');
  assert.equal(y(r12, 54), 0, 'R12 leaves the left corner');
  // Composition is the sum of the parts (no eyelid limit reached here).
  const d6 = actionUnitDisplacement(face, new Map([['6', 0.5]]));
  const both = actionUnitDisplacement(
    face,
    new Map([
      ['12', 1],
      ['6', 0.5],
    ]),
  );
  for (let i = 0; i < 136; i++) assert.ok(Math.abs(both[i]! - d12[i]! - d6[i]!) < 1e-6, `coordinate ${i}`);
  // Scaled to the face: the same AU on a face twice the size moves twice as far.
  const big = face.map((v) => v * 2);
  const dBig = actionUnitDisplacement(big, new Map([['12', 1]]));
  for (let i = 0; i < 136; i++) assert.ok(Math.abs(dBig[i]! - 2 * d12[i]!) < 1e-5);
});

test('eyelid AUs close an eye by a share of its own opening and never push one lid through the other', async () => {
  const face = await neutralFace();
  const gap = (flat: ArrayLike<number>, top: number, bottom: number): number =>
    y(flat, bottom) - y(flat, top);
  const closed = applyExpression(undefined, face, 'blink', 1);
  for (const [top, bottom] of [
    [37, 41],
    [38, 40],
    [43, 47],
    [44, 46],
  ] as const) {
    const before = gap(face, top, bottom);
    const after = gap(closed, top, bottom);
    assert.ok(after > 0 && after < 0.15 * before, `pair ${top}/${bottom}: ${before} → ${after}`);
  }
  // Everything that closes the eye at once, at the top intensity: still at most LID_CLOSURE_LIMIT of the gap.
  const all = new Map([
    ['45', 1.5],
    ['44', 1.5],
    ['7', 1.5],
    ['6', 1.5],
    ['4', 1.5],
  ]);
  const squeezed = Float32Array.from(face, (v, i) => v + actionUnitDisplacement(face, all)[i]!);
  for (const [top, bottom] of [
    [37, 41],
    [44, 46],
  ] as const)
    assert.ok(gap(squeezed, top, bottom) >= (1 - LID_CLOSURE_LIMIT) * gap(face, top, bottom) - 1e-6);
  // A wink closes one eye only: L46 is the person's left eye, points 42–47.
  const wink = applyExpression(undefined, face, 'wink-left');
  assert.ok(gap(wink, 43, 47) < 0.15 * gap(face, 43, 47));
  assert.equal(gap(wink, 37, 41), gap(face, 37, 41));
});

test('emotion presets follow their AU table and scale with intensity (0..1.5)', async () => {
  const face = await neutralFace();
  assert.deepEqual(
    [...presetActionUnits(undefined, 'surprise')].map(([k]) => k),
    ['1', '2', '5', '25', '26'],
  );
  assert.deepEqual([...presetActionUnits(undefined, 'sadness')].map(([k]) => k).slice(0, 3), [
    '1',
    '4',
    '15',
  ]);
  const surprise = applyExpression(undefined, face, 'surprise');
  assert.ok(y(surprise, 19) < y(face, 19), 'brows up');
  assert.ok(
    y(surprise, 66) - y(surprise, 62) > y(face, 66) - y(face, 62) + 0.1 * interocularOf(face),
    'mouth open',
  );
  const sad = applyExpression(undefined, face, 'sad');
  assert.ok(y(sad, 48) > y(face, 48) && y(sad, 54) > y(face, 54), 'sad: corners down');
  const angry = applyExpression(undefined, face, 'angry');
  assert.ok(y(angry, 21) > y(face, 21) && x(angry, 21) > x(face, 21), 'angry: inner brow down and inward');
  // Anger's mouth is open and squarish: the upper lip raised (AU10), the lips apart.
  assert.ok(y(angry, 51) < y(face, 51) - 0.03 * interocularOf(face), 'angry: upper lip raised');
  assert.ok(
    y(angry, 66) - y(angry, 62) > y(face, 66) - y(face, 62) + 0.1 * interocularOf(face),
    'angry: open',
  );
  // AU24 presses the lips: both lips' red thinner, the mouth as wide as before (AU23 narrows it).
  const pressed = Float32Array.from(
    face,
    (v, i) => v + actionUnitDisplacement(face, new Map([['24', 1]]))[i]!,
  );
  const redHeight = (f: ArrayLike<number>): number => y(f, 62) - y(f, 51) + (y(f, 57) - y(f, 66));
  assert.ok(redHeight(pressed) < redHeight(face) - 0.06 * interocularOf(face), 'AU24: lips pressed thinner');
  assert.equal(x(pressed, 54) - x(pressed, 48), x(face, 54) - x(face, 48), 'AU24: as wide');
  // Intensity is linear (no limit reached) and 1.5 is allowed; beyond it is refused.
  const half = applyExpression(undefined, face, 'sad', 0.5);
  const more = applyExpression(undefined, face, 'sad', 1.5);
  for (let i = 0; i < 136; i++) {
    assert.ok(Math.abs(half[i]! - face[i]! - (sad[i]! - face[i]!) / 2) < 1e-6);
    assert.ok(Math.abs(more[i]! - face[i]! - 1.5 * (sad[i]! - face[i]!)) < 1e-6);
  }
  for (const bad of [1.6, -0.1, Number.NaN])
    assert.throws(
      () => applyExpression(undefined, face, 'sad', bad),
      /intensity must be a number from 0 to 1\.5/,
    );
  assert.deepEqual(applyExpression(undefined, face, 'surprise', 0), face);
  // Every AU preset stays a plausible face: no point moves more than 0.4 IOD at intensity 1.5.
  for (const preset of AU_PRESETS) {
    const out = applyExpression(undefined, face, preset.name, 1.5);
    for (let p = 0; p < 68; p++)
      assert.ok(
        Math.hypot(x(out, p) - x(face, p), y(out, p) - y(face, p)) < 0.4 * interocularOf(face) + 1e-6,
        `${preset.name} point ${p}`,
      );
  }
});

test('a target combines a preset and extra AUs; AUs alone act on the input face', async () => {
  const face = await neutralFace();
  const presets = computePresets(await readDataCache(FIXTURE), FIXTURE);
  const context: TargetContext = {
    alignment: DEFAULT_ALIGNMENT,
    input: face,
    presets,
    landmarksOfPhoto: () => Promise.reject(new Error('not used')),
  };
  const smile = await resolveTarget({ expression: 'smile' }, context);
  const smileBlink = await resolveTarget({ expression: 'smile', au: { 45: 1 } }, context);
  const blink = actionUnitDisplacement(face, new Map([['45', 1]]));
  for (let i = 0; i < 136; i++) assert.ok(Math.abs(smileBlink[i]! - smile[i]! - blink[i]!) < 1e-6);
  // surprise@0.5 + 26=0.5: the jaw drop adds to the preset's own AU26.
  const combined = await resolveTarget({ expression: 'surprise', intensity: 0.5, au: { 26: 0.5 } }, context);
  const byHand = applyExpression(presets, face, 'surprise', 0.5, new Map([['26', 0.5]]));
  assert.deepEqual(combined, byHand);
  const alone = await resolveTarget({ own: true, au: { R12: 1 } }, context);
  assert.ok(y(alone, 48) < y(face, 48) && y(alone, 54) === y(face, 54));
  await assert.rejects(resolveTarget({ own: true, au: { 13: 1 } }, context), /unknown action unit "13"/);
  // AU presets need no presets.json; the data presets say that they do.
  const bare = { ...context, presets: undefined };
  assert.ok((await resolveTarget({ expression: 'fear' }, bare)).length === 136);
  await assert.rejects(resolveTarget({ expression: 'smile' }, bare), /needs expression presets/);
});

test('animate keys: preset@intensity up to 1.5, --au per key, clear errors', async () => {
  assert.deepEqual(await parseKey('surprise@0.7'), { expression: 'surprise', intensity: 0.7 });
  assert.deepEqual(await parseKey('smile@1.5'), { expression: 'smile', intensity: 1.5 });
  await assert.rejects(parseKey('smile@2'), /key "smile@2": intensity must be a number from 0 to 1\.5/);
  await assert.rejects(parseKey('smile@'), /intensity must be a number/);
  const keys = applyKeyActionUnits([{ own: true }, { expression: 'sad' }], ['1:12=0.5', '1:12=0.5,6=1']);
  assert.deepEqual(keys[1], { expression: 'sad', au: { 12: 1, 6: 1 } });
  assert.equal(keys[0]!.au, undefined);
  assert.throws(() => applyKeyActionUnits(keys, ['2:12=1']), /there is no key 2/);
  assert.throws(() => applyKeyActionUnits(keys, ['12=1']), /must look like KEY:AU=intensity/);
});

test('mimic presets --list shows every preset with its AUs, with or without presets.json', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const withData = join(dir, 'with');
    await writePresets(join(withData, 'presets.json'), computePresets(await readDataCache(FIXTURE), FIXTURE));
    const listed = await runCli(['presets', '--list', '--model', withData]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^neutral\s+data\s+the neutral mean of 4 faces/m);
    assert.match(listed.stdout, /^smile\s+data\s+mean displacement from neutral of 4 faces/m);
    assert.match(
      listed.stdout,
      /^surprise\s+AUs\s+AU 1@1\.2\+2@1\.2\+5\+25@0\.5\+26@1\.1; EMFACS 1\+2\+5B\+26/m,
    );
    assert.match(listed.stdout, /^contempt\s+AUs\s+AU R12\+R14; EMFACS R12A\+R14A/m);
    for (const name of expressionNames(undefined))
      assert.match(listed.stdout, new RegExp(`^${name}\\s`, 'm'));
    assert.match(listed.stdout, /^\s+26\s+jaw drop: /m);
    assert.match(listed.stdout, /^also accepted \(names ignore case\): happy = smile, .*anger = angry/m);
    // A model without presets.json (its manifest alone here) still has the action-unit presets.
    const bareModel = join(dir, 'bare');
    await mkdir(bareModel);
    await copyFile(join(DEFAULT_MODEL_DIR, 'mimic-model.json'), join(bareModel, 'mimic-model.json'));
    const bare = await runCli(['presets', '--list', '--model', bareModel]);
    assert.equal(bare.code, 0, bare.stderr);
    assert.doesNotMatch(bare.stdout, /^smile/m);
    assert.match(bare.stdout, /^wink-left\s+AUs\s+AU L46/m);
    // A folder with neither (a typo) is no model; nor are presets measured with another alignment than the model's.
    const nowhere = await runCli(['presets', '--list', '--model', join(dir, 'nope')]);
    assert.equal(nowhere.code, 3);
    assert.match(nowhere.stderr, /no model at .*nope \(neither mimic-model\.json nor presets\.json\)/);
    const otherModel = join(dir, 'other');
    await mkdir(otherModel);
    const manifest = JSON.parse(await readFile(join(bareModel, 'mimic-model.json'), 'utf8'));
    manifest.alignment.mode = 'affine3'; // the fixture is aligned by similarity
    await writeFile(join(otherModel, 'mimic-model.json'), JSON.stringify(manifest));
    const other = await runCli(['presets', '--data', FIXTURE, '--out', join(otherModel, 'presets.json')]);
    assert.equal(other.code, 2, other.stderr);
    assert.match(
      other.stderr,
      /is aligned similarity at 64 px, the model in .*other affine3 at 64 px: presets measured from it would not fit/,
    );
    assert.ok(!existsSync(join(otherModel, 'presets.json')), 'nothing written');
    // Such presets put there by other means are not listed as if a transfer could use them.
    await writePresets(
      join(otherModel, 'presets.json'),
      computePresets(await readDataCache(FIXTURE), FIXTURE),
    );
    const mismatched = await runCli(['presets', '--list', '--model', otherModel]);
    assert.equal(mismatched.code, 3);
    assert.match(mismatched.stderr, /measured with another alignment than the model's/);
  } finally {
    await cleanup();
  }
});
