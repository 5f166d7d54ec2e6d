/**
 * The mouth bank in a model folder: `mouth-bank.json` (zoom, credit, exemplars with their lips) and
 * `mouth-bank.png` (every exemplar's patch in one sprite). Optional: a model folder without it paints no mouth
 * interior (the warp and the generator alone). The format itself is checked in mouthBankFormat.ts, which the web
 * page shares.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeImage, encodeImage } from '../image/io.js';
import { writeFileAtomic } from '../util/atomic.js';
import { MimicError } from '../util/errors.js';
import {
  MOUTH_BANK_FILE,
  MOUTH_SPRITE_FILE,
  parseMouthBank,
  parseMouthBankJson,
  type MouthBankJson,
} from './mouthBankFormat.js';
import type { MouthBank } from './mouthInterior.js';

export { MOUTH_BANK_FILE, MOUTH_SPRITE_FILE };

/** Reads the bank beside a model (undefined when the folder has none). */
export async function readMouthBank(dir: string): Promise<MouthBank | undefined> {
  const path = join(dir, MOUTH_BANK_FILE);
  try {
    await stat(path);
  } catch {
    return undefined;
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new MimicError(`${path}: unreadable (${(error as Error).message})`, 3);
  }
  const meta = parseMouthBankJson(text, path);
  return parseMouthBank(meta, await decodeImage(join(dir, MOUTH_SPRITE_FILE)), path);
}

export async function writeMouthBank(
  dir: string,
  bank: MouthBank,
  credit: string,
  made: string,
): Promise<void> {
  const meta: MouthBankJson = {
    format: 'mimic-mouth-bank',
    version: 1,
    zoom: bank.zoom,
    credit,
    made,
    exemplars: bank.exemplars.map((e) => ({
      ...e,
      lips: e.lips.map(([x, y]) => [+x.toFixed(2), +y.toFixed(2)]),
    })),
  };
  // Compact: the page downloads the sprite before its first face.
  await writeFileAtomic(
    join(dir, MOUTH_SPRITE_FILE),
    await encodeImage(bank.sprite, 'png', { compact: true }),
  );
  await writeFileAtomic(join(dir, MOUTH_BANK_FILE), JSON.stringify(meta) + '\n');
}
