/**
 * The bundled model (models/default) on the bundled sample photos. Skipped, with a message, while the folder is
 * missing (a fresh training run has not produced it yet); once it is committed these run in CI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { meanAbsoluteDifference } from '../../src/eval/animation.js';
import { ssimGray } from '../../src/eval/ssim.js';
import { DEFAULT_MODEL_DIR, Mimic } from '../../src/index.js';
import { MODEL_MANIFEST } from '../../src/model/manifest.js';
import { sample } from '../helpers/paths.js';

const MODEL = process.env.MIMIC_TEST_MODEL ?? DEFAULT_MODEL_DIR;
const skip = existsSync(join(MODEL, MODEL_MANIFEST)) ? false : `no model at ${MODEL}`;

test('identity: the input with its own landmarks comes back close to the input face', { skip }, async () => {
  const m = await Mimic.load(MODEL);
  for (const name of ['canada-019f.jpg', 'canada-095m.jpg']) {
    const input = await m.prepare(sample(name));
    const [own, zero] = await m.generate(input, [
      input.landmarks,
      await m.targetLandmarks(input, { expression: 'smile', intensity: 0 }),
    ]);
    const similarity = ssimGray(own!, input.crop);
    const floor = identitySsimFloor(MODEL);
    assert.ok(
      similarity > floor,
      `${name}: SSIM ${similarity.toFixed(3)} of the identity output (floor ${floor})`,
    );
    assert.deepEqual(zero, own, 'intensity 0 is the identity');
  }
});

test('animation: neighbouring frames change far less than the end frames', { skip }, async () => {
  const m = await Mimic.load(MODEL);
  const { crops } = await m.animate(
    sample('canada-019f.jpg'),
    [{ own: true }, { expression: 'smile', edits: { mouthOpen: 3, mouthCorners: 1 } }],
    { framesPerSegment: 8, output: 'crop' },
  );
  const ends = meanAbsoluteDifference(crops[0]!, crops[8]!);
  const steps = crops.slice(1).map((f, k) => meanAbsoluteDifference(crops[k]!, f));
  assert.ok(ends > 1, `the end frames differ (${ends.toFixed(2)})`);
  assert.ok(
    Math.max(...steps) < ends / 2.5,
    `largest step ${Math.max(...steps).toFixed(2)}, ends ${ends.toFixed(2)}`,
  );
});

/**
 * How close the identity output must be. A warp-refine model (generatorBase "warped") has an identity warp as its
 * base and only repaints what it must: the shipped FRL model gives 0.996 and 0.998 on these two photos, so 0.95
 * catches a model that blurs the face. A repaint-everything generator (the paper's) gave 0.87 and 0.80; 0.7 there.
 */
function identitySsimFloor(dir: string): number {
  const manifest = JSON.parse(readFileSync(join(dir, MODEL_MANIFEST), 'utf8')) as {
    config?: { generatorBase?: string };
  };
  return manifest.config?.generatorBase === 'warped' ? 0.95 : 0.7;
}
