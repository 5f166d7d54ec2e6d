/**
 * The model folder's optional extras the CLI's paste uses, loaded into the page: the mouth bank (mouth-bank.json
 * and its sprite mouth-bank.png; teeth and a dark cavity where the target parts the lips) and the expression ratio
 * images (ratio-<expression>.json; the fine shading of an expression). They are parsed by the CLI's own format code
 * (src/face/mouthBankFormat.ts, ratioImageFormat.ts), so a bad file gives the same message as `mimic transfer`.
 *
 * As in the CLI, a folder without them still works (the warp and the generator alone). A file that is there but
 * bad is left out with a message instead of stopping the page, as presets.json is.
 */
import {
  MOUTH_BANK_FILE,
  MOUTH_SPRITE_FILE,
  parseMouthBank,
  parseMouthBankJson,
} from '../../src/face/mouthBankFormat.js';
import type { MouthBank } from '../../src/face/mouthInterior.js';
import type { RatioImage } from '../../src/face/ratioImage.js';
import { parseRatioImage, ratioExpressionOf, ratioFileName } from '../../src/face/ratioImageFormat.js';
import type { RgbImage } from '../../src/image/rgbImage.js';
import { readModelFile, readOptionalModelFile, type ModelFolder } from '../../src/model/modelFolder.js';

export interface ModelExtras {
  mouthBank: MouthBank | undefined;
  /** Every ratio image found, as the CLI passes them all (each as strong as the target's shape asks). */
  ratios: RatioImage[];
  /** Files that were there but could not be used (shown to the user; the page goes on without them). */
  problems: string[];
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

async function loadMouthBank(
  folder: ModelFolder,
  decodePng: (bytes: Uint8Array) => Promise<RgbImage>,
): Promise<MouthBank | undefined> {
  const bytes = await readOptionalModelFile(folder, MOUTH_BANK_FILE);
  if (bytes === undefined) return undefined;
  const where = folder.where(MOUTH_BANK_FILE);
  const meta = parseMouthBankJson(text(bytes), where);
  const spriteBytes = await readModelFile(folder, MOUTH_SPRITE_FILE);
  let sprite: RgbImage;
  try {
    sprite = await decodePng(spriteBytes);
  } catch (error) {
    throw new Error(`${folder.where(MOUTH_SPRITE_FILE)}: ${(error as Error).message}`);
  }
  return parseMouthBank(meta, sprite, where);
}

/** The path that reads the folder's listing: the folder's own URL (src/web/server.ts, Mount.listing). */
export const FOLDER_LISTING = '';

/** The file names in a listing's bytes (`{ "files": [...] }`); undefined for anything else (e.g. a static host's page). */
export function parseListing(bytes: Uint8Array): string[] | undefined {
  try {
    const files = (JSON.parse(text(bytes)) as { files?: unknown }).files;
    return Array.isArray(files) && files.every((f) => typeof f === 'string') ? files : undefined;
  } catch {
    return undefined;
  }
}

/** The files of a listed folder that loadModelExtras reads: the mouth bank, its sprite and the ratio images. */
export function extraFilesIn(listed: readonly string[]): string[] {
  return listed.filter(
    (name) => name === MOUTH_BANK_FILE || name === MOUTH_SPRITE_FILE || ratioExpressionOf(name) !== undefined,
  );
}

/**
 * The names of the files at the folder's top level, when its server lists them (`mimic serve` does:
 * src/web/server.ts, Mount.listing); undefined from a server that does not.
 */
async function listedFiles(folder: ModelFolder): Promise<string[] | undefined> {
  const bytes = await readOptionalModelFile(folder, FOLDER_LISTING).catch(() => undefined);
  return bytes === undefined ? undefined : parseListing(bytes);
}

/**
 * The extras of a model folder read over HTTP. The folder's listing says which files exist, so a folder without
 * them costs no request; from a server that lists nothing, the mouth bank is asked for and the ratio images are
 * looked for by the names of the expressions the page offers (`expressions`), which the CLI's ratio files are
 * named after (scripts/build-ratio-image.ts).
 */
export async function loadModelExtras(
  folder: ModelFolder,
  expressions: readonly string[],
  decodePng: (bytes: Uint8Array) => Promise<RgbImage>,
): Promise<ModelExtras> {
  const problems: string[] = [];
  const ignored = (error: unknown): undefined => {
    problems.push(`${(error as Error).message}; the page goes on without it`);
    return undefined;
  };
  const listed = await listedFiles(folder);
  const ratioFiles =
    listed?.filter((name) => ratioExpressionOf(name) !== undefined) ??
    [...new Set(expressions)].map(ratioFileName);
  const loadRatio = async (file: string): Promise<RatioImage | undefined> => {
    const bytes = await readOptionalModelFile(folder, file);
    return bytes === undefined ? undefined : parseRatioImage(text(bytes), folder.where(file));
  };
  const [mouthBank, ratios] = await Promise.all([
    listed === undefined || listed.includes(MOUTH_BANK_FILE)
      ? loadMouthBank(folder, decodePng).catch(ignored)
      : undefined,
    Promise.all(ratioFiles.map((file) => loadRatio(file).catch(ignored))),
  ]);
  return {
    mouthBank,
    ratios: ratios.filter((r): r is RatioImage => r !== undefined),
    problems,
  };
}
