/** `mimic align`: the aligned crop the networks see, with its landmarks. */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../../engine/backend.js';
import { formatFromPath, writeImage } from '../../image/io.js';
import { checkOutputs } from '../../transfer/output.js';
import { faceCountNotice, findAndAlignFace } from '../../face/pipeline.js';
import { normalizeLandmarks } from '../../face/landmarks.js';
import { writeLandmarkFile } from '../../face/landmarkFile.js';
import type { AlignmentConfig } from '../../face/align.js';
import { checkWritable } from '../../transfer/output.js';
import { MimicError } from '../../util/errors.js';
import type { CliCommand } from '../command.js';
import { checkBatchFlags, expandPhotos, isBatch, planBatch, runBatch, withNotice } from '../batch.js';
import { FACE_FLAGS, parseAlignmentFlags, parseBackendFlag, parseIntFlag, requireOne } from '../options.js';

const usage = `Usage: mimic align <photo> --out crop.png [--json landmarks.json] [--size 64] [--align similarity|affine3] [--face N]
       mimic align <photo|folder>… --out-dir DIR [--size 64] [--align similarity|affine3] [--face N]

Detects the face, aligns it (see README: Alignment) and writes the crop.
  --out FILE      the aligned crop (PNG/JPEG/WebP); without it, <photo name>.aligned.png in the current folder
  --json FILE     its landmarks as a landmark file (space "normalized": [-1, 1] crop coordinates)
  --size N        crop side in pixels (default 64)
  --align MODE    similarity (default: eyes only) or affine3 (the paper's: eyes + lower lip)
  --face N        which face: 0 = largest (default)
  --out-dir DIR   several photos (or folders of photos): DIR/<name>.aligned.png and DIR/<name>.aligned.json for
                  each; a photo that fails is reported and the rest go on (exit 1 if any failed)
  --backend B     auto | tensorflow | wasm | cpu`;

export const command: CliCommand = {
  name: 'align',
  summary: 'detect and align a face to the model crop',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...FACE_FLAGS,
        out: { type: 'string' },
        json: { type: 'string' },
        size: { type: 'string' },
        align: { type: 'string' },
        'out-dir': { type: 'string' },
      },
    });
    const alignment = parseAlignmentFlags(values.align, values.size);
    const face = parseIntFlag(values.face, '--face', 0, 1000) ?? 0;
    if (await isBatch(positionals, values['out-dir'])) {
      checkBatchFlags(values.out, values['out-dir']);
      if (values.json !== undefined)
        throw new MimicError(
          '--json names one file; with --out-dir every photo gets DIR/<name>.aligned.json',
        );
      const jobs = planBatch(await expandPhotos(positionals), values['out-dir']!, () => '.aligned.png');
      await checkWritable(jobs[0]!.out);
      await initBackend({ backend: parseBackendFlag(values.backend) });
      const report = await runBatch(jobs, async ({ photo, out }) => {
        const json = out.replace(/\.png$/, '.json');
        const notice = await alignPhoto(photo, out, json, face, alignment);
        return withNotice(`${out}, ${json}`, photo, notice);
      });
      return report.failed > 0 ? 1 : 0;
    }
    const photoPath = requireOne(positionals, 'photo', usage);
    // As `landmarks` does: in the current folder, never beside the input (a photo's folder is not ours to fill).
    const out = values.out ?? basename(photoPath).replace(/\.[^.]+$/, '') + '.aligned.png';
    formatFromPath(out);
    await checkOutputs([out, ...(values.json !== undefined ? [values.json] : [])], [photoPath]);
    await initBackend({ backend: parseBackendFlag(values.backend) });
    const notice = await alignPhoto(photoPath, out, values.json, face, alignment);
    if (notice) console.error(notice);
    console.log(`crop: ${out} (${alignment.size}×${alignment.size}, ${alignment.mode})`);
    if (values.json) console.log(`landmarks: ${values.json}`);
    return 0;
  },
};

/** Aligns one photo's face and writes the crop (and its landmark file); returns the several-faces notice, if any. */
async function alignPhoto(
  photoPath: string,
  out: string,
  json: string | undefined,
  face: number,
  alignment: AlignmentConfig,
): Promise<string | undefined> {
  const result = await findAndAlignFace(photoPath, { face, alignment });
  await writeImage(out, result.aligned.crop);
  if (json)
    await writeLandmarkFile(json, {
      scheme: 'ibug68',
      space: 'normalized',
      imageSize: { width: alignment.size, height: alignment.size },
      points: normalizeLandmarks(result.aligned.landmarks, alignment.size),
    });
  return faceCountNotice(photoPath, result);
}
