/**
 * Training checkpoints: `<run>/checkpoints/step-<n>/` (state.json + weights.bin + optimizer.bin) and
 * `<run>/checkpoints/latest.json` naming the newest complete one.
 *
 * Why a new folder per checkpoint plus a pointer, rather than replacing one folder: a step folder is written
 * atomically under a name no one reads yet, and the pointer is a single-file atomic rename, so a run killed at any
 * instant leaves `latest.json` naming a complete checkpoint (the new one or the previous one). Older folders are
 * deleted only after the pointer moved. The trainer writes and resumes them; `mimic eval --checkpoint` reads them, which
 * is why they live in model/ (below both train/ and eval/).
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NamedArrays } from '../engine/parallel/replica.js';
import type { MimicModelConfig } from './config.js';
import { writeDirAtomic, writeFileAtomic } from '../util/atomic.js';
import { MimicError } from '../util/errors.js';
import { checkFiniteWeights, checksumOf, verifyChecksum } from './integrity.js';

export const CHECKPOINT_VERSION = 1;

/** Where the training triplet sampler (src/train/trainingData.ts) stands: epoch, position in it, its order. */
export interface SamplerState {
  epoch: number;
  position: number;
  order: number[];
}
const KEEP = 2;

export interface CheckpointState {
  version: number;
  step: number;
  /** Lines in log.jsonl that belong to steps ≤ step (a resumed run cuts the log back to this). */
  logLines: number;
  wallSeconds: number;
  rngState: number;
  sampler: SamplerState;
  config: MimicModelConfig;
  seed: number;
  data: string;
  fold: number | null;
}

export interface Checkpoint {
  state: CheckpointState;
  weights: NamedArrays;
  optimizer: NamedArrays;
}

interface ArrayIndexEntry {
  name: string;
  length: number;
}

function packArrays(arrays: NamedArrays): { index: ArrayIndexEntry[]; bytes: Uint8Array } {
  const index = Object.entries(arrays).map(([name, values]) => ({ name, length: values.length }));
  const total = index.reduce((sum, e) => sum + e.length, 0);
  const flat = new Float32Array(total);
  let offset = 0;
  for (const [, values] of Object.entries(arrays)) {
    flat.set(values, offset);
    offset += values.length;
  }
  return { index, bytes: new Uint8Array(flat.buffer) };
}

function unpackArrays(index: ArrayIndexEntry[], bytes: Buffer, file: string): NamedArrays {
  const total = index.reduce((sum, e) => sum + e.length, 0);
  if (bytes.length !== total * 4)
    throw new MimicError(`${file}: ${bytes.length} bytes, expected ${total * 4} (corrupt checkpoint)`, 3);
  const flat = new Float32Array(total);
  new Uint8Array(flat.buffer).set(bytes);
  const out: NamedArrays = {};
  let offset = 0;
  for (const entry of index) {
    out[entry.name] = flat.slice(offset, offset + entry.length);
    offset += entry.length;
  }
  return out;
}

export function checkpointsDir(runDir: string): string {
  return join(runDir, 'checkpoints');
}

/** The file that names a run's newest checkpoint folder (and its step). */
const LATEST_FILE = 'latest.json';

const stepFolder = (step: number): string => `step-${String(step).padStart(7, '0')}`;

export async function saveCheckpoint(runDir: string, checkpoint: Checkpoint): Promise<void> {
  const dir = checkpointsDir(runDir);
  const name = stepFolder(checkpoint.state.step);
  const weights = packArrays(checkpoint.weights);
  const optimizer = packArrays(checkpoint.optimizer);
  await writeDirAtomic(join(dir, name), async (tmp) => {
    await writeFile(join(tmp, 'weights.bin'), weights.bytes);
    await writeFile(join(tmp, 'optimizer.bin'), optimizer.bytes);
    const index = { weights: weights.index, optimizer: optimizer.index };
    const checksums = {
      'weights.bin': await checksumOf(weights.bytes),
      'optimizer.bin': await checksumOf(optimizer.bytes),
    };
    await writeFile(join(tmp, 'state.json'), JSON.stringify({ ...checkpoint.state, index, checksums }));
  });
  await writeFileAtomic(
    join(dir, LATEST_FILE),
    JSON.stringify({ folder: name, step: checkpoint.state.step }) + '\n',
  );
  // Prune old step folders (never the one just written); leftovers of killed writes are hidden temp folders.
  const folders = (await readdir(dir)).filter((f) => /^step-\d+$/.test(f)).sort();
  for (const old of folders.slice(0, Math.max(0, folders.length - KEEP)))
    if (old !== name) await rm(join(dir, old), { recursive: true, force: true });
}

/**
 * The step latest.json names, without reading the checkpoint: undefined when the run has no pointer, null when it
 * has one that names no step (damaged: loadLatestCheckpoint reports it).
 */
