/** `mimic landmarks`: find faces and their 68 landmarks; write an overlay picture and a landmark file. */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../../engine/backend.js';
import { detectFaces, chooseFace, facesToChooseFrom } from '../../face/detect.js';
import { drawLandmarkOverlay } from '../../face/overlay.js';
import { writeLandmarkFile } from '../../face/landmarkFile.js';
import { decodeImage, formatFromPath, writeImage } from '../../image/io.js';
import { checkOutputs, checkWritable } from '../../transfer/output.js';
import { MimicError } from '../../util/errors.js';
import type { CliCommand } from '../command.js';
import { checkBatchFlags, expandPhotos, isBatch, planBatch, runBatch } from '../batch.js';
import { FACE_FLAGS, parseBackendFlag, parseIntFlag, requireOne } from '../options.js';

const usage = `Usage: mimic landmarks <photo> [--out overlay.png] [--json landmarks.json] [--face N] [--all]
       mimic landmarks <photo|folder>… --out-dir DIR [--face N] [--all]

Finds the faces in a photo (largest first) and their 68 iBUG landmarks.
  --out FILE     write the photo with landmarks drawn (.png, .jpg or .webp)
  --json FILE    write the chosen face's landmarks as a landmark file (space "image")
                 With neither, the overlay goes to <photo name>.landmarks.png in the current folder.
  --face N       which face: 0 = largest (default)
  --all          draw every face, not only the chosen one
  --out-dir DIR  several photos (or folders of photos): DIR/<name>.landmarks.png and DIR/<name>.landmarks.json
                 for each; a photo that fails is reported and the rest go on (exit 1 if any failed)
  --backend B    auto | tensorflow | wasm | cpu`;

export const command: CliCommand = {
  name: 'landmarks',
  summary: 'find faces and 68 landmarks; draw them over the photo',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...FACE_FLAGS,
        out: { type: 'string' },
        json: { type: 'string' },
        all: { type: 'boolean' },
        'out-dir': { type: 'string' },
      },
    });
    const faceIndex = parseIntFlag(values.face, '--face', 0, 1000) ?? 0;
    const all = values.all === true;
    if (await isBatch(positionals, values['out-dir'])) {
      checkBatchFlags(values.out, values['out-dir']);
      if (values.json !== undefined)
        throw new MimicError(
          '--json names one file; with --out-dir every photo gets DIR/<name>.landmarks.json',
        );
      const jobs = planBatch(await expandPhotos(positionals), values['out-dir']!, () => '.landmarks.png');
      await checkWritable(jobs[0]!.out);
      await initBackend({ backend: parseBackendFlag(values.backend) });
      const report = await runBatch(jobs, async ({ photo, out }) => {
        const json = out.replace(/\.png$/, '.json');
        const found = await landmarksOfPhoto(photo, out, json, faceIndex, all);
        return `${found}; ${out}, ${json}`;
      });
      return report.failed > 0 ? 1 : 0;
    }
    const photoPath = requireOne(positionals, 'photo', usage);
    // Only what was asked for; the default overlay goes to the working folder, never beside the input.
    const out =
      values.out ??
      (values.json === undefined
        ? basename(photoPath).replace(/\.[^.]+$/, '') + '.landmarks.png'
        : undefined);
    if (out !== undefined) formatFromPath(out);
    await checkOutputs(
      [...(out !== undefined ? [out] : []), ...(values.json !== undefined ? [values.json] : [])],
      [photoPath],
    );
    await initBackend({ backend: parseBackendFlag(values.backend) });
    console.log(`${photoPath}: ${await landmarksOfPhoto(photoPath, out, values.json, faceIndex, all)}`);
    if (out !== undefined) console.log(`overlay: ${out}`);
    if (values.json) console.log(`landmarks: ${values.json}`);
    return 0;
  },
};

/** Finds the faces of one photo, writes the overlay (and the landmark file); returns what was found, in words. */
async function landmarksOfPhoto(
  photoPath: string,
  out: string | undefined,
  json: string | undefined,
  faceIndex: number,
  all: boolean,
): Promise<string> {
  const photo = await decodeImage(photoPath);
  const faces = await facesToChooseFrom(photo, await detectFaces(photo), faceIndex);
  const chosen = chooseFace(faces, photoPath, faceIndex);
  const drawn = all ? faces.map((f, i) => ({ ...f, label: String(i) })) : [chosen.face];
  if (out !== undefined) await writeImage(out, await drawLandmarkOverlay(photo, drawn));
  if (json)
    await writeLandmarkFile(json, {
      scheme: 'ibug68',
      space: 'image',
      imageSize: { width: photo.width, height: photo.height },
      points: chosen.face.landmarks,
    });
  return `${photo.width}×${photo.height}, ${faces.length} face${faces.length === 1 ? '' : 's'} found; using face ${chosen.index}`;
}
