/**
 * Expression presets: the mean aligned landmarks of every expression label of a prepared data set, shipped next to
 * the model as `<model dir>/presets.json`.
 *
 * {
 *   "format": "mimic-presets", "version": 1,
 *   "alignment": AlignmentConfig,        // the alignment the means were measured in (must match the model's)
 *   "neutral": "neutral",                // the label displacements are measured from
 *   "source": "cache/frl",               // informational
 *   "presets": { "<label>": { "count": 102, "mean": [136 normalized coordinates] }, … }
 * }
 *
 * A preset is applied as a displacement, not as absolute landmarks: the target of preset p at intensity t is
 * the input's own landmarks + t · (mean_p − mean_neutral), so the input keeps its face shape (jaw, nose, eye
 * spacing) and only gains the expression's typical movement. The neutral preset itself has no displacement from
 * itself, so it instead moves the input's landmarks toward the neutral mean: input + t · (mean_neutral − input).
 *
 * No file system here (the web page uses this module too): reading and writing presets files with Node is in
 * presetsFile.ts.
 */
import type { DataCache } from '../data/cache.js';
import type { AlignmentConfig } from '../face/align.js';
import { LANDMARK_VALUES } from '../face/landmarks.js';
import { parseJsonFile, readOptionalModelFile, type ModelFolder } from '../model/modelFolder.js';
import { MimicError } from '../util/errors.js';
import { hasOwnName, ownEntry } from '../util/lookup.js';

export const PRESETS_FILE = 'presets.json';

export interface PresetEntry {
  /** How many data set items the mean was taken over. */
  count: number;
  /** 136 normalized coordinates [x0, y0, x1, y1, …] in [-1, 1]. */
  mean: number[];
}

export interface PresetsFile {
  format: 'mimic-presets';
  version: 1;
  alignment: AlignmentConfig;
  neutral: string;
  source: string;
  presets: Record<string, PresetEntry>;
}

/** Means per expression label over every item of the cache. */
export function computePresets(cache: DataCache, source: string, neutral = 'neutral'): PresetsFile {
  const { manifest, landmarks } = cache;
  const sums = new Map<string, { count: number; sum: Float64Array }>();
  for (const item of manifest.items) {
    let entry = sums.get(item.expression);
    if (!entry) sums.set(item.expression, (entry = { count: 0, sum: new Float64Array(LANDMARK_VALUES) }));
    entry.count++;
    for (let i = 0; i < LANDMARK_VALUES; i++) entry.sum[i]! += landmarks[item.index * LANDMARK_VALUES + i]!;
  }
  if (!sums.has(neutral))
    throw new MimicError(
      `${source}: no items labelled "${neutral}" (labels: ${[...sums.keys()].join(', ') || 'none'}); presets are displacements from the neutral mean`,
    );
  const presets: Record<string, PresetEntry> = {};
  for (const label of [...sums.keys()].sort()) {
    const { count, sum } = sums.get(label)!;
    presets[label] = { count, mean: Array.from(sum, (v) => Math.round((v / count) * 1e5) / 1e5) };
  }
  return { format: 'mimic-presets', version: 1, alignment: manifest.alignment, neutral, source, presets };
}

export function validatePresets(value: unknown, source: string): PresetsFile {
  const fail = (problem: string): never => {
    throw new MimicError(`${source}: ${problem}`, 3);
  };
  if (typeof value !== 'object' || value === null) fail('not a presets file (expected a JSON object)');
  const v = value as Partial<PresetsFile>;
  if (v.format !== 'mimic-presets') fail('not a presets file ("format" must be "mimic-presets")');
  if (v.version !== 1) fail(`presets version ${String(v.version)}, expected 1`);
  if (typeof v.alignment !== 'object' || v.alignment === null) fail('"alignment" is missing');
  if (typeof v.presets !== 'object' || v.presets === null) fail('"presets" is missing');
  if (typeof v.neutral !== 'string' || !hasOwnName(v.presets!, v.neutral))
    fail(`the neutral label ${JSON.stringify(v.neutral)} has no preset`);
  for (const [label, entry] of Object.entries(v.presets!)) {
    const mean = (entry as Partial<PresetEntry>)?.mean;
    if (!Array.isArray(mean) || mean.length !== LANDMARK_VALUES || !mean.every((x) => Number.isFinite(x)))
      fail(`preset "${label}" must have a "mean" of ${LANDMARK_VALUES} finite numbers`);
  }
  return v as PresetsFile;
}

/** Checks the bytes of a presets file (`where` names it in messages). */
export function parsePresets(bytes: Uint8Array, where: string): PresetsFile {
  return validatePresets(parseJsonFile(bytes, where), where);
}

/**
 * The presets shipped beside a model (`<model>/presets.json`; optional: undefined without one). Presets measured
 * with another alignment than the model's are refused: their means live in other crop coordinates.
 */
export async function loadModelPresets(
  folder: ModelFolder,
  alignment: AlignmentConfig,
): Promise<PresetsFile | undefined> {
  const bytes = await readOptionalModelFile(folder, PRESETS_FILE);
  if (bytes === undefined) return undefined;
  const where = folder.where(PRESETS_FILE);
  const presets = parsePresets(bytes, where);
  if (!sameAlignment(presets.alignment, alignment))
    throw new MimicError(
      `${where}: measured with another alignment than the model's; make them again from the model's data set`,
      3,
    );
  return presets;
}

export function presetNames(presets: PresetsFile): string[] {
  return Object.keys(presets.presets).sort();
}

function presetMean(presets: PresetsFile, name: string): number[] {
  const entry = ownEntry(presets.presets, name);
  if (!entry)
    throw new MimicError(`unknown expression "${name}" (known: ${presetNames(presets).join(', ')})`);
  return entry.mean;
}

/** Throws the "unknown expression" MimicError unless `name` is one of the presets. */
export function checkPresetName(presets: PresetsFile, name: string): void {
  presetMean(presets, name);
}

/** The displacement of preset `name` from the neutral mean (normalized coordinates). */
export function presetDisplacement(presets: PresetsFile, name: string): Float32Array {
  const mean = presetMean(presets, name);
  const neutral = presetMean(presets, presets.neutral);
  return Float32Array.from(mean, (v, i) => v - neutral[i]!);
}

/** Target landmarks for preset `name` at `intensity` (0 = the input unchanged, 1 = the full expression). */
export function applyPreset(
  presets: PresetsFile,
  input: ArrayLike<number>,
  name: string,
  intensity = 1,
): Float32Array {
  if (!(intensity >= 0 && intensity <= 1))
    throw new MimicError(`intensity must be a number from 0 to 1 (got ${intensity})`);
  const out = new Float32Array(LANDMARK_VALUES);
  if (name === presets.neutral) {
    const neutral = presetMean(presets, name);
    for (let i = 0; i < LANDMARK_VALUES; i++) out[i] = input[i]! + intensity * (neutral[i]! - input[i]!);
    return out;
  }
  const d = presetDisplacement(presets, name);
  for (let i = 0; i < LANDMARK_VALUES; i++) out[i] = input[i]! + intensity * d[i]!;
  return out;
}

/** Whether two alignments produce the same crops (so presets measured in one apply to a model trained in the other). */
export function sameAlignment(a: AlignmentConfig, b: AlignmentConfig): boolean {
  return (
    a.mode === b.mode &&
    a.size === b.size &&
    (['rightInnerEye', 'leftInnerEye', 'lowerLipBottom'] as const).every(
      (k) => a.canonical[k][0] === b.canonical[k][0] && a.canonical[k][1] === b.canonical[k][1],
    )
  );
}
