/** Flag parsing shared by several commands. */
import { MimicError } from '../util/errors.js';
import { numberFromText } from '../util/numbers.js';
import { DEFAULT_ALIGNMENT, type AlignmentConfig, type AlignmentMode } from '../face/align.js';
import type { BackendName } from '../engine/backend.js';

export function parseIntFlag(
  value: string | undefined,
  flag: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = numberFromText(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new MimicError(`${flag} must be a whole number from ${min} to ${max} (got "${value}")`);
  return n;
}

export function parseNumberFlag(
  value: string | undefined,
  flag: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = numberFromText(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new MimicError(`${flag} must be a number from ${min} to ${max} (got "${value}")`);
  return n;
}

export function parseAlignmentFlags(mode: string | undefined, size: string | undefined): AlignmentConfig {
  if (mode !== undefined && mode !== 'similarity' && mode !== 'affine3')
    throw new MimicError(`--align must be "similarity" or "affine3" (got "${mode}")`);
  return {
    ...DEFAULT_ALIGNMENT,
    mode: (mode as AlignmentMode | undefined) ?? DEFAULT_ALIGNMENT.mode,
    size: parseIntFlag(size, '--size', 16, 1024) ?? DEFAULT_ALIGNMENT.size,
  };
}

const BACKENDS: readonly BackendName[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

export function parseBackendFlag(value: string | undefined): BackendName {
  if (value === undefined) return 'auto';
  if (!BACKENDS.includes(value as BackendName))
    throw new MimicError(`--backend must be one of ${BACKENDS.join(', ')} (got "${value}")`);
  return value as BackendName;
}

/** Flags every face-handling command accepts, for util.parseArgs. */
export const FACE_FLAGS = {
  face: { type: 'string' },
  backend: { type: 'string' },
} as const;

export function requireOne(positionals: string[], what: string, usage: string): string {
  if (positionals.length !== 1) throw new MimicError(`expected one ${what}\n\n${usage}`);
  return positionals[0]!;
}
