import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readDataCache } from '../../src/data/cache.js';
import { applyPreset, computePresets, presetDisplacement } from '../../src/transfer/presets.js';
import { readPresets, writePresets } from '../../src/transfer/presetsFile.js';
import { MimicError } from '../../src/util/errors.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/paths.js';

const FIXTURE = new URL('../fixtures/eval/frl-mini', import.meta.url).pathname;

test('presets are the per-label means of the data set, and smiling widens the mouth', async () => {
  const cache = await readDataCache(FIXTURE);
  const presets = computePresets(cache, FIXTURE);
  assert.deepEqual(Object.keys(presets.presets), ['neutral', 'smile']);
  assert.equal(presets.presets.smile!.count, 4);
  // mean of x of point 0 over the neutral items, by hand
  const neutralItems = cache.manifest.items.filter((i) => i.expression === 'neutral');
  const meanX0 = neutralItems.reduce((s, i) => s + cache.landmarks[i.index * 136]!, 0) / neutralItems.length;
  assert.ok(Math.abs(presets.presets.neutral!.mean[0]! - meanX0) < 1e-4);
  // smile − neutral: the mouth corners (48 right, 54 left) move apart and up
  const d = presetDisplacement(presets, 'smile');
  assert.ok(d[2 * 48]! < 0 && d[2 * 54]! > 0, 'corners move outward');
  assert.ok(d[2 * 48 + 1]! < 0 && d[2 * 54 + 1]! < 0, 'corners move up');
});

test('--strongest keeps the stronger share of a label: a broader smile than the whole mean', async () => {
  const cache = await readDataCache(FIXTURE);
  const all = computePresets(cache, FIXTURE);
  const strong = computePresets(cache, FIXTURE, { strongest: 0.5 });
  assert.equal(strong.presets.smile!.count, 2);
  assert.match(strong.presets.smile!.selection!, /the strongest 2 of 4/);
  assert.deepEqual(strong.presets.neutral, all.presets.neutral);
  const width = (d: Float32Array): number => d[2 * 54]! - d[2 * 48]!;
  const rise = (d: Float32Array): number => -(d[2 * 48 + 1]! + d[2 * 54 + 1]!);
  const dAll = presetDisplacement(all, 'smile');
  const dStrong = presetDisplacement(strong, 'smile');
  assert.ok(width(dStrong) + rise(dStrong) > width(dAll) + rise(dAll), 'the stronger half smiles more');
  assert.throws(() => computePresets(cache, FIXTURE, { strongest: 0 }), /strongest share/);
});

test('a preset at intensity t adds t × its displacement; neutral pulls toward the neutral mean', async () => {
  const presets = computePresets(await readDataCache(FIXTURE), FIXTURE);
  const input = Float32Array.from({ length: 136 }, (_, i) => Math.sin(i) * 0.5);
  assert.deepEqual(applyPreset(presets, input, 'smile', 0), input);
  const half = applyPreset(presets, input, 'smile', 0.5);
  const full = applyPreset(presets, input, 'smile', 1);
  const d = presetDisplacement(presets, 'smile');
  for (let i = 0; i < 136; i++) {
    assert.ok(Math.abs(full[i]! - input[i]! - d[i]!) < 1e-6);
    assert.ok(Math.abs(half[i]! - input[i]! - d[i]! / 2) < 1e-6);
  }
  const neutral = applyPreset(presets, input, 'neutral', 1);
  for (let i = 0; i < 136; i++) assert.ok(Math.abs(neutral[i]! - presets.presets.neutral!.mean[i]!) < 1e-6);
  assert.throws(
    () => applyPreset(presets, input, 'surprise'),
    /unknown expression "surprise".*neutral, smile/,
  );
  assert.throws(() => applyPreset(presets, input, 'smile', 1.6), MimicError);
  assert.throws(() => applyPreset(presets, input, 'constructor'), /unknown expression "constructor"/);
});

test('presets survive a write and read; a broken file is refused with its name', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const presets = computePresets(await readDataCache(FIXTURE), FIXTURE);
    const path = join(dir, 'presets.json');
    await writePresets(path, presets);
    assert.deepEqual(await readPresets(path), presets);
    await writePresets(path, { ...presets, presets: { neutral: { count: 1, mean: [1, 2] } } });
    await assert.rejects(readPresets(path), /presets\.json: preset "neutral" must have a "mean" of 136/);
    await assert.rejects(readPresets(join(dir, 'missing.json')), /cannot read presets .*ENOENT/);
  } finally {
    await cleanup();
  }
});

test('mimic presets writes presets.json from a data set and lists them', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const made = await runCli(['presets', '--data', FIXTURE, '--out', join(dir, 'presets.json')]);
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /smile: mean of 4 faces/);
    const listed = await runCli(['presets', '--list', '--model', dir]);
    assert.match(
      listed.stdout,
      /^neutral\s+data\s+the neutral mean of 4 faces .*\nsmile\s+data\s+mean displacement from neutral of 4 faces/,
    );
    const missing = await runCli(['presets', '--data', join(dir, 'nothing'), '--out', join(dir, 'p.json')]);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /not a prepared data set/);
  } finally {
    await cleanup();
  }
});
