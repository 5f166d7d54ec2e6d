/**
 * The Mimic model folder on the Node file system (the page reads the same folder over HTTP):
 *
 *   <dir>/mimic-model.json     { format: "mimic-model", version: 1, config, alignment, labels, training, checksums }
 *                              (parsed and checked in src/model/manifest.ts only)
 *   <dir>/landmark-encoder/    model.json + weights.bin (TF.js layers format)
 *   <dir>/landmark-decoder/    …
 *   <dir>/generator/           …
 *   <dir>/critic/              … (uses the custom layer class MimicSampleNorm; inference never needs it)
 *
 * Inference (src/model/inference.ts) needs only the landmark encoder and the generator; loadMimicModel here loads
 * all four networks, for training and tests.
 */
import type * as tf from '@tensorflow/tfjs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDirAtomic } from '../util/atomic.js';
import { loadNetwork, networkFolderFiles } from './inference.js';
import { checksumFiles } from './integrity.js';
import { saveLayersFolder } from './layersFolder.js';
import {
  MODEL_FORMAT,
  MODEL_MANIFEST,
  MODEL_VERSION,
  readModelManifest,
  type MimicModelManifest,
} from './manifest.js';
import { type MimicModel, NETWORK_FOLDERS, NETWORK_KEYS } from './mimicModel.js';
import type { ModelFolder } from './modelFolder.js';

/** A model folder on disk, read with the Node file system. */
export function nodeModelFolder(dir: string): ModelFolder {
  return {
    where: (path) => join(dir, ...path.split('/')),
    async read(path) {
      try {
        return await readFile(join(dir, ...path.split('/')));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
  };
}

/** The network files of a model folder, '/'-separated and relative to it ("generator/weights.bin", …). */
export function networkFiles(): string[] {
  return NETWORK_KEYS.flatMap((key) => networkFolderFiles(NETWORK_FOLDERS[key]));
}

/**
 * mimic-model.json's text with its "checksums" computed afresh from the folder's network files (read through
 * `read`, by '/'-separated path). The rest of the file's own text is kept, not the parsed manifest, which fills in
 * config defaults.
 */
export async function manifestWithChecksums(
  manifestText: string,
  read: (path: string) => Promise<Uint8Array>,
): Promise<string> {
  const manifest = JSON.parse(manifestText) as Record<string, unknown>;
  manifest.checksums = await checksumFiles(networkFiles(), read);
  return JSON.stringify(manifest, null, 1) + '\n';
}

const OWN_ENTRIES = new Set<string>([MODEL_MANIFEST, ...Object.values(NETWORK_FOLDERS)]);

/**
 * Files others keep beside a model (e.g. expression presets, presets.json) survive a re-export: the trainer
 * re-exports `<run>/model/` with every checkpoint, and replacing the folder would otherwise delete them.
 */
async function carryOverExtraFiles(dir: string, tmp: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return; // no previous folder
  }
  for (const entry of entries)
    if (!OWN_ENTRIES.has(entry) && !entry.startsWith('.'))
      await cp(join(dir, entry), join(tmp, entry), { recursive: true });
}

/** Writes the whole folder atomically: a reader never sees a half-written model. */
export async function saveMimicModel(dir: string, model: MimicModel): Promise<void> {
  await writeDirAtomic(dir, async (tmp) => {
    await carryOverExtraFiles(dir, tmp);
    for (const key of NETWORK_KEYS) {
      const sub = join(tmp, NETWORK_FOLDERS[key]);
      await mkdir(sub, { recursive: true });
      await saveLayersFolder(model[key], sub);
    }
    const manifest: MimicModelManifest = {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      config: model.config,
      alignment: model.alignment,
      labels: model.labels,
      training: model.training,
      checksums: await checksumFiles(networkFiles(), (path) => readFile(join(tmp, ...path.split('/')))),
    };
    // Manifest last, as in the data cache: its presence means the networks were written.
    await writeFile(join(tmp, MODEL_MANIFEST), JSON.stringify(manifest, null, 1) + '\n');
  });
}

export async function loadMimicModel(dir: string): Promise<MimicModel> {
  const folder = nodeModelFolder(dir);
  const manifest = await readModelManifest(folder);
  const loaded: Partial<Record<(typeof NETWORK_KEYS)[number], tf.LayersModel>> = {};
  try {
    for (const key of NETWORK_KEYS)
      loaded[key] = await loadNetwork(folder, NETWORK_FOLDERS[key], manifest.checksums);
  } catch (error) {
    for (const model of Object.values(loaded)) model.dispose();
    throw error;
  }
  return {
    config: manifest.config,
    alignment: manifest.alignment,
    labels: manifest.labels,
    training: manifest.training,
    landmarkEncoder: loaded.landmarkEncoder!,
    landmarkDecoder: loaded.landmarkDecoder!,
    generator: loaded.generator!,
    critic: loaded.critic!,
  };
}

export function disposeMimicModel(model: MimicModel): void {
  for (const key of NETWORK_KEYS) model[key].dispose();
}
