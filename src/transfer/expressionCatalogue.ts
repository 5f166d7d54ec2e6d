/**
 * Every named expression a target can ask for: the data-driven presets shipped with the model (presets.json:
 * neutral, smile, and any label of the data set it was measured on) and the presets composed of FACS action units
 * (actionUnits.ts) for the expressions no open data set we can use shows.
 *
 * The emotions follow the prototype table of the Facial Action Coding System (Ekman & Friesen's EMFACS, as
 * tabulated in Wikipedia's "Facial Action Coding System" article, section "Emotions"):
 *   happiness 6+12 · sadness 1+4+15 · surprise 1+2+5B+26 · fear 1+2+4+5+20+26 · anger 4+5+7+23 ·
 *   disgust 9+15+16 · contempt R12A+R14A.
 * Anger takes its open-mouthed form: FACS lists 4, 5, 7, 10, 17, 22, 23 and 24 for anger, and Ekman & Friesen's
 * "Unmasking the Face" (1975) gives its mouth as "pressed firmly together" or open and squarish, as if shouting;
 * both were built (the pressed form is --au 4=1.5,5=0.5,7=1,17=0.8,24=1) and the open one read as anger more often
 * on the FRL photos we tune on (README, "Expression presets and action units").
 * FACS intensities run A (trace) … E (maximum); ours run 0..1.5 and were set by hand (checked by eye and with
 * face-api's expression reader on held-out photos, never at run time: bench/emotionPresets.ts). Where a preset
 * departs from the table, its `note` says so. Happiness is the data-driven `smile` (FRL London), not an AU mix.
 *
 * The mouth-shape presets ("aaa", "eee", "ooo") are the visemes of open, spread and rounded vowels, written in
 * the same AUs: 25+26 (jaw open), 20+25 with a little 10/12 (lips spread, teeth apart), 18+22+25 (rounded).
 *
 * Lookups use Maps and Object.hasOwn only: a name such as "constructor" or "__proto__" is an unknown preset, never
 * something inherited from Object.prototype.
 */
import { MimicError } from '../util/errors.js';
import {
  actionUnitDisplacement,
  describeActionUnits,
  MAX_INTENSITY,
  parseActionUnits,
} from './actionUnits.js';
import { applyPreset, presetNames, type PresetsFile } from './presets.js';

export interface AuPreset {
  name: string;
  /** The AU combination at intensity 1, in --au syntax. */
  units: string;
  /** The table row it follows, and what we changed. */
  note: string;
}

/** The AU-composed presets, in the order `mimic presets --list` shows them. */
export const AU_PRESETS: readonly AuPreset[] = [
  { name: 'surprise', units: '1=1.2,2=1.2,5=1,25=0.5,26=1.1', note: 'EMFACS 1+2+5B+26, with 25 (lips part)' },
  { name: 'sad', units: '1=1.5,4=0.8,15=1.5,17=0.8', note: 'EMFACS 1+4+15, with 17 (chin raiser)' },
  {
    name: 'angry',
    units: '4=1.5,5=0.6,7=1,10=0.8,23=0.5,25=0.8,26=0.3',
    note: 'EMFACS 4+5+7+23 with the open, squarish mouth: 4+5+7+10+23+25/26',
  },
  {
    name: 'fear',
    units: '1=1.3,2=0.6,4=1.5,5=1.3,15=0.8,20=1.5,25=1,26=0.5',
    note: 'EMFACS 1+2+4+5+20+26, with 25 and 15 (lip corner depressor)',
  },
  {
    name: 'disgust',
    units: '4=0.4,7=0.4,9=1.5,10=1.2,17=0.6',
    note: 'EMFACS 9+17 / 10+17, with 4 and 7 (brows lowered, lids tightened)',
  },
  { name: 'contempt', units: 'R12=1,R14=1', note: 'EMFACS R12A+R14A, stronger than A (trace) to be visible' },
  { name: 'blink', units: '45=1', note: 'AU45' },
  { name: 'wink-left', units: 'L46=1', note: "AU46 on the person's left eye (the image's right)" },
  { name: 'wink-right', units: 'R46=1', note: "AU46 on the person's right eye (the image's left)" },
  { name: 'brows-raised', units: '1=1,2=1', note: 'AU1+2' },
  { name: 'brows-lowered', units: '4=1', note: 'AU4' },
  { name: 'squint', units: '44=1,6=0.4', note: 'AU44 with a little 6' },
  { name: 'aaa', units: '25=1,26=1.1', note: 'viseme of an open vowel: 25+26' },
  { name: 'eee', units: '20=1,25=0.8,12=0.4,10=0.4', note: 'viseme of a spread vowel: 20+25 (+10, 12)' },
  { name: 'ooo', units: '18=1,22=1,25=0.5,26=0.3', note: 'viseme of a rounded vowel: 18+22+25+26' },
];

const AU_PRESET_BY_NAME = new Map(AU_PRESETS.map((p) => [p.name, p]));

/** Other spellings people type (face-api's and CK+'s labels); each maps to a preset name. */
const ALIASES = new Map<string, string>([
  ['happy', 'smile'],
  ['happiness', 'smile'],
  ['surprised', 'surprise'],
  ['sadness', 'sad'],
  ['anger', 'angry'],
  ['fearful', 'fear'],
  ['disgusted', 'disgust'],
]);

/** The other spellings, as "happy = smile, …", for `mimic presets --list` (names ignore case too). */
export function describeAliases(): string {
  return [...ALIASES].map(([alias, name]) => `${alias} = ${name}`).join(', ');
}

export interface ExpressionInfo {
  name: string;
  kind: 'data' | 'action units';
  /** For AU presets the AU mix; for data presets where it comes from. */
  description: string;
}

