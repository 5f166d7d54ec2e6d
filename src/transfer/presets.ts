/**
 * Expression presets: the mean aligned landmarks of every expression label of a prepared data set, shipped next to
 * the model as `<model dir>/presets.json`.
 *
 * {
 *   "format": "mimic-presets", "version": 1,
 *   "alignment": AlignmentConfig,        // the alignment the means were measured in (must match the model's)
 *   "neutral": "neutral",                // the label displacements are measured from
 *   "source": "cache/frl",               // informational
 *   "presets": { "<label>": { "count": 102, "mean": [136 normalized coordinates], "selection"?: "…" }, … }
 * }
 *
 * A preset is applied as a displacement, not as absolute landmarks: the target of preset p at intensity t is
 * the input's own landmarks + t · (mean_p − mean_neutral), so the input keeps its face shape (jaw, nose, eye
 * spacing) and only gains the expression's typical movement. The neutral preset itself has no displacement from
 * itself, so it instead moves the input's landmarks toward the neutral mean: input + t · (mean_neutral − input).
 *
 * The mean of a whole label dilutes it: FRL's mean smile lifts the mouth corners by 0.05 of the inter-ocular
 * distance (about 1 px of a 64-px crop), because many of its people smile politely. With `strongest` (the shipped
 * presets: 0.1, the strongest tenth) a label's preset is instead the mean over its stronger items: each item is
 * paired with the same person's neutral item, its displacement projected on the label's mean displacement (how
 * much of the typical movement it has), and the top share kept. The preset mean is then mean_neutral + the mean displacement of those
 * pairs, and its `selection` says so. Intensities go up to 1.5 (beyond 1 exaggerates the movement).
 *
 * No file system here (the web page uses this module too): reading and writing presets files with Node is in
 * presetsFile.ts.
 */
import type { DataCache } from '../data/cache.js';
import type { AlignmentConfig } from '../face/align.js';
import { LANDMARK_VALUES } from '../face/landmarks.js';
import { parseJsonFile, readOptionalModelFile, type ModelFolder } from '../model/modelFolder.js';
import { MAX_INTENSITY } from './actionUnits.js';
import { MimicError } from '../util/errors.js';
import { hasOwnName, ownEntry } from '../util/lookup.js';

export const PRESETS_FILE = 'presets.json';

export interface PresetEntry {
  /** How many data set items the mean was taken over. */
  count: number;
  /** 136 normalized coordinates [x0, y0, x1, y1, …] in [-1, 1]. */
  mean: number[];
  /** How the items were chosen when not all of the label's items were averaged. */
  selection?: string;
}

export interface PresetsFile {
  format: 'mimic-presets';
  version: 1;
  alignment: AlignmentConfig;
  neutral: string;
  source: string;
  presets: Record<string, PresetEntry>;
}

export interface ComputePresetsOptions {
  /** The label displacements are measured from (default "neutral"). */
  neutral?: string;
  /** Keep only this share (0 < s ≤ 1) of each non-neutral label's items, the strongest (see above). Default 1. */
  strongest?: number;
}

function roundedMean(sum: Float64Array, count: number): number[] {
  return Array.from(sum, (v) => Math.round((v / count) * 1e5) / 1e5);
}

/** Distance between the eye centres of item `index` (normalized units). */
function interocular(landmarks: Float32Array, index: number): number {
  const centre = (first: number): [number, number] => {
    let x = 0;
    let y = 0;
    for (let i = first; i < first + 6; i++) {
      x += landmarks[index * LANDMARK_VALUES + 2 * i]!;
      y += landmarks[index * LANDMARK_VALUES + 2 * i + 1]!;
    }
    return [x / 6, y / 6];
  };
  const [rx, ry] = centre(36);
  const [lx, ly] = centre(42);
  return Math.hypot(lx - rx, ly - ry);
}

/**
 * The mean displacement from the same person's neutral face over the strongest `share` of a label's items, or
 * undefined when fewer than two of its items have a neutral partner.
 */
function strongestDisplacement(
  cache: DataCache,
  label: string,
  neutral: string,
  share: number,
): { displacement: Float64Array; kept: number; paired: number } | undefined {
  const { manifest, landmarks } = cache;
  const neutralOf = new Map<string, number>();
  for (const item of manifest.items)
    if (item.expression === neutral && !neutralOf.has(item.subject)) neutralOf.set(item.subject, item.index);
  const pairs: Float64Array[] = [];
  for (const item of manifest.items) {
    const base = item.expression === label ? neutralOf.get(item.subject) : undefined;
    if (base === undefined) continue;
    const scale = 1 / interocular(landmarks, base);
    pairs.push(
      Float64Array.from({ length: LANDMARK_VALUES }, (_, i) => {
        const d = landmarks[item.index * LANDMARK_VALUES + i]! - landmarks[base * LANDMARK_VALUES + i]!;
        return d * scale;
      }),
    );
  }
  if (pairs.length < 2) return undefined;
  const mean = new Float64Array(LANDMARK_VALUES);
  for (const d of pairs) for (let i = 0; i < LANDMARK_VALUES; i++) mean[i]! += d[i]! / pairs.length;
  // Strength = projection on the mean displacement, in inter-ocular distances: noise orthogonal to the typical
  // movement (head pitch, a person's own quirks) does not count as a stronger expression.
  const strength = (d: Float64Array): number => d.reduce((s, v, i) => s + v * mean[i]!, 0);
  const ranked = [...pairs].sort((a, b) => strength(b) - strength(a));
  const kept = Math.max(1, Math.round(pairs.length * share));
  // Back to normalized units with the data set's mean inter-ocular distance.
  const neutralIods = [...neutralOf.values()].map((i) => interocular(landmarks, i));
  const iod = neutralIods.reduce((s, v) => s + v, 0) / neutralIods.length;
  const displacement = new Float64Array(LANDMARK_VALUES);
  for (const d of ranked.slice(0, kept))
    for (let i = 0; i < LANDMARK_VALUES; i++) displacement[i]! += (d[i]! * iod) / kept;
  return { displacement, kept, paired: pairs.length };
}

