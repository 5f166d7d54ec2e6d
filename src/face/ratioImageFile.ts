/**
 * Ratio images beside a model: `ratio-<expression>.json` ({ format, size, shape, log, motion, subjects, made,
 * credit }), optional.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';
import { MimicError } from '../util/errors.js';
import { LANDMARK_COUNT, LANDMARK_VALUES } from './landmarks.js';
import type { RatioImage } from './ratioImage.js';

interface RatioJson {
  format: 'mimic-ratio-image';
  size: number;
  shape: [number, number][];
  log: number[];
  motion: number[];
  subjects: string[];
  made: string;
  credit: string;
}

/** Every ratio image in a model folder, by expression name. */
export async function readRatioImages(dir: string): Promise<Map<string, RatioImage>> {
  const out = new Map<string, RatioImage>();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const match = /^ratio-(.+)\.json$/.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    const json = JSON.parse(await readFile(path, 'utf8')) as RatioJson;
    if (
      json.format !== 'mimic-ratio-image' ||
      json.log.length !== json.size * json.size ||
      json.shape.length !== LANDMARK_COUNT
    )
      throw new MimicError(`${path}: not a Mimic ratio image`, 3);
    if (
      !Array.isArray(json.motion) ||
      json.motion.length !== LANDMARK_VALUES ||
      !Array.isArray(json.subjects)
    )
      throw new MimicError(
        `${path}: a ratio image without its landmark motion (made by an older Mimic); rebuild it with scripts/build-ratio-image.ts`,
        3,
      );
    out.set(match[1]!, {
      size: json.size,
      shape: json.shape,
      log: Float32Array.from(json.log),
      motion: Float32Array.from(json.motion),
      subjects: json.subjects,
    });
  }
  return out;
}

export async function writeRatioImage(
  dir: string,
  name: string,
  ratio: RatioImage,
  made: string,
): Promise<void> {
  const json: RatioJson = {
    format: 'mimic-ratio-image',
    size: ratio.size,
    shape: ratio.shape.map(([x, y]) => [+x.toFixed(3), +y.toFixed(3)]),
    log: Array.from(ratio.log, (v) => +v.toFixed(4)),
    motion: Array.from(ratio.motion, (v) => +v.toFixed(5)),
    subjects: [...ratio.subjects],
    made,
    credit:
      'Averaged from the Face Research Lab London Set (neutral and smiling photos), CC BY 4.0: DeBruine, L. M. & Jones, B. C. (2017). doi:10.6084/m9.figshare.5047666.v5',
  };
  await writeFileAtomic(join(dir, `ratio-${name}.json`), JSON.stringify(json) + '\n');
}
