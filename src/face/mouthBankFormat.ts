/**
 * The mouth bank's file format, without file access: `mouth-bank.json` (zoom, credit, exemplars with their lips)
 * checked here and `mouth-bank.png` (every exemplar's patch in one sprite) decoded by the caller. The CLI reads
 * both from disk (mouthBankFile.ts), the web page over HTTP (web/src/modelExtras.ts); both give the same messages.
 */
import type { RgbImage } from '../image/rgbImage.js';
import { MimicError } from '../util/errors.js';
import type { MouthBank, MouthExemplar } from './mouthInterior.js';

export const MOUTH_BANK_FILE = 'mouth-bank.json';
export const MOUTH_SPRITE_FILE = 'mouth-bank.png';

/** Exit code of a model folder that cannot be loaded (src/util/errors.ts). */
const MODEL_EXIT_CODE = 3;

export interface MouthBankJson {
  format: 'mimic-mouth-bank';
  version: 1;
  zoom: number;
  credit: string;
  /** How it was made (the command and what was left out). */
  made: string;
  exemplars: MouthExemplar[];
}

/**
 * The text of `mouth-bank.json` (at `where`, for messages), checked to be a mouth bank; its sprite is checked
 * against it by parseMouthBank once decoded.
 */
export function parseMouthBankJson(text: string, where: string): MouthBankJson {
  let meta: Partial<MouthBankJson> | null;
  try {
    meta = JSON.parse(text) as Partial<MouthBankJson> | null;
  } catch (error) {
    throw new MimicError(`${where}: unreadable (${(error as Error).message})`, MODEL_EXIT_CODE);
  }
  if (
    typeof meta !== 'object' ||
    meta === null ||
    meta.format !== 'mimic-mouth-bank' ||
    !Array.isArray(meta.exemplars) ||
    !((meta.zoom ?? 0) > 0)
  )
    throw new MimicError(`${where}: not a Mimic mouth bank`, MODEL_EXIT_CODE);
  return meta as MouthBankJson;
}

/** The bank of a checked `mouth-bank.json` and its decoded sprite; every exemplar must lie inside the sprite. */
export function parseMouthBank(meta: MouthBankJson, sprite: RgbImage, where: string): MouthBank {
  for (const e of meta.exemplars)
    if (
      !(e.x >= 0 && e.y >= 0 && e.width > 0 && e.height > 0) ||
      e.x + e.width > sprite.width ||
      e.y + e.height > sprite.height ||
      !Array.isArray(e.lips) ||
      e.lips.length !== 20 ||
      !(e.eyeWhite === undefined || (typeof e.eyeWhite === 'number' && e.eyeWhite > 0))
    )
      throw new MimicError(`${where}: exemplar ${e.id} does not fit its sprite`, MODEL_EXIT_CODE);
  return { zoom: meta.zoom, sprite, exemplars: meta.exemplars };
}
