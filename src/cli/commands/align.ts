/** `mimic align`: the aligned crop the networks see, with its landmarks. */
import { parseArgs } from 'node:util';
import { initBackend } from '../../engine/backend.js';
import { formatFromPath, writeImage } from '../../image/io.js';
import { checkOutputs } from '../../transfer/output.js';
import { faceCountNotice, findAndAlignFace } from '../../face/pipeline.js';
import { normalizeLandmarks } from '../../face/landmarks.js';
import { writeLandmarkFile } from '../../face/landmarkFile.js';
import type { CliCommand } from '../command.js';
import { FACE_FLAGS, parseAlignmentFlags, parseBackendFlag, parseIntFlag, requireOne } from '../options.js';

const usage = `Usage: mimic align <photo> --out crop.png [--json landmarks.json] [--size 64] [--align similarity|affine3] [--face N]

Detects the face, aligns it (see README: Alignment) and writes the crop.
  --out FILE      the aligned crop (PNG/JPEG/WebP)
  --json FILE     its landmarks as a landmark file (space "normalized": [-1, 1] crop coordinates)
  --size N        crop side in pixels (default 64)
  --align MODE    similarity (default: eyes only) or affine3 (the paper's: eyes + lower lip)
  --face N        which face: 0 = largest (default)
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
      },
    });
    const photoPath = requireOne(positionals, 'photo', usage);
    const alignment = parseAlignmentFlags(values.align, values.size);
    const face = parseIntFlag(values.face, '--face', 0, 1000) ?? 0;
    const out = values.out ?? photoPath.replace(/\.[^./]+$/, '') + '.aligned.png';
    formatFromPath(out);
    await checkOutputs([out, ...(values.json !== undefined ? [values.json] : [])], [photoPath]);
    await initBackend({ backend: parseBackendFlag(values.backend) });
    const result = await findAndAlignFace(photoPath, { face, alignment });
    const notice = faceCountNotice(photoPath, result);
    if (notice) console.error(notice);
    await writeImage(out, result.aligned.crop);
    console.log(`crop: ${out} (${alignment.size}×${alignment.size}, ${alignment.mode})`);
    if (values.json) {
      await writeLandmarkFile(values.json, {
        scheme: 'ibug68',
        space: 'normalized',
        imageSize: { width: alignment.size, height: alignment.size },
        points: normalizeLandmarks(result.aligned.landmarks, alignment.size),
      });
      console.log(`landmarks: ${values.json}`);
    }
    return 0;
  },
};
