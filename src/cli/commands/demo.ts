/** `mimic demo`: the bundled photo smiles and relaxes again, as a GIF and a strip. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stripImage, writeAnimation } from '../../animate/encode.js';
import { resizeImage, writeImage } from '../../image/io.js';
import { createRgbImage, type RgbImage } from '../../image/rgbImage.js';
import type { Target } from '../../transfer/targets.js';
import { loadMimicFromFlags, pasteWorkerWanted } from '../mimicFlags.js';
import { checkOutputs } from '../../transfer/output.js';
import { MimicError } from '../../util/errors.js';
import type { CliCommand } from '../command.js';

export const DEMO_PHOTO = fileURLToPath(new URL('../../../assets/samples/canada-019f.jpg', import.meta.url));
/**
 * The sample face is neutral: its own landmarks are the neutral keys (the neutral preset would also pull its face
 * shape toward the average face). The smile is the FRL smile preset with the mouth corners lifted and widened a
 * little more by hand: the mean of 102 smiles (closed and open) moves the corners by only about one crop pixel,
 * too little to see at a glance in a demo.
 */
const DEMO_KEYS: Target[] = [
  { own: true },
  { expression: 'smile', edits: { mouthCorners: 1.5, mouthWidth: 1 } },
  { own: true },
];
const FRAMES_PER_SEGMENT = 8;

const GIF_SIDE = 400;
/** Strip frames: the aligned crop's framing is loose (hair, shoulders); the strip shows its central face part. */
const STRIP_VIEW_SIZE = 256;
const STRIP_WINDOW = { left: 0.17, top: 0.14, width: 0.66, height: 0.78 };

const usage = `Usage: mimic demo [--out-dir DIR] [--photo PHOTO] [--model DIR] [--backend B]

Animates the bundled sample photo from neutral to a smile and back, with the bundled model, and writes
  DIR/demo.gif        the animation (the whole photo)
  DIR/demo-strip.png  the face going from neutral to the smile (every second frame), side by side
  --out-dir DIR   where to write (default mimic-out)
  --photo PHOTO   another photo instead of ${'assets/samples/canada-019f.jpg'}`;

export const command: CliCommand = {
  name: 'demo',
  summary: 'animate the bundled sample photo: neutral → smile → neutral (GIF and strip)',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'out-dir': { type: 'string' },
        photo: { type: 'string' },
        model: { type: 'string' },
        backend: { type: 'string' },
      },
    });
    if (positionals.length > 0) throw new MimicError(`mimic demo takes no arguments\n\n${usage}`);
    const dir = values['out-dir'] ?? 'mimic-out';
    const gifPath = join(dir, 'demo.gif');
    const stripPath = join(dir, 'demo-strip.png');
    const photo = values.photo ?? DEMO_PHOTO;
    await checkOutputs([gifPath, stripPath], [photo]);
    const started = Date.now();
    const mimic = await loadMimicFromFlags(values);
    // One animation at full resolution; the GIF scales it down, the strip takes the face region of its first half.
    const { frames, input } = await mimic.animate(photo, DEMO_KEYS, {
      framesPerSegment: FRAMES_PER_SEGMENT,
      maxSide: Infinity,
      pasteWorker: pasteWorkerWanted(),
    });
    if (input.notice) console.error(input.notice);
    const scale = Math.min(1, GIF_SIDE / Math.max(input.photo.width, input.photo.height));
    const width = Math.round(input.photo.width * scale);
    const height = Math.round(input.photo.height * scale);
    const small = await Promise.all(frames.map((f) => resizeImage(f, width, height)));
    await writeAnimation(gifPath, small, 12);
    const strip = stripImage(
      frames
        .filter((_, k) => k % 2 === 0 && k <= FRAMES_PER_SEGMENT)
        .map((f) => cropWindow(mimic.faceView(f, input.toCrop, STRIP_VIEW_SIZE), STRIP_WINDOW)),
    );
    await writeImage(stripPath, strip);
    console.log(`${gifPath}\n${stripPath}\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return 0;
  },
};

function cropWindow(
  image: RgbImage,
  window: { left: number; top: number; width: number; height: number },
): RgbImage {
  const x0 = Math.round(window.left * image.width);
  const y0 = Math.round(window.top * image.height);
  const width = Math.round(window.width * image.width);
  const height = Math.round(window.height * image.height);
  const out = createRgbImage(width, height);
  for (let y = 0; y < height; y++)
    out.data.set(
      image.data.subarray(((y0 + y) * image.width + x0) * 3, ((y0 + y) * image.width + x0 + width) * 3),
      y * width * 3,
    );
  return out;
}
