/**
 * Ratio images beside a model: `ratio-<expression>.json` ({ format, size, shape, log, motion, subjects, made,
 * credit }), optional. The format itself is checked in ratioImageFormat.ts, which the web page shares.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';
import type { RatioImage } from './ratioImage.js';
import { parseRatioImage, ratioExpressionOf, ratioFileName, type RatioJson } from './ratioImageFormat.js';

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
    const expression = ratioExpressionOf(name);
    if (expression === undefined) continue;
    const path = join(dir, name);
    out.set(expression, parseRatioImage(await readFile(path, 'utf8'), path));
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
  await writeFileAtomic(join(dir, ratioFileName(name)), JSON.stringify(json) + '\n');
}
