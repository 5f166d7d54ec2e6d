/**
 * mimic-model.json, the manifest of a model folder (layout: src/model/io.ts): what the networks are (config), how
 * crops must be made for them (alignment), the expression labels and how the model was trained. Written by
 * saveMimicModel; parsed and checked here only, for every reader (CLI, library, evaluation, web page).
 */
import type { AlignmentConfig } from '../face/align.js';
import { MimicError } from '../util/errors.js';
import { resolveModelConfig, type MimicModelConfig, type PartialModelConfig } from './config.js';
import type { TrainingInfo } from './mimicModel.js';
import { parseJsonFile, readModelFile, type ModelFolder } from './modelFolder.js';

export const MODEL_MANIFEST = 'mimic-model.json';
export const MODEL_FORMAT = 'mimic-model';
export const MODEL_VERSION = 1;

export interface MimicModelManifest {
  format: typeof MODEL_FORMAT;
  version: number;
  config: MimicModelConfig;
  alignment: AlignmentConfig;
  labels: string[];
  training: TrainingInfo;
  /** "<network folder>/<file>" → "sha256:…" of every network file (integrity.ts); absent in older folders. */
  checksums?: Record<string, string>;
}

/** The manifest's checksums if they are a map of strings (anything else is a damaged manifest). */
function parseChecksums(
  value: unknown,
  fail: (problem: string) => never,
): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('"checksums" is not a map');
  const out: Record<string, string> = {};
  for (const [path, sum] of Object.entries(value)) {
    if (typeof sum !== 'string') return fail(`the checksum of ${path} is not a string`);
    out[path] = sum;
  }
  return out;
}

/**
 * Checks a manifest's bytes (`where` names the file in messages). The config is completed with the defaults of
 * fields added after the model was written, and validated.
 */
export function parseModelManifest(bytes: Uint8Array, where: string): MimicModelManifest {
  const value = parseJsonFile(bytes, where) as Partial<MimicModelManifest> | null;
  const fail = (problem: string): never => {
    throw new MimicError(`${where}: ${problem}`, 3);
  };
  if (typeof value !== 'object' || value === null || value.format !== MODEL_FORMAT)
    return fail('not a Mimic model manifest');
  if (value.version !== MODEL_VERSION)
    return fail(`model format version ${String(value.version)}, this Mimic reads ${MODEL_VERSION}`);
  if (typeof value.config !== 'object' || value.config === null) return fail('no config');
  if (typeof value.alignment !== 'object' || value.alignment === null) return fail('no alignment');
  let config: MimicModelConfig;
  try {
    config = resolveModelConfig(value.config as PartialModelConfig);
  } catch (error) {
    return fail((error as Error).message);
  }
  if (value.alignment.size !== config.imageSize)
    return fail(
      `the alignment's crop size ${value.alignment.size} differs from the image size ${config.imageSize}`,
    );
  return {
    format: MODEL_FORMAT,
    version: value.version,
    config,
    alignment: value.alignment,
    labels: Array.isArray(value.labels) ? value.labels : [],
    training: value.training as TrainingInfo, // informational; older files may lack fields
    ...(value.checksums !== undefined ? { checksums: parseChecksums(value.checksums, fail) } : {}),
  };
}

export async function readModelManifest(folder: ModelFolder): Promise<MimicModelManifest> {
  return parseModelManifest(await readModelFile(folder, MODEL_MANIFEST), folder.where(MODEL_MANIFEST));
}
