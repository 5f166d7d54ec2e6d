/**
 * The mouth bank in a model folder: `mouth-bank.json` (zoom, credit, exemplars with their lips) and
 * `mouth-bank.png` (every exemplar's patch in one sprite). Optional: a model folder without it paints no mouth
 * interior (the warp and the generator alone).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeImage, encodeImage } from '../image/io.js';
import { writeFileAtomic } from '../util/atomic.js';
import { MimicError } from '../util/errors.js';
import type { MouthBank, MouthExemplar } from './mouthInterior.js';

export const MOUTH_BANK_FILE = 'mouth-bank.json';
export const MOUTH_SPRITE_FILE = 'mouth-bank.png';

interface MouthBankJson {
  format: 'mimic-mouth-bank';
  version: 1;
  zoom: number;
  credit: string;
  /** How it was made (the command and what was left out). */
  made: string;
  exemplars: MouthExemplar[];
}

/** Reads the bank beside a model (undefined when the folder has none). */
export async function readMouthBank(dir: string): Promise<MouthBank | undefined> {
  const path = join(dir, MOUTH_BANK_FILE);
  try {
    await stat(path);
  } catch {
    return undefined;
  }
  let meta: MouthBankJson;
  try {
    meta = JSON.parse(await readFile(path, 'utf8')) as MouthBankJson;
  } catch (error) {
    throw new MimicError(`${path}: unreadable (${(error as Error).message})`, 3);
  }
  if (meta.format !== 'mimic-mouth-bank' || !Array.isArray(meta.exemplars) || !(meta.zoom > 0))
    throw new MimicError(`${path}: not a Mimic mouth bank`, 3);
  const sprite = await decodeImage(join(dir, MOUTH_SPRITE_FILE));
  for (const e of meta.exemplars)
    if (
      e.x < 0 ||
      e.y < 0 ||
      e.x + e.width > sprite.width ||
      e.y + e.height > sprite.height ||
      e.lips.length !== 20
    )
      throw new MimicError(`${path}: exemplar ${e.id} does not fit its sprite`, 3);
  return { zoom: meta.zoom, sprite: sprite, exemplars: meta.exemplars };
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
  await writeFileAtomic(join(dir, MOUTH_SPRITE_FILE), await encodeImage(bank.sprite, 'png'));
  await writeFileAtomic(join(dir, MOUTH_BANK_FILE), JSON.stringify(meta) + '\n');
}
