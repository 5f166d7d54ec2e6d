/** `mimic transfer`: one photo, one new expression. */
import { parseArgs } from 'node:util';
import { readLandmarkFile } from '../../face/landmarkFile.js';
import { formatFromPath, writeImage } from '../../image/io.js';
import { MAX_INTENSITY, parseActionUnits } from '../../transfer/actionUnits.js';
import { parseEdits } from '../../transfer/edits.js';
import {
  loadMimicFromFlags,
  MODEL_FLAGS,
  modelFlagsUsage,
  parseFaceFlag,
  parseModeFlag,
  parsePasteFlag,
} from '../mimicFlags.js';
import { checkOutputs, checkWritable } from '../../transfer/output.js';
import { DEFAULT_LIKE_MODE, type Target } from '../../transfer/targets.js';
import { MimicError } from '../../util/errors.js';
import type { CliCommand } from '../command.js';
import { parseBackendFlag, parseIntFlag, parseNumberFlag, requireOne } from '../options.js';
import { initBackend } from '../../engine/backend.js';
import { startBatchDetection } from '../batchDetection.js';
import {
  checkBatchFlags,
  expandPhotos,
  isBatch,
  planBatch,
  runBatch,
  sameImageExtension,
  withNotice,
} from '../batch.js';

import { MOUTH_SOURCES, type MouthSourceChoice } from '../../transfer/mimic.js';
import { parseExpressionKey } from '../keys.js';

/** `--expression surprise` or `--expression surprise@0.7`. */
function parseExpressionFlag(text: string): { expression: string; intensity?: number } {
  return parseExpressionKey(text, `--expression "${text}"`);
}

const usage = `Usage: mimic transfer <photo> --out <file> <target> [options]
       mimic transfer <photo|folder>… --out-dir <folder> <target> [options]

Changes the expression of the face in <photo>. One target:
  --like PHOTO          the expression of the face in another photo
    --like-neutral P    that person's neutral photo (relative mode measures their expression from it)
    --like-face N       which face of the --like photos (default 0, the largest)
  --landmarks FILE      landmarks from a landmark file (mimic landmarks --json writes one)
  --expression NAME     a preset: neutral, smile (from data), surprise, sad, angry, fear, disgust, contempt,
                        blink, wink-left, wink-right, brows-raised, brows-lowered, squint, aaa, eee, ooo (from
                        facial action units); mimic presets --list shows each with its AUs. NAME@T sets the intensity
    --intensity T       0..${MAX_INTENSITY}, how much of it (default 1; above 1 is an exaggeration of the expression)
  --au LIST             facial action units, alone (on the input's own face) or added to any target, e.g.
                        --au 12=0.8,6=0.5 (AU=intensity 0..${MAX_INTENSITY}; R12 or L46 for one side of the face)
  --edit EDITS          hand edits in crop pixels, alone (on the input's own landmarks) or after a target:
                        eyelids, lowerEyelids, brows, mouthCorners, mouthWidth, mouthOpen; e.g.
                        --edit mouthCorners=+2,eyelids=-1 (positive = up / open / wider)
Options:
  --out FILE      .png, .jpg or .webp: the whole photo with the new face (or the face alone with --crop)
  --out-dir DIR   several photos (or folders of photos): DIR/<photo name>, same format (.png for others); the
                  model loads once, a photo that fails is reported and the rest go on (exit 1 if any failed)
  --crop          write the generated aligned face (model resolution) instead of the whole photo
  --mouth M       auto | bank | none: where the target parts the lips, the mouth interior comes from the --like
                  photo's own mouth (auto, when its lips are parted) or the model's bank of FRL mouths; none: the
                  warp and the generator alone
  --mode M        absolute | relative (default ${DEFAULT_LIKE_MODE}) for --like; for --landmarks the default is
                  absolute. absolute: their landmarks as they are; relative: their expression's displacement from
                  neutral, added to the input's own landmarks (keeps the input's face shape)
${modelFlagsUsage(18)}`;