function dataPresetNames(presets: PresetsFile | undefined): string[] {
  return presets === undefined ? [] : presetNames(presets);
}

function hasDataPreset(presets: PresetsFile | undefined, name: string): boolean {
  return presets !== undefined && Object.hasOwn(presets.presets, name);
}

/** Every expression name a target may use with these presets (data presets first, then the AU presets). */
export function expressionNames(presets: PresetsFile | undefined): string[] {
  const names = dataPresetNames(presets);
  for (const preset of AU_PRESETS) if (!names.includes(preset.name)) names.push(preset.name);
  return names;
}

/** Resolves an alias; the name unchanged when it is none. */
function canonicalName(presets: PresetsFile | undefined, name: string): string {
  if (hasDataPreset(presets, name) || AU_PRESET_BY_NAME.has(name)) return name;
  return ALIASES.get(name.toLowerCase()) ?? name.toLowerCase();
}

function unknown(presets: PresetsFile | undefined, name: string): never {
  // "surprise@0.5" is the CLI's way to give an intensity; a library caller who writes it is told the library's.
  const at = /^(.+)@([^@]*)$/.exec(name);
  const hint = at ? `; the intensity is its own field: { expression: '${at[1]}', intensity: ${at[2]} }` : '';
  throw new MimicError(`unknown expression "${name}" (known: ${expressionNames(presets).join(', ')})${hint}`);
}

/** Whether `name` (or an alias of it) is one of the AU presets, which work without presets.json. */
export function isActionUnitPreset(name: string): boolean {
  return (
    AU_PRESET_BY_NAME.has(name) ||
    AU_PRESET_BY_NAME.has(ALIASES.get(name.toLowerCase()) ?? name.toLowerCase())
  );
}

export function checkIntensity(intensity: number, what = 'intensity'): void {
  if (!(typeof intensity === 'number' && intensity >= 0 && intensity <= MAX_INTENSITY))
    throw new MimicError(`${what} must be a number from 0 to ${MAX_INTENSITY} (got ${String(intensity)})`);
}

/** Throws the one-line "unknown expression" error unless `name` (or an alias of it) is a preset. */
export function checkExpressionName(presets: PresetsFile | undefined, name: string): void {
  const canonical = canonicalName(presets, name);
  if (!hasDataPreset(presets, canonical) && !AU_PRESET_BY_NAME.has(canonical)) unknown(presets, name);
}

/** The AU mix of an AU preset at `intensity` (empty for data presets). */
export function presetActionUnits(
  presets: PresetsFile | undefined,
  name: string,
  intensity = 1,
): Map<string, number> {
  const canonical = canonicalName(presets, name);
  if (hasDataPreset(presets, canonical)) return new Map();
  const preset = AU_PRESET_BY_NAME.get(canonical);
  if (!preset) unknown(presets, name);
  const scaled = new Map<string, number>();
  for (const [key, value] of parseActionUnits(preset.units)) scaled.set(key, value * intensity);
  return scaled;
}

/** Adds AU maps (a preset's, scaled, and the user's own); unlike user input, totals may pass 1.5. */
function combineActionUnits(...maps: ReadonlyMap<string, number>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const map of maps) for (const [key, value] of map) out.set(key, (out.get(key) ?? 0) + value);
  return out;
}

/**
 * Target landmarks for expression `name` at `intensity` (0..1.5), plus extra action units `extra` (already
 * validated, e.g. from parseActionUnits), all measured on the input's own landmarks.
 * Data presets: the input + intensity × (label mean − neutral mean), as before. AU presets: the input + the
 * displacement of the preset's AUs scaled by intensity, combined with `extra`.
 */
export function applyExpression(
  presets: PresetsFile | undefined,
  input: ArrayLike<number>,
  name: string,
  intensity = 1,
  extra: ReadonlyMap<string, number> = new Map(),
): Float32Array {
  checkIntensity(intensity);
  const canonical = canonicalName(presets, name);
  if (hasDataPreset(presets, canonical)) {
    const base = applyPreset(presets!, input, canonical, intensity);
    return addActionUnits(base, input, extra);
  }
  const units = combineActionUnits(presetActionUnits(presets, name, intensity), extra);
  return addActionUnits(Float32Array.from(input as ArrayLike<number>), input, units);
}

/** `base` + the displacement of `units` measured on the face `input` (a copy; `base` is not changed). */
export function addActionUnits(
  base: ArrayLike<number>,
  input: ArrayLike<number>,
  units: ReadonlyMap<string, number>,
): Float32Array {
  const out = Float32Array.from(base as ArrayLike<number>);
  if (units.size === 0) return out;
  const d = actionUnitDisplacement(input, units);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! + d[i]!;
  return out;
}

/** What `mimic presets --list` prints: every expression, where it comes from, its AUs. */
export function describeExpressions(presets: PresetsFile | undefined): ExpressionInfo[] {
  const out: ExpressionInfo[] = dataPresetNames(presets).map((name) => {
    const entry = presets!.presets[name]!;
    const selection = entry.selection ? `, ${entry.selection}` : '';
    const role = name === presets!.neutral ? 'the neutral mean' : `mean displacement from neutral`;
    return {
      name,
      kind: 'data',
      description: `${role} of ${entry.count} faces of ${presets!.source}${selection}`,
    };
  });
  for (const preset of AU_PRESETS) {
    if (hasDataPreset(presets, preset.name)) continue;
    out.push({
      name: preset.name,
      kind: 'action units',
      description: `AU ${describeActionUnits(parseActionUnits(preset.units))}; ${preset.note}`,
    });
  }
  return out;
}
