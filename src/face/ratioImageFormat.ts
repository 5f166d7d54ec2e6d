/**
 * The ratio image's file format, without file access: `ratio-<expression>.json` ({ format, size, shape, log,
 * motion, subjects, made, credit }). The CLI reads such files from disk (ratioImageFile.ts), the web page over
 * HTTP (web/src/modelExtras.ts); both give the same messages.
 */
import { MimicError } from '../util/errors.js';
import { LANDMARK_COUNT, LANDMARK_VALUES } from './landmarks.js';
import type { RatioImage } from './ratioImage.js';

/** Exit code of a model folder that cannot be loaded (src/util/errors.ts). */
const MODEL_EXIT_CODE = 3;

export interface RatioJson {
  format: 'mimic-ratio-image';
  size: number;
  shape: [number, number][];
  log: number[];
  motion: number[];
  subjects: string[];
  made: string;
  credit: string;
}

/** The file name of the ratio image of an expression. */
export function ratioFileName(expression: string): string {
  return `ratio-${expression}.json`;
}

/** The expression a file name holds the ratio image of, or undefined for any other file. */
export function ratioExpressionOf(fileName: string): string | undefined {
  return /^ratio-(.+)\.json$/.exec(fileName)?.[1];
}

/** The text of a ratio image file (at `where`, for messages) as a ratio image. */
export function parseRatioImage(text: string, where: string): RatioImage {
  let json: Partial<RatioJson> | null;
  try {
    json = JSON.parse(text) as Partial<RatioJson> | null;
  } catch (error) {
    throw new MimicError(`${where}: unreadable (${(error as Error).message})`, MODEL_EXIT_CODE);
  }
  if (
    typeof json !== 'object' ||
    json === null ||
    json.format !== 'mimic-ratio-image' ||
    typeof json.size !== 'number' ||
    !Array.isArray(json.log) ||
    json.log.length !== json.size * json.size ||
    !Array.isArray(json.shape) ||
    json.shape.length !== LANDMARK_COUNT
  )
    throw new MimicError(`${where}: not a Mimic ratio image`, MODEL_EXIT_CODE);
  if (!Array.isArray(json.motion) || json.motion.length !== LANDMARK_VALUES || !Array.isArray(json.subjects))
    throw new MimicError(
      `${where}: a ratio image without its landmark motion (made by an older Mimic); rebuild it with scripts/build-ratio-image.ts`,
      MODEL_EXIT_CODE,
    );
  return {
    size: json.size,
    shape: json.shape,
    log: Float32Array.from(json.log),
    motion: Float32Array.from(json.motion),
    subjects: json.subjects,
  };
}
