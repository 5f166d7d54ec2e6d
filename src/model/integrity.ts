/**
 * Integrity of saved weights. A weights file of the right size can still be wrong (a disk error, a bad copy, an
 * edited file): TF.js loads it without complaint and the model quietly generates black faces. So every network file
 * of a model folder gets a SHA-256 checksum in mimic-model.json when it is written, checked when it is read, and
 * float32 weights (stored as float32 or float16) are checked for NaN and Infinity (which no trained network holds)
 * whatever the folder's age.
 * Model folders written before checksums existed have none; they still load (the finite-values check still runs).
 *
 * Platform neutral (the page loads models through the same code): SHA-256 comes from Web Crypto, which Node and
 * browsers both have. A page served over plain HTTP to another machine has no Web Crypto; there only the
 * finite-values check runs.
 */
import { MimicError } from '../util/errors.js';
import { isFiniteFloat16 } from './float16.js';

/** Whether this platform can compute checksums (not a browser page outside a secure context). */
export function canChecksum(): boolean {
  return globalThis.crypto?.subtle !== undefined;
}

/** "sha256:<hex>" of the bytes. */
export async function checksumOf(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>),
  );
  return `sha256:${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Checksums of the files at `paths`, read through `read`, keyed by those paths. */
export async function checksumFiles(
  paths: string[],
  read: (path: string) => Promise<Uint8Array>,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const path of [...paths].sort()) out[path] = await checksumOf(await read(path));
  return out;
}

/** Throws a MimicError naming `where` when `expected` is given and the bytes do not match it. */
export async function verifyChecksum(
  where: string,
  bytes: Uint8Array,
  expected: string | undefined,
): Promise<void> {
  if (expected === undefined || !canChecksum()) return;
  if ((await checksumOf(bytes)) !== expected)
    throw new MimicError(
      `${where}: the file is corrupt (its checksum does not match the one recorded when it was written); copy the model folder again`,
      3,
    );
}

/** The parts of a weights manifest entry this check reads. */
export interface WeightSpecLike {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

/**
 * Throws a MimicError naming the file and the weight when a float32 weight holds NaN or ±Infinity, stored as float32
 * or as float16 (float16.ts). `data` is the concatenated weight data in the order of `specs` (the layout TF.js
 * uses); the check stops at the first weight of another dtype or quantization (their sizes are the caller's size
 * check's business).
 */
export function checkFiniteWeights(where: string, data: Uint8Array, specs: WeightSpecLike[]): void {
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const half = isFloat16(spec.quantization);
    if (spec.dtype !== 'float32' || (spec.quantization !== undefined && !half)) return;
    const bytes = count * (half ? 2 : 4);
    if (offset + bytes > data.byteLength) return;
    const view = new DataView(data.buffer, data.byteOffset + offset, bytes);
    for (let i = 0; i < count; i++) {
      const bad = half
        ? nonFiniteFloat16(view.getUint16(2 * i, true))
        : nonFinite(view.getFloat32(4 * i, true));
      if (bad !== undefined)
        throw new MimicError(
          `${where}: weight "${spec.name}" holds ${bad} (corrupt weights); copy the model folder again`,
          3,
        );
    }
    offset += bytes;
  }
}

/** "NaN", "Infinity" or "-Infinity" for such a value; undefined for a finite one. */
const nonFinite = (value: number): string | undefined => (Number.isFinite(value) ? undefined : String(value));
const nonFiniteFloat16 = (bits: number): string | undefined =>
  isFiniteFloat16(bits) ? undefined : (bits & 0x3ff) !== 0 ? 'NaN' : bits & 0x8000 ? '-Infinity' : 'Infinity';

function isFloat16(quantization: unknown): boolean {
  return (quantization as { dtype?: unknown } | undefined)?.dtype === 'float16';
}
