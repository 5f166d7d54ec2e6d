// The warp paste makes the face view the mouth interior is painted on only when one is painted, and only around the
// mouth (and the eyes, for closed eyelids) (pasteModes.ts): its output must be the whole view's, byte for byte, on
// real faces small and large in the photo, with and without a mouth interior or lids, with the ratio images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR, Mimic } from '../../src/index.js';
import { decodeImage, resizeImage } from '../../src/image/io.js';
import { denormalizeLandmarks, unflattenLandmarks } from '../../src/face/landmarks.js';
import { MODEL_MANIFEST } from '../../src/model/manifest.js';
import { MOUTH_BANK_FILE } from '../../src/face/mouthBankFile.js';
import { pasteInMode, type PasteInput } from '../../src/transfer/pasteModes.js';
import type { Target } from '../../src/transfer/targets.js';
import { sample } from '../helpers/paths.js';

const MODEL = process.env.MIMIC_TEST_MODEL ?? DEFAULT_MODEL_DIR;
const skip =
  existsSync(join(MODEL, MODEL_MANIFEST)) && existsSync(join(MODEL, MOUTH_BANK_FILE))
    ? false
    : `no model with a mouth bank at ${MODEL}`;

test(
  'warp paste: the mouth’s face view made only around the mouth gives the whole view’s output',
  { skip },
  async () => {
    const m = await Mimic.load(MODEL);
    const size = m.alignment.size;
    const toPixels = (flat: Float32Array) => denormalizeLandmarks(unflattenLandmarks(flat), size);
    let painted = 0;
    for (const [name, longSide] of [
      ['canada-019f.jpg', 512], // the face at about 5× the crop: an animation frame
      ['cc0-lisa1.jpg', 2400], // a face over 8× the crop: the view is enlarged before the blend
      ['astronaut.png', 300],
    ] as const) {
      const decoded = await decodeImage(sample(name));
      const f = longSide / Math.max(decoded.width, decoded.height);
      const photo = await resizeImage(decoded, Math.round(decoded.width * f), Math.round(decoded.height * f));
      const input = await m.prepare(photo);
      const targets: Target[] = [
        { expression: 'aaa' },
        { expression: 'smile', edits: { mouthOpen: 3 } },
        { expression: 'surprise' },
        { expression: 'blink' }, // closed eyelids: the view made only around the eyes
        { expression: 'aaa', au: { L46: 1 } }, // the mouth and one eye: one view around both
      ];
      for (const target of targets) {
        const landmarks = await m.targetLandmarks(input, target);
        const [generated, generatedOwn] = await m.generate(input, [landmarks, input.landmarks]);
        const p: PasteInput = {
          photo: input.photo,
          toCrop: input.toCrop,
          inputCrop: input.crop,
          own: toPixels(input.landmarks),
          target: toPixels(landmarks),
          generated,
          generatedOwn,
          resize: resizeImage,
          ...(m.mouthBank ? { mouth: { bank: m.mouthBank } } : {}),
          ratios: [...m.ratioImages.values()],
        };
        const regional = await pasteInMode('warp', p);
        const whole = await pasteInMode('warp', { ...p, wholeView: true });
        assert.deepEqual(regional.data, whole.data, `${name} at ${longSide} px, ${JSON.stringify(target)}`);
        if (!Buffer.from(whole.data).equals(Buffer.from(input.photo.data))) painted++;
      }
    }
    assert.equal(
      painted,
      15,
      'every paste changed the photo (the comparison is not between two unchanged photos)',
    );
  },
);
