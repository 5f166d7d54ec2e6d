/**
 * Key frames as the CLI writes them: `--keys neutral,smile@0.6,friend.jpg,pose.json,input`.
 * - `input` (or `own`): the input photo's own landmarks;
 * - a preset name, optionally `@intensity` (0..1): `smile`, `smile@0.5`;
 * - a photo path (.jpg, .jpeg, .png, .webp, .gif, .tif, .tiff, .avif): that face's expression;
 * - a landmark file path (.json, as written by `mimic landmarks --json`).
 * Hand edits per key: `--edit 1:mouthCorners=+2,eyelids=-1` edits key 1 (keys count from 0); repeatable.
 */
import { extname } from 'node:path';
import { readLandmarkFile } from '../face/landmarkFile.js';
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
  const match = /^([A-Za-z][\w-]*)(?:@(.+))?$/.exec(key);
  if (!match)
    throw new MimicError(
      `key "${text}" is not a preset name (e.g. smile or smile@0.5), a photo, a .json landmark file or "input"`,
    );
  if (match[2] === undefined) return { expression: match[1]! };
  const intensity = numberFromText(match[2]);
  if (!Number.isFinite(intensity) || intensity < 0 || intensity > 1)
    throw new MimicError(`key "${text}": intensity must be a number from 0 to 1 (got "${match[2]}")`);
  return { expression: match[1]!, intensity };
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
  const parts = text.split(',').filter((p) => p.trim() !== '');
  if (parts.length < 2)
    throw new MimicError(`--keys needs at least two keys, separated by commas (got "${text}")`);
  const keys: Target[] = [];
  for (const part of parts) keys.push(await parseKey(part, mode));
  return keys;
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