export const command: CliCommand = {
  name: 'transfer',
  summary: "change a photo's expression: like another photo, from landmarks, or a named preset",
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...MODEL_FLAGS,
        out: { type: 'string' },
        like: { type: 'string' },
        'like-neutral': { type: 'string' },
        'like-face': { type: 'string' },
        landmarks: { type: 'string' },
        expression: { type: 'string' },
        intensity: { type: 'string' },
        edit: { type: 'string' },
        au: { type: 'string' },
        mode: { type: 'string' },
        crop: { type: 'boolean' },
        'out-dir': { type: 'string' },
        mouth: { type: 'string' },
      },
    });
    const batch = await isBatch(positionals, values['out-dir']);
    const photo = batch ? '' : requireOne(positionals, 'photo', usage);
    if (batch) checkBatchFlags(values.out, values['out-dir']);
    else if (!values.out) throw new MimicError(`--out is required\n\n${usage}`);
    else formatFromPath(values.out);
    const chosen = (['like', 'landmarks', 'expression'] as const).filter((k) => values[k] !== undefined);
    if (chosen.length > 1)
      throw new MimicError(`choose one target, not ${chosen.map((k) => `--${k}`).join(' and ')}`);
    if (chosen.length === 0 && values.edit === undefined && values.au === undefined)
      throw new MimicError(
        `a target is required: --like, --landmarks, --expression, --au or --edit\n\n${usage}`,
      );
    if (values.intensity !== undefined && values.expression === undefined)
      throw new MimicError('--intensity goes with --expression');
    const expression = values.expression !== undefined ? parseExpressionFlag(values.expression) : undefined;
    if (expression?.intensity !== undefined && values.intensity !== undefined)
      throw new MimicError(
        `give the intensity once: --expression ${values.expression} or --intensity, not both`,
      );
    const intensity =
      expression?.intensity ?? parseNumberFlag(values.intensity, '--intensity', 0, MAX_INTENSITY);
    const au = values.au !== undefined ? Object.fromEntries(parseActionUnits(values.au)) : undefined;
    const mode = parseModeFlag(values.mode);
    const edits = values.edit !== undefined ? parseEdits(values.edit) : undefined;
    const paste = parsePasteFlag(values.paste);
    const face = parseFaceFlag(values.face);
    const likeFace = parseIntFlag(values['like-face'], '--like-face', 0, 1000) ?? 0;

    let target: Target;
    if (values.like !== undefined)
      target = {
        like: values.like,
        ...(values['like-neutral'] !== undefined ? { likeNeutral: values['like-neutral'] } : {}),
        ...(mode ? { mode } : {}),
        face: likeFace,
      };
    else if (values.landmarks !== undefined)
      target = { landmarks: await readLandmarkFile(values.landmarks), ...(mode ? { mode } : {}) };
    else if (expression !== undefined)
      target = { expression: expression.expression, ...(intensity !== undefined ? { intensity } : {}) };
    else target = { own: true };
    if (au) target.au = au;
    if (edits) target.edits = edits;
    const mouth = values.mouth;
    if (mouth !== undefined && !MOUTH_SOURCES.includes(mouth as MouthSourceChoice))
      throw new MimicError(`--mouth must be one of ${MOUTH_SOURCES.join(', ')} (got "${mouth}")`);
    const renderOptions = { face, paste, ...(mouth ? { mouth: mouth as MouthSourceChoice } : {}) };
    if (batch) {
      const jobs = planBatch(await expandPhotos(positionals), values['out-dir']!, sameImageExtension);
      await checkWritable(jobs[0]!.out);
      // The backend first, so that the detection worker starts on the same one while the model loads here.
      const detection = startBatchDetection(
        jobs,
        await initBackend({ backend: parseBackendFlag(values.backend) }),
      );
      try {
        const mimic = await loadMimicFromFlags(values);
        const report = await runBatch(jobs, async (job) => {
          const { photo, out } = job;
          mimic.checkPresetNames([target]); // as transfer() does, before the photo's face counts
          const found = await detection.detected(job);
          const input = found
            ? await mimic.prepareDetected(found.photo, found.faces, face, photo)
            : await mimic.prepare(photo, face);
          const result = await mimic.transferPrepared(input, target, renderOptions);
          await writeImage(out, values.crop ? result.crop : result.photo);
          return withNotice(out, photo, result.input.notice);
        });
        return report.failed > 0 ? 1 : 0;
      } finally {
        await detection.close();
      }
    }
    await checkOutputs([values.out!], [photo, values.like, values['like-neutral'], values.landmarks]);

    const mimic = await loadMimicFromFlags(values);
    const result = await mimic.transfer(photo, target, renderOptions);
    if (result.input.notice) console.error(result.input.notice);
    const out = values.out!;
    await writeImage(out, values.crop ? result.crop : result.photo);
    console.log(`${values.crop ? 'face' : 'photo'}: ${out}`);
    return 0;
  },
};
