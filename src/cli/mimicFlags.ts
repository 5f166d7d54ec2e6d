/** Flags shared by `mimic transfer`, `mimic animate` and `mimic demo`. */
import { availableParallelism } from 'node:os';
import { parseBackendFlag, parseIntFlag } from './options.js';
import { MimicError } from '../util/errors.js';
import { DEFAULT_MODEL_FOLDER } from '../transfer/defaultModel.js';
import { Mimic, PASTE_MODES, type PasteMode } from '../transfer/mimic.js';
import { LIKE_MODES, type LikeMode } from '../transfer/targets.js';

export const MODEL_FLAGS = {
  model: { type: 'string' },
  backend: { type: 'string' },
  face: { type: 'string' },
  paste: { type: 'string' },
} as const;

/** The shared flags' help, their descriptions starting at `column` (each command's own options' column). */
export function modelFlagsUsage(column: number): string {
  const lines: [string, string[]][] = [
    ['--face N', ['which face of the photo: 0 = the largest (default)']],
    [
      '--paste MODE',
      [
        "how the face goes back into the photo: warp (default: the photo's face warped to the target",
        "landmarks, plus the generator's appearance change) | residual (the photo plus the generator's",
        'change) | face (the generated face itself, colour-matched; blurry at photo size)',
      ],
    ],
    ['--model DIR', [`model folder (default: the bundled ${DEFAULT_MODEL_FOLDER})`]],
    ['--backend B', ['auto | tensorflow | wasm | cpu']],
  ];
  return lines
    .map(([flag, text]) =>
      text.map((line, i) => (i === 0 ? `  ${flag}`.padEnd(column) : ' '.repeat(column)) + line).join('\n'),
    )
    .join('\n');
}

export function parsePasteFlag(value: string | undefined): PasteMode | undefined {
  if (value === undefined) return undefined;
  if (!PASTE_MODES.includes(value as PasteMode))
    throw new MimicError(`--paste must be one of ${PASTE_MODES.join(', ')} (got "${value}")`);
  return value as PasteMode;
}

export function parseModeFlag(value: string | undefined): LikeMode | undefined {
  if (value === undefined) return undefined;
  if (!LIKE_MODES.includes(value as LikeMode))
    throw new MimicError(`--mode must be one of ${LIKE_MODES.join(', ')} (got "${value}")`);
  return value as LikeMode;
}

export function parseFaceFlag(value: string | undefined): number {
  return parseIntFlag(value, '--face', 0, 1000) ?? 0;
}

export function loadMimicFromFlags(values: { model?: string; backend?: string }): Promise<Mimic> {
  return Mimic.load(values.model, { backend: parseBackendFlag(values.backend) });
}

/**
 * Whether `animate` and `demo` paste frames in a worker thread as well (AnimateOptions.pasteWorker): only when asked
 * with MIMIC_PASTE_WORKER=1 and there is a second core. Off by default: measured on this project's 2-core machine,
 * the two threads together paste no sooner than one alone from a cold start (README, speed), and the worker costs
 * CPU.
 */
export function pasteWorkerWanted(): boolean {
  return process.env.MIMIC_PASTE_WORKER === '1' && availableParallelism() >= 2;
}
