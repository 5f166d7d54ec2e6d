// An animation's frames pasted partly in a worker thread (AnimateOptions.pasteWorker, src/transfer/pasteWorker.ts)
// are the frames this thread pastes, byte for byte, in their places.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRgbImage, type RgbImage } from '../../src/image/rgbImage.js';
import type { Affine } from '../../src/geometry/affine.js';
import { Mimic } from '../../src/transfer/mimic.js';
import { pasteInMode } from '../../src/transfer/pasteModes.js';
import { PasteHelper } from '../../src/transfer/pasteWorker.js';
import { Rng } from '../../src/util/random.js';
import { sample } from '../helpers/paths.js';
import { syntheticFace } from '../helpers/syntheticFace.js';

function noise(rng: Rng, width: number, height: number): RgbImage {
  const image = createRgbImage(width, height);
  for (let i = 0; i < image.data.length; i++) image.data[i] = Math.floor(rng.uniform(0, 256));
  return image;
}

test('PasteHelper: frames the worker thread pastes are the frames pasteInMode gives here, in their places', async () => {
  const rng = new Rng(3);
  const own = syntheticFace(64);
  const toCrop: Affine = [0.25, 0.02, -10, -0.02, 0.25, -8];
  const shared = {
    photo: noise(rng, 320, 300),
    toCrop,
    inputCrop: noise(rng, 64, 64),
    own,
    generatedOwn: noise(rng, 64, 64),
  };
  const frames = [1, 2, 3, 4, 5, 6].map((amount) => ({
    target: own.map(([x, y], i): [number, number] => (i >= 48 ? [x + amount * 0.7, y + amount] : [x, y])),
    generated: noise(rng, 64, 64),
  }));
  const expected = await Promise.all(
    frames.map((frame) =>
      pasteInMode('warp', { ...shared, ...frame, resize: () => assert.fail('no scaling') }),
    ),
  );
  const helper = PasteHelper.start();
  try {
    assert.equal(await helper.ready, true);
    const pastedHere: number[] = [];
    // This thread is slow here (a pause before each frame), so the worker takes frames while it waits.
    const pasted = await helper.paste(shared, frames, async (k) => {
      pastedHere.push(k);
      await new Promise((resolve) => setTimeout(resolve, 400));
      return expected[k]!;
    });
    assert.ok(pastedHere.length < frames.length, 'the worker pasted some frames');
    assert.equal(pasted.length, frames.length);
    for (const [k, frame] of pasted.entries())
      assert.ok(Buffer.from(frame.data).equals(Buffer.from(expected[k]!.data)), `frame ${k}`);
  } finally {
    helper.stop();
  }
});

test('an animation pasted partly in a worker thread has exactly the frames pasted here', async () => {
  const mimic = await Mimic.load();
  try {
    // an open mouth and a blink: the mouth interior and the painted lids go through the worker too
    const keys = [{ own: true }, { expression: 'aaa' }, { expression: 'blink' }] as const;
    const options = { framesPerSegment: 3, maxSide: 320 };
    const here = await mimic.animate(sample('cc0-lisa1.jpg'), [...keys], options);
    const split = await mimic.animate(sample('cc0-lisa1.jpg'), [...keys], { ...options, pasteWorker: true });
    assert.equal(split.frames.length, 7);
    assert.equal(split.frames.length, here.frames.length);
    for (const [k, frame] of split.frames.entries()) {
      assert.equal(frame.width, here.frames[k]!.width);
      assert.equal(frame.height, here.frames[k]!.height);
      assert.ok(Buffer.from(frame.data).equals(Buffer.from(here.frames[k]!.data)), `frame ${k}`);
    }
    // the frames differ from one another: a misplaced frame would be caught
    assert.ok(!Buffer.from(split.frames[1]!.data).equals(Buffer.from(split.frames[2]!.data)));
  } finally {
    mimic.dispose();
  }
});