/** Means per expression label over every item of the cache (or the strongest share of each, see above). */
export function computePresets(
  cache: DataCache,
  source: string,
  options: ComputePresetsOptions | string = {},
): PresetsFile {
  const { neutral = 'neutral', strongest = 1 } = typeof options === 'string' ? { neutral: options } : options;
  if (!(strongest > 0 && strongest <= 1))
    throw new MimicError(`the strongest share must be a number above 0 and at most 1 (got ${strongest})`);
  const { manifest, landmarks } = cache;
  const sums = new Map<string, { count: number; sum: Float64Array }>();
  for (const item of manifest.items) {
    let entry = sums.get(item.expression);
    if (!entry) sums.set(item.expression, (entry = { count: 0, sum: new Float64Array(LANDMARK_VALUES) }));
    entry.count++;
    for (let i = 0; i < LANDMARK_VALUES; i++) entry.sum[i]! += landmarks[item.index * LANDMARK_VALUES + i]!;
  }
  const neutralSum = sums.get(neutral);
  if (!neutralSum)
    throw new MimicError(
      `${source}: no items labelled "${neutral}" (labels: ${[...sums.keys()].join(', ') || 'none'}); presets are displacements from the neutral mean`,
    );
  const neutralMean = roundedMean(neutralSum.sum, neutralSum.count);
  const entries: [string, PresetEntry][] = [];
  for (const label of [...sums.keys()].sort()) {
    const { count, sum } = sums.get(label)!;
    const strong =
      label !== neutral && strongest < 1
        ? strongestDisplacement(cache, label, neutral, strongest)
        : undefined;
    if (!strong) {
      entries.push([label, { count, mean: roundedMean(sum, count) }]);
      continue;
    }
    const mean = neutralMean.map((v, i) => Math.round((v + strong.displacement[i]!) * 1e5) / 1e5);
    const selection = `the strongest ${strong.kept} of ${strong.paired} (ranked by the projection of their displacement from the same person's neutral face on the mean one)`;
    entries.push([label, { count: strong.kept, mean, selection }]);
  }
  // Object.fromEntries defines own properties: a label such as "__proto__" stays a plain key.
  const presets = Object.fromEntries(entries) as Record<string, PresetEntry>;
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
    const selection = (entry as Partial<PresetEntry>).selection;
    if (selection !== undefined && typeof selection !== 'string')
      fail(`preset "${label}": "selection" must be text`);
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
  checkPresetsAlignment(presets, alignment, where);
  return presets;
}

/** Refuses presets (read from `where`) measured with another alignment than a model's `alignment`. */
export function checkPresetsAlignment(presets: PresetsFile, alignment: AlignmentConfig, where: string): void {
  if (!sameAlignment(presets.alignment, alignment))
    throw new MimicError(
      `${where}: measured with another alignment than the model's; make them again from the model's data set`,
      3,
    );
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

/** The displacement of preset `name` from the neutral mean (normalized coordinates). */
export function presetDisplacement(presets: PresetsFile, name: string): Float32Array {
  const mean = presetMean(presets, name);
  const neutral = presetMean(presets, presets.neutral);
  return Float32Array.from(mean, (v, i) => v - neutral[i]!);
}

/**
 * Target landmarks for preset `name` at `intensity` (0 = the input unchanged, 1 = the full expression, up to 1.5
 * an exaggeration of it).
 */
export function applyPreset(
  presets: PresetsFile,
  input: ArrayLike<number>,
  name: string,
  intensity = 1,
): Float32Array {
  if (!(intensity >= 0 && intensity <= MAX_INTENSITY))
    throw new MimicError(`intensity must be a number from 0 to ${MAX_INTENSITY} (got ${intensity})`);
  const out = new Float32Array(LANDMARK_VALUES);
  if (name === presets.neutral) {
    // Neutral cannot be exaggerated: past 1 it would overshoot the neutral mean into the opposite expression.
    const t = Math.min(1, intensity);
    const neutral = presetMean(presets, name);
    for (let i = 0; i < LANDMARK_VALUES; i++) out[i] = input[i]! + t * (neutral[i]! - input[i]!);
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
