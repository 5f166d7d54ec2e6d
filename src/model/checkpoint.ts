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
    await writeFile(join(tmp, 'state.json'), JSON.stringify({ ...checkpoint.state, index }));
  });
  await writeFileAtomic(
    join(dir, 'latest.json'),
    JSON.stringify({ folder: name, step: checkpoint.state.step }) + '\n',
  );
  // Prune old step folders (never the one just written); leftovers of killed writes are hidden temp folders.
  const folders = (await readdir(dir)).filter((f) => /^step-\d+$/.test(f)).sort();
  for (const old of folders.slice(0, Math.max(0, folders.length - KEEP)))
    if (old !== name) await rm(join(dir, old), { recursive: true, force: true });
}

/** The newest complete checkpoint, or undefined when the run has none. */
export async function loadLatestCheckpoint(runDir: string): Promise<Checkpoint | undefined> {
  const dir = checkpointsDir(runDir);
  let pointer: { folder: string };
  try {
    pointer = JSON.parse(await readFile(join(dir, 'latest.json'), 'utf8')) as { folder: string };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MimicError(`${join(dir, 'latest.json')}: unreadable (${(error as Error).message})`, 3);
  }
  const folder = join(dir, pointer.folder);
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
  let state: CheckpointState & { index: { weights: ArrayIndexEntry[]; optimizer: ArrayIndexEntry[] } };
  try {
    state = JSON.parse((await read('state.json')).toString('utf8'));
  } catch (error) {
    if (error instanceof MimicError) throw error;
    throw new MimicError(`${join(folder, 'state.json')}: not valid JSON`, 3);
  }
  if (state.version !== CHECKPOINT_VERSION)
    throw new MimicError(
      `${join(folder, 'state.json')}: checkpoint version ${state.version}, expected ${CHECKPOINT_VERSION}`,
      3,
    );
  const weights = unpackArrays(state.index.weights, await read('weights.bin'), join(folder, 'weights.bin'));
  const optimizer = unpackArrays(
    state.index.optimizer,
    await read('optimizer.bin'),
    join(folder, 'optimizer.bin'),
  );
  const rest: CheckpointState & { index?: unknown } = { ...state };
  delete rest.index;
  return { state: rest, weights, optimizer };
}
