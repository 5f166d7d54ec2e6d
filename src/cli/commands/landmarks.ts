/** `mimic landmarks`: find faces and their 68 landmarks; write an overlay picture and a landmark file. */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../../engine/backend.js';
import { detectFaces, chooseFace } from '../../face/detect.js';
import { drawLandmarkOverlay } from '../../face/overlay.js';
import { writeLandmarkFile } from '../../face/landmarkFile.js';
import { decodeImage, formatFromPath, writeImage } from '../../image/io.js';
import { checkOutputs } from '../../transfer/output.js';
import type { CliCommand } from '../command.js';
import { FACE_FLAGS, parseBackendFlag, parseIntFlag, requireOne } from '../options.js';

const usage = `Usage: mimic landmarks <photo> [--out overlay.png] [--json landmarks.json] [--face N] [--all]

Finds the faces in a photo (largest first) and their 68 iBUG landmarks.
  --out FILE     write the photo with landmarks drawn (.png, .jpg or .webp)
  --json FILE    write the chosen face's landmarks as a landmark file (space "image")
                 With neither, the overlay goes to <photo name>.landmarks.png in the current folder.
  --face N       which face: 0 = largest (default)
  --all          draw every face, not only the chosen one
  --backend B    auto | tensorflow | wasm | cpu`;

export const command: CliCommand = {
  name: 'landmarks',
  summary: 'find faces and 68 landmarks; draw them over the photo',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...FACE_FLAGS, out: { type: 'string' }, json: { type: 'string' }, all: { type: 'boolean' } },
    });
    const photoPath = requireOne(positionals, 'photo', usage);
    const faceIndex = parseIntFlag(values.face, '--face', 0, 1000) ?? 0;
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
    const photo = await decodeImage(photoPath);
    const faces = await detectFaces(photo);
    const chosen = chooseFace(faces, photoPath, faceIndex);
    console.log(
      `${photoPath}: ${photo.width}×${photo.height}, ${faces.length} face${faces.length === 1 ? '' : 's'} found; using face ${chosen.index}`,
    );
    const drawn = values.all ? faces.map((f, i) => ({ ...f, label: String(i) })) : [chosen.face];
    if (out !== undefined) {
      await writeImage(out, await drawLandmarkOverlay(photo, drawn));
      console.log(`overlay: ${out}`);
    }
    if (values.json) {
      await writeLandmarkFile(values.json, {
        scheme: 'ibug68',
        space: 'image',
        imageSize: { width: photo.width, height: photo.height },
        points: chosen.face.landmarks,
      });
      console.log(`landmarks: ${values.json}`);
    }
    return 0;
  },
};