export async function latestCheckpointStep(runDir: string): Promise<number | null | undefined> {
  let text: string;
  try {
    text = await readFile(join(checkpointsDir(runDir), LATEST_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const step = (JSON.parse(text) as { step?: unknown }).step;
    return typeof step === 'number' ? step : null;
  } catch {
    return null;
  }
}

/** A checkpoint read back, with a notice when the newest one was damaged and an older one is used instead. */
export type LoadedCheckpoint = Checkpoint & { folder: string; notice?: string };

/** Reads one step folder; any damage (missing file, bad JSON, wrong size, checksum, NaN) is a MimicError. */
async function readCheckpointFolder(folder: string): Promise<Checkpoint> {
  const read = async (file: string): Promise<Buffer> => {
    try {
      return await readFile(join(folder, file));
    } catch (error) {
      throw new MimicError(
        `${join(folder, file)}: missing or unreadable (${(error as NodeJS.ErrnoException).code})`,
        3,
      );
    }
  };
  type StoredState = CheckpointState & {
    index: { weights: ArrayIndexEntry[]; optimizer: ArrayIndexEntry[] };
    checksums?: Record<string, string>;
  };
  let state: StoredState;
  try {
    state = JSON.parse((await read('state.json')).toString('utf8')) as StoredState;
  } catch (error) {
    if (error instanceof MimicError) throw error;
    throw new MimicError(`${join(folder, 'state.json')}: not valid JSON`, 3);
  }
  if (typeof state !== 'object' || state === null || typeof state.index !== 'object' || state.index === null)
    throw new MimicError(`${join(folder, 'state.json')}: not a checkpoint state`, 3);
  if (state.version !== CHECKPOINT_VERSION)
    throw new MimicError(
      `${join(folder, 'state.json')}: checkpoint version ${state.version}, expected ${CHECKPOINT_VERSION}`,
      3,
    );
  const arrays = async (file: string, index: ArrayIndexEntry[]): Promise<NamedArrays> => {
    const bytes = await read(file);
    await verifyChecksum(join(folder, file), bytes, state.checksums?.[file]);
    const out = unpackArrays(index, bytes, join(folder, file));
    checkFiniteWeights(
      join(folder, file),
      bytes,
      index.map((e) => ({ name: e.name, shape: [e.length], dtype: 'float32' })),
    );
    return out;
  };
  const weights = await arrays('weights.bin', state.index.weights);
  const optimizer = await arrays('optimizer.bin', state.index.optimizer);
  const rest: CheckpointState & { index?: unknown; checksums?: unknown } = { ...state };
  delete rest.index;
  delete rest.checksums;
  return { state: rest, weights, optimizer };
}

/**
 * The newest complete checkpoint, or undefined when the run has none. When the one latest.json names is damaged
 * (a disk error, a run killed by the system at a bad moment), the newest older step folder that reads cleanly is
 * used, with a notice; only when none does is the damage an error.
 */
export async function loadLatestCheckpoint(runDir: string): Promise<LoadedCheckpoint | undefined> {
  const dir = checkpointsDir(runDir);
  let pointed: string | undefined;
  let pointerProblem: string | undefined;
  try {
    const pointer = JSON.parse(await readFile(join(dir, LATEST_FILE), 'utf8')) as { folder?: unknown };
    if (typeof pointer.folder === 'string' && /^step-\d+$/.test(pointer.folder)) pointed = pointer.folder;
    else pointerProblem = `${join(dir, LATEST_FILE)}: names no step folder`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    pointerProblem = `${join(dir, LATEST_FILE)}: unreadable (${(error as Error).message.split('\n')[0]})`;
  }
  let folders: string[] = [];
  try {
    folders = (await readdir(dir))
      .filter((f) => /^step-\d+$/.test(f))
      .sort()
      .reverse();
  } catch {
    // no folder list: only the pointer's folder can be tried
  }
  const candidates = [...(pointed !== undefined ? [pointed] : []), ...folders.filter((f) => f !== pointed)];
  let firstProblem = pointerProblem;
  for (const name of candidates) {
    try {
      const checkpoint = await readCheckpointFolder(join(dir, name));
      const notice =
        firstProblem === undefined
          ? undefined
          : `${firstProblem}; resuming from the newest complete checkpoint left, ${name} (step ${checkpoint.state.step})`;
      return { ...checkpoint, folder: name, ...(notice !== undefined ? { notice } : {}) };
    } catch (error) {
      if (!(error instanceof MimicError)) throw error;
      firstProblem ??= error.message;
    }
  }
  throw new MimicError(
    `${firstProblem ?? `${dir}: no checkpoint`}; no complete checkpoint is left in ${dir} (start again without --resume, or with another --out)`,
    3,
  );
}
