/**
 * The action-unit sliders of the Expression panel: one slider per part of the face (brows, lids, cheeks, mouth
 * corners, lips, jaw), each driving documented FACS action units of src/transfer/actionUnits.ts, the same AUs the
 * CLI takes with `--au`. A signed slider drives one set of AUs above 0 and another below it; its value is the AU
 * intensity (0..1.5, as `--au` accepts), so brows at −0.5 is `--au 4=0.5` and jaw at 1.5 is `--au 25=1.5,26=1.5`.
 *
 * How the sliders meet the rest of the editor (said in the page too): their AUs are added to the preset exactly as
 * the CLI adds `--au` to `--expression` (applyExpression), or, without a preset, to the edit the intensity slider
 * scales; all at 0, the landmarks are the preset's (or the edit's) exactly. The sliders are not scaled by the
 * intensity slider. A drag stays where it was put: the sliders keep moving their points on top of it.
 * No DOM here: the page and the Node tests use it alike.
 */
import { actionUnitDisplacement, MAX_INTENSITY } from '../../src/transfer/actionUnits.js';
import { addActionUnits } from '../../src/transfer/expressionCatalogue.js';
import type { Expression } from './expressions.js';

/** AU keys (as `--au` writes them) with their weight at slider value 1. */
type AuMix = Readonly<Record<string, number>>;

export interface ActionUnitSlider {
  id: 'brows' | 'lids' | 'cheeks' | 'mouthCorners' | 'lips' | 'jaw';
  label: string;
  /** The AUs above 0, and what they do. */
  up: { units: AuMix; does: string };
  /** The AUs below 0 (a signed slider), and what they do; one-way sliders start at 0. */
  down?: { units: AuMix; does: string };
}

export type SliderId = ActionUnitSlider['id'];
export type SliderValues = Record<SliderId, number>;

/** The sliders, top to bottom. AU numbers: src/transfer/actionUnits.ts (and the README's list). */
export const ACTION_UNIT_SLIDERS: readonly ActionUnitSlider[] = [
  // Brows: AU1 (inner brow raiser) + AU2 (outer brow raiser) up; AU4 (brow lowerer) down and together.
  {
    id: 'brows',
    label: 'Brows',
    up: { units: { 1: 1, 2: 1 }, does: 'raised' },
    down: { units: { 4: 1 }, does: 'lowered' },
  },
  // Lids: AU5 (upper lid raiser) opens the eyes wider; AU43 (eyes closed) closes them.
  {
    id: 'lids',
    label: 'Lids',
    up: { units: { 5: 1 }, does: 'wide open' },
    down: { units: { 43: 1 }, does: 'closed' },
  },
  // Cheeks: AU6 (cheek raiser), one way: it pushes the lower lids up, as in a real smile.
  { id: 'cheeks', label: 'Cheeks', up: { units: { 6: 1 }, does: 'raised' } },
  // Mouth corners: AU12 (lip corner puller, the smile muscle) up; AU15 (lip corner depressor) down.
  {
    id: 'mouthCorners',
    label: 'Mouth corners',
    up: { units: { 12: 1 }, does: 'up' },
    down: { units: { 15: 1 }, does: 'down' },
  },
  // Lips: AU20 (lip stretcher) wide, as in "eee"; AU18 (lip pucker) narrow, as in "ooo".
  {
    id: 'lips',
    label: 'Lips',
    up: { units: { 20: 1 }, does: 'stretched' },
    down: { units: { 18: 1 }, does: 'puckered' },
  },
  // Jaw: AU26 (jaw drop) with AU25 (lips part), one way: the mouth opens, as in "aaa".
  { id: 'jaw', label: 'Jaw', up: { units: { 25: 1, 26: 1 }, does: 'open' } },
];

/** The slider's range: AU intensities up to what `--au` accepts. */
export const SLIDER_MAX = MAX_INTENSITY;
export const SLIDER_STEP = 0.05;

export function sliderMin(slider: ActionUnitSlider): number {
  return slider.down === undefined ? 0 : -SLIDER_MAX;
}

export function zeroSliders(): SliderValues {
  return Object.fromEntries(ACTION_UNIT_SLIDERS.map((s) => [s.id, 0])) as SliderValues;
}

/** "AU1+2", "AU4": the AUs of one direction, for the page. */
function auList(units: AuMix): string {
  return `AU${Object.keys(units).join('+')}`;
}

/** What a slider drives, for its tooltip and the hint under it: "left: lowered (AU4) · right: raised (AU1+2)". */
export function sliderHint(slider: ActionUnitSlider): string {
  const up = `${slider.up.does} (${auList(slider.up.units)})`;
  return slider.down === undefined
    ? `right: ${up}`
    : `left: ${slider.down.does} (${auList(slider.down.units)}) · right: ${up}`;
}

/** A slider's value in words, for its output and screen readers: "raised 0.8 (AU1+2)", "0". */
export function sliderValueText(slider: ActionUnitSlider, value: number): string {
  if (value === 0) return '0';
  const side = value > 0 ? slider.up : slider.down!;
  return `${side.does} ${Number(Math.abs(value).toFixed(2))} (${auList(side.units)})`;
}

/** The AU map (keys as `--au` writes them, intensities 0..1.5) the sliders ask for; sliders at 0 add nothing. */
export function sliderActionUnits(values: SliderValues): Map<string, number> {
  const out = new Map<string, number>();
  for (const slider of ACTION_UNIT_SLIDERS) {
    const value = values[slider.id];
    if (!(value !== 0 && Number.isFinite(value))) continue;
    const side = value > 0 ? slider.up : slider.down;
    if (side === undefined) continue;
    const amount = Math.min(SLIDER_MAX, Math.abs(value));
    for (const [key, weight] of Object.entries(side.units))
      out.set(key, (out.get(key) ?? 0) + weight * amount);
  }
  return out;
}

/**
 * The landmarks of the Expression panel: the active preset at intensity t with the sliders' AUs (as the CLI's
 * `--expression NAME@t --au …`), or, without a preset, the scaled edit own + t · (edit − own) plus the AUs.
 */
export function expressionPanelLandmarks(
  own: Float32Array,
  expression: Expression | undefined,
  t: number,
  edit: Float32Array,
  units: ReadonlyMap<string, number>,
): Float32Array {
  if (expression !== undefined) return expression.apply(own, t, units);
  return addActionUnits(
    own.map((v, i) => v + t * (edit[i]! - v)),
    own,
    units,
  );
}

/**
 * `landmarks` less what the sliders add: after a drag, the edit the intensity slider scales, so that the sliders
 * keep adding their AUs on top of it and are not counted twice.
 */
export function withoutActionUnits(
  landmarks: Float32Array,
  own: Float32Array,
  units: ReadonlyMap<string, number>,
): Float32Array {
  if (units.size === 0) return Float32Array.from(landmarks);
  const d = actionUnitDisplacement(own, units);
  return landmarks.map((v, i) => v - d[i]!);
}
