import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { readDataCache } from '../../src/data/cache.js';
import { initBackend } from '../../src/engine/backend.js';
import { loadModelForEval } from '../../src/eval/modelGenerator.js';
import { DEFAULT_ALIGNMENT } from '../../src/face/align.js';
import { resolveModelConfig } from '../../src/model/config.js';
import { saveMimicModel } from '../../src/model/io.js';
import { buildMimicNetworks, disposeMimicNetworks } from '../../src/model/mimicModel.js';
import { Mimic } from '../../src/index.js';
import { computePresets, PRESETS_FILE } from '../../src/transfer/presets.js';
import { writePresets } from '../../src/transfer/presetsFile.js';
import { runCli } from '../helpers/cli.js';
import { sample, tempDir } from '../helpers/paths.js';

const FIXTURE = new URL('../fixtures/eval/frl-mini', import.meta.url).pathname;
const PHOTO = sample('canada-019f.jpg');

/** A tiny untrained model folder with presets: enough to check loading, shapes, files and messages. */
async function tinyModelFolder(dir: string): Promise<void> {
  await initBackend();
  const config = resolveModelConfig({
    generatorChannels: [4, 4, 4, 4],
    criticChannels: [4, 4, 4, 4],
    imageCodeSize: 8,
    landmarkEncoderUnits: [8],
    landmarkDecoderUnits: [8],
    landmarkCodeSize: 4,
  });
  const networks = buildMimicNetworks(config);
  await saveMimicModel(dir, {
    ...networks,
    config,
    alignment: DEFAULT_ALIGNMENT,
    labels: ['neutral', 'smile'],
    training: { steps: 0, data: 'none', fold: null, wallSeconds: 0 },
  });
  disposeMimicNetworks(networks);
  await writePresets(join(dir, PRESETS_FILE), computePresets(await readDataCache(FIXTURE), 'frl-mini'));
}

test('a model folder: the library and the CLI load it, write the photo, a GIF and an MP4', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const model = join(dir, 'model');
    await tinyModelFolder(model);
    const m = await Mimic.load(model);
    assert.deepEqual(Object.keys(m.presets!.presets), ['neutral', 'smile']);
    const result = await m.transfer(PHOTO, { expression: 'smile', intensity: 0.5 });
    assert.equal(result.crop.width, 64);
    assert.equal(result.photo.width, 675);
    // Every tensor of detection and generation is released: a second run leaves the count where it was.
    const tensors = tf.memory().numTensors;
    await m.animate(PHOTO, [{ own: true }, { expression: 'smile' }], { framesPerSegment: 2, output: 'crop' });
    assert.equal(tf.memory().numTensors, tensors);

    const out = join(dir, 'smile.jpg');
    const transfer = await runCli([
      'transfer',
      PHOTO,
      '--expression',
      'smile',
      '--model',
      model,
      '--out',
      out,
    ]);
    assert.equal(transfer.code, 0, transfer.stderr);
    const meta = await sharp(out).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 675, 900]);

    const gif = join(dir, 'a.gif');
    const mp4 = join(dir, 'a.mp4');
    const animate = await runCli([
      'animate',
      PHOTO,
      '--keys',
      'input,smile@0.8,input',
      '--frames',
      '3',
      '--edit',
      '1:mouthOpen=+2',
      '--model',
      model,
      '--out',
      gif,
      '--out',
      mp4,
    ]);
    assert.equal(animate.code, 0, animate.stderr);
    assert.match(animate.stdout, /7 frames of 384×512/);
    assert.equal((await sharp(gif, { pages: -1 }).metadata()).pages, 7);
    assert.doesNotMatch(animate.stderr, /same pose/);
    // Keys that are all one pose make a still animation: written, and said.
    const still = await runCli([
      'animate',
      PHOTO,
      '--keys',
      'input,input',
      '--frames',
      '2',
      '--model',
      model,
      '--out',
      join(dir, 'still.gif'),
    ]);
    assert.equal(still.code, 0, still.stderr);
    assert.match(still.stderr, /every key is the same pose, so every frame shows the same face/);

    const demo = await runCli(['demo', '--model', model, '--out-dir', join(dir, 'demo')]);
    assert.equal(demo.code, 0, demo.stderr);
    const demoGif = await sharp(join(dir, 'demo', 'demo.gif'), { pages: -1 }).metadata();
    assert.equal(demoGif.pages, 17, 'neutral → smile → neutral, 8 frames per segment');
    assert.equal((await sharp(join(dir, 'demo', 'demo-strip.png')).metadata()).width, 5 * 169);
  } finally {
    await cleanup();
  }
});

test('a model folder: unknown preset, no presets, missing network files are clear errors', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const model = join(dir, 'model');
    await tinyModelFolder(model);
    const out = join(dir, 'out.png');
    const unknown = await runCli([
      'transfer',
      PHOTO,
      '--expression',
      'toString',
      '--model',
      model,
      '--out',
      out,
    ]);
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /unknown expression "toString" \(known: neutral, smile, surprise, sad, .*, ooo\)/,
    );
    // The training run's folder instead of its model (dir holds model/ as runs/<name> does): said, for both.
    const run = await runCli(['transfer', PHOTO, '--expression', 'smile', '--model', dir, '--out', out]);
    assert.equal(run.code, 3);
    assert.ok(run.stderr.includes(`${dir} is a training run: its model is ${model}`), run.stderr);
    await assert.rejects(loadModelForEval(dir), (error: Error) =>
      error.message.includes(
        `${dir} is a training run: its model is ${model} (or score its newest checkpoint`,
      ),
    );
    // Two faces: the CLI says which one it used and how to pick the other; --face 1 edits the smaller one.
    const group = join(dir, 'group.png');
    await sharp({ create: { width: 720, height: 600, channels: 3, background: '#808080' } })
      .composite([
        { input: await sharp(PHOTO).resize(260).toBuffer(), left: 10, top: 120 },
        { input: await sharp(sample('canada-095m.jpg')).resize(400).toBuffer(), left: 300, top: 40 },
      ])
      .png()
      .toFile(group);
    const second = await runCli([
      'transfer',
      group,
      '--expression',
      'smile',
      '--face',
      '1',
      '--model',
      model,
      '--out',
      out,
    ]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /2 faces found; using face 1 — choose another with --face N/);
    const tooMany = await runCli([
      'transfer',
      group,
      '--expression',
      'smile',
      '--face',
      '4',
      '--model',
      model,
      '--out',
      join(dir, 'x.png'),
    ]);
    assert.equal(tooMany.code, 2);
    assert.match(tooMany.stderr, /out of range: 2 faces found/);

    await rm(join(model, PRESETS_FILE));
    const noPresets = await runCli([
      'transfer',
      PHOTO,
      '--expression',
      'smile',
      '--model',
      model,
      '--out',
      out,
    ]);
    assert.equal(noPresets.code, 3);
    assert.match(noPresets.stderr, /needs expression presets.*mimic presets --data/);
    await rm(join(model, 'generator', 'model.json'));
    const broken = await runCli(['transfer', PHOTO, '--edit', 'brows=+1', '--model', model, '--out', out]);
    assert.equal(broken.code, 3);
    assert.match(broken.stderr, /generator/);
    assert.doesNotMatch(broken.stderr, /\n\s+at /);
  } finally {
    await cleanup();
  }
});
