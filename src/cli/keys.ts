/**
 * Key frames as the CLI writes them: `--keys neutral,smile@0.6,friend.jpg,pose.json,input`.
 * - `input` (or `own`): the input photo's own landmarks;
 * - a preset name, optionally `@intensity` (0..1.5, above 1 exaggerates): `smile`, `surprise@0.5`;
 * - a photo path (.jpg, .jpeg, .png, .webp, .gif, .tif, .tiff, .avif): that face's expression;
 * - a landmark file path (.json, as written by `mimic landmarks --json`).
 * Hand edits per key: `--edit 1:mouthCorners=+2,eyelids=-1` edits key 1 (keys count from 0); repeatable.
 * Action units per key: `--au 1:12=0.8,6=0.5` adds AUs to key 1; repeatable.
 */
import { extname } from 'node:path';
import { readLandmarkFile } from '../face/landmarkFile.js';
import { MAX_INTENSITY, parseActionUnits } from '../transfer/actionUnits.js';
import { addEdits, parseEdits } from '../transfer/edits.js';
import type { LikeMode, Target } from '../transfer/targets.js';
import { MimicError } from '../util/errors.js';
import { numberFromText } from '../util/numbers.js';

const PHOTO_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif'];

/** One key of the --keys list. `mode` applies to photo and landmark-file keys. */
export async function parseKey(text: string, mode?: LikeMode): Promise<Target> {
  const key = text.trim();
  if (key === 'input' || key === 'own') return { own: true };
  const ext = extname(key).toLowerCase();
  if (ext === '.json') return { landmarks: await readLandmarkFile(key), ...(mode ? { mode } : {}) };
  if (PHOTO_EXTENSIONS.includes(ext)) return { like: key, ...(mode ? { mode } : {}) };
  return parseExpressionKey(key, `key "${text}"`);
}

/**
 * "surprise" or "surprise@0.7" → name and intensity (0..1.5). Whether the name is a preset is checked where the
 * model's presets are known (resolveTarget), with a message listing them.
 */
export function parseExpressionKey(text: string, what: string): { expression: string; intensity?: number } {
  const match = /^([A-Za-z][\w-]*)(?:@(.*))?$/.exec(text.trim());
  if (!match)
    throw new MimicError(
      `${what} is not a preset name (e.g. smile or surprise@0.5), a photo, a .json landmark file or "input"`,
    );
  const name = match[1]!;
  if (match[2] === undefined) return { expression: name };
  const intensity = numberFromText(match[2]);
  if (!Number.isFinite(intensity) || intensity < 0 || intensity > MAX_INTENSITY)
    throw new MimicError(
      `${what}: intensity must be a number from 0 to ${MAX_INTENSITY} (above 1 exaggerates; got "${match[2]}")`,
    );
  return { expression: name, intensity };
}

/** The files a --keys list reads (photos and landmark files), for the check that no output overwrites them. */
export function keyFiles(text: string): string[] {
  return text
    .split(',')
    .map((k) => k.trim())
    .filter(
      (k) => PHOTO_EXTENSIONS.includes(extname(k).toLowerCase()) || extname(k).toLowerCase() === '.json',
    );
}

export async function parseKeys(text: string, mode?: LikeMode): Promise<Target[]> {
  const parts = text.split(',');
  // A trailing comma is forgiven; an empty key between two others is refused: dropping it would shift the numbers
  // that --edit K: and --au K: count keys by, and edit another key than the one meant.
  if (parts.length > 1 && parts[parts.length - 1]!.trim() === '') parts.pop();
  const empty = parts.findIndex((p) => p.trim() === '');
  if (empty >= 0 && parts.length >= 2)
    throw new MimicError(`--keys "${text}": key ${empty} is empty (keys count from 0; two commas in a row?)`);
  if (parts.length < 2)
    throw new MimicError(`--keys needs at least two keys, separated by commas (got "${text}")`);
  const keys: Target[] = [];
  for (const part of parts) keys.push(await parseKey(part, mode));
  return keys;
}

/** Applies `--au i:12=0.8,…` options to the keys (a copy; intensities of an AU given twice add up, to 1.5 at most). */
export function applyKeyActionUnits(keys: Target[], auOptions: string[]): Target[] {
  const result = keys.map((k) => ({ ...k }));
  for (const option of auOptions) {
    const match = /^\s*(\d+)\s*:(.*)$/.exec(option);
    if (!match)
      throw new MimicError(
        `--au "${option}" must look like KEY:AU=intensity, e.g. 1:12=0.8,6=0.5 (keys count from 0)`,
      );
    const index = Number(match[1]);
    if (index >= keys.length)
      throw new MimicError(
        `--au "${option}": there is no key ${index} (keys count from 0; ${keys.length} keys)`,
      );
    const units = parseActionUnits(match[2]!);
    const own = result[index]!.au ?? {};
    for (const key of Object.keys(own))
      units.set(key, Math.min(MAX_INTENSITY, (units.get(key) ?? 0) + own[key]!));
    result[index]!.au = Object.fromEntries(units);
  }
  return result;
}

/** Applies `--edit i:name=amount,…` options to the keys (a copy; amounts of repeated edits add up). */
export function applyKeyEdits(keys: Target[], editOptions: string[]): Target[] {
  const result = keys.map((k) => ({ ...k }));
  for (const option of editOptions) {
    const match = /^\s*(\d+)\s*:(.*)$/.exec(option);
    if (!match)
      throw new MimicError(
        `--edit "${option}" must look like KEY:name=amount, e.g. 1:mouthCorners=+2,eyelids=-1`,
      );
    const index = Number(match[1]);
    if (index >= keys.length)
      throw new MimicError(
        `--edit "${option}": there is no key ${index} (keys count from 0; ${keys.length} keys)`,
      );
    result[index]!.edits = addEdits(result[index]!.edits ?? {}, parseEdits(match[2]!));
  }
  return result;
}
