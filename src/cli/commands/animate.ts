/** `mimic animate`: an expression change through key frames, every frame generated from the same photo. */
import { parseArgs } from 'node:util';
import { animationFormatFromPath, writeAnimation } from '../../animate/encode.js';
import { applyKeyActionUnits, applyKeyEdits, keyFiles, parseKeys } from '../keys.js';
import { distinctFrames } from '../../face/repeatedFrames.js';
import { MAX_INTENSITY } from '../../transfer/actionUnits.js';
import {
  loadMimicFromFlags,
  MODEL_FLAGS,
  modelFlagsUsage,
  parseFaceFlag,
  parseModeFlag,
  parsePasteFlag,
  pasteWorkerWanted,
} from '../mimicFlags.js';
import { DEFAULT_FACE_SIZE, DEFAULT_FRAMES_PER_SEGMENT, DEFAULT_MAX_SIDE } from '../../transfer/mimic.js';
import { checkOutputs } from '../../transfer/output.js';
import { MimicError } from '../../util/errors.js';
import type { CliCommand } from '../command.js';
import { parseIntFlag, parseNumberFlag, requireOne } from '../options.js';

const DEFAULT_FPS = 12;

const usage = `Usage: mimic animate <photo> --keys K1,K2,… --out anim.gif|anim.mp4|strip.png [options]

Animates the face in <photo> through key expressions; frames between two keys interpolate the landmarks linearly.
Keys (comma-separated):
  input            the photo's own landmarks (no change)
  smile, sad@0.5   a preset at an intensity 0..${MAX_INTENSITY} (default 1; above 1 exaggerates): neutral, smile,
                   surprise, sad, angry, fear, disgust, contempt, blink, wink-left, wink-right, brows-raised,
                   brows-lowered, squint, aaa, eee, ooo (mimic presets --list)
  other.jpg        the expression of the face in another photo (.jpg .jpeg .png .webp .gif .tif .tiff .avif)
  pose.json        a landmark file
Options:
  --out FILE       .gif (loops), .mp4 (H.264) or .png (all frames side by side); repeat --out for several files.
                   An MP4 enlarges frames under 256 px (by a whole factor) and pads odd sides by a pixel
  --frames N       frames per segment between two keys (default ${DEFAULT_FRAMES_PER_SEGMENT}); K keys give (K−1)·N+1 frames
  --fps F          frames per second (default ${DEFAULT_FPS})
  --edit K:EDITS   hand edits of key K (counting from 0) in crop pixels, repeatable, e.g.
                   --edit 1:mouthCorners=+2,eyelids=-1 (eyelids, lowerEyelids, brows, mouthCorners, mouthWidth,
                   mouthOpen; positive = up / open / wider)
  --au K:LIST      facial action units added to key K, repeatable, e.g. --au 1:12=0.8,6=0.5 (AU=intensity
                   0..${MAX_INTENSITY}; R12 or L46 for one side; mimic presets --list shows the AUs)
  --view V         photo (default: the whole photo, scaled to --max-side) | face (the aligned face region of the
                   photo, --face-size px) | crop (the generated faces at model resolution)
  --max-side P     longest side of photo frames (default ${DEFAULT_MAX_SIDE})
  --face-size P    side of face frames (default ${DEFAULT_FACE_SIZE})
  --mode M         absolute | relative, for photo and landmark-file keys (see mimic transfer --help)
${modelFlagsUsage(19)}`;

const VIEWS = ['photo', 'face', 'crop'] as const;

export const command: CliCommand = {
  name: 'animate',
  summary: 'animate an expression change through key frames (GIF, MP4 or a PNG strip)',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...MODEL_FLAGS,
        keys: { type: 'string' },
        out: { type: 'string', multiple: true },
        frames: { type: 'string' },
        fps: { type: 'string' },
        edit: { type: 'string', multiple: true },
        au: { type: 'string', multiple: true },
        view: { type: 'string' },
        'max-side': { type: 'string' },
        'face-size': { type: 'string' },
        mode: { type: 'string' },
      },
    });
    const photo = requireOne(positionals, 'photo', usage);
    if (!values.keys) throw new MimicError(`--keys is required\n\n${usage}`);
    const outs = values.out ?? [];
    if (outs.length === 0) throw new MimicError(`--out is required\n\n${usage}`);
    outs.forEach(animationFormatFromPath);
    const view = values.view ?? 'photo';
    if (!(VIEWS as readonly string[]).includes(view))
      throw new MimicError(`--view must be one of ${VIEWS.join(', ')} (got "${view}")`);
    const framesPerSegment = parseIntFlag(values.frames, '--frames', 1, 240) ?? DEFAULT_FRAMES_PER_SEGMENT;
    const fps = parseNumberFlag(values.fps, '--fps', 1, 60) ?? DEFAULT_FPS;
    const maxSide = parseIntFlag(values['max-side'], '--max-side', 64, 4096);
    const faceSize = parseIntFlag(values['face-size'], '--face-size', 32, 1024);
    const keys = applyKeyEdits(
      applyKeyActionUnits(await parseKeys(values.keys, parseModeFlag(values.mode)), values.au ?? []),
      values.edit ?? [],
    );
    const paste = parsePasteFlag(values.paste);
    const face = parseFaceFlag(values.face);
    await checkOutputs(outs, [photo, ...keyFiles(values.keys)]);

    const mimic = await loadMimicFromFlags(values);
    const started = Date.now();
    const result = await mimic.animate(photo, keys, {
      framesPerSegment,
      face,
      paste,
      pasteWorker: pasteWorkerWanted(),
      output: view as (typeof VIEWS)[number],
      ...(maxSide !== undefined ? { maxSide } : {}),
      ...(faceSize !== undefined ? { faceSize } : {}),
    });
    if (result.input.notice) console.error(result.input.notice);
    // Keys that are all one pose (input,input; a photo --like itself) make a still picture: say so, not fail.
    if (distinctFrames(result.landmarks).distinct.length === 1)
      console.error(`${photo}: every key is the same pose, so every frame shows the same face`);
    for (const out of outs) await writeAnimation(out, result.frames, fps);
    const { width, height } = result.frames[0]!;
    console.log(
      `${result.frames.length} frames of ${width}×${height} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${outs.join(', ')}`,
    );
    return 0;
  },
};
