import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyKeyEdits, parseKeys } from '../../src/cli/keys.js';
import { tempDir } from '../helpers/paths.js';
import { syntheticFace } from '../helpers/syntheticFace.js';

test('keys: input, presets with intensities, photos and landmark files', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = join(dir, 'pose.json');
    // A face (the file is checked for a plausible geometry), in normalized crop coordinates.
    const points = syntheticFace(64).map(([x, y]) => [x / 32 - 1, y / 32 - 1]);
    await writeFile(
      file,
      JSON.stringify({ scheme: 'ibug68', space: 'normalized', imageSize: { width: 64, height: 64 }, points }),
    );
    const keys = await parseKeys(`input, smile@0.25,neutral,friend.JPG,${file}`, 'absolute');
    assert.deepEqual(keys.slice(0, 4), [
      { own: true },
      { expression: 'smile', intensity: 0.25 },
      { expression: 'neutral' },
      { like: 'friend.JPG', mode: 'absolute' },
    ]);
    assert.ok('landmarks' in keys[4]! && keys[4].landmarks.points.length === 68);
    await assert.rejects(parseKeys('input,smile@x'), /intensity must be a number from 0 to 1/);
    await assert.rejects(parseKeys('input,"smile"'), /is not a preset name/);
    await assert.rejects(parseKeys('input,missing.json'), /cannot read landmark file missing\.json/);
    // An empty key would shift the numbers --edit and --au count keys by: refused, but a trailing comma is not.
    await assert.rejects(parseKeys('input,,smile'), /key 1 is empty/);
    await assert.rejects(parseKeys(',input,smile'), /key 0 is empty/);
    assert.equal((await parseKeys('input,smile,')).length, 2);
  } finally {
    await cleanup();
  }
});

test('per-key edits land on the key they name and add up when repeated', () => {
  const keys = applyKeyEdits(
    [{ own: true }, { expression: 'smile' }],
    ['1:mouthCorners=+2,eyelids=-1', '1:mouthCorners=+1', '0:brows=0.5'],
  );
  assert.deepEqual(keys, [
    { own: true, edits: { brows: 0.5 } },
    { expression: 'smile', edits: { mouthCorners: 3, eyelids: -1 } },
  ]);
  assert.throws(() => applyKeyEdits(keys, ['mouthCorners=+2']), /must look like KEY:name=amount/);
});
