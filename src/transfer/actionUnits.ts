/**
 * Facial action units (FACS, Ekman & Friesen 1978) as landmark displacements in the aligned frame.
 *
 * Each action unit (AU) is a documented set of moves of the 68 iBUG points, in units of the face's inter-ocular
 * distance (IOD: the distance between the eye centres of the input's own aligned landmarks), so an AU moves a
 * small face and a large face alike. Eyelid moves are instead a share of that eye's own opening (the gap between
 * upper and lower lid), so "closed" closes a narrow eye and a wide eye alike and never pushes a lid through the
 * other. Intensity 1 is a clear, strong action (FACS intensity D–E); 0..1.5 is accepted, above 1 exaggerates.
 *
 * The amounts were set by hand from the FACS descriptions of each AU's appearance changes (which points move,
 * which way) and checked by eye on photos: large enough to see at normal viewing size, small enough that the
 * piecewise-affine warp of the photo does not tear (no move beyond about a third of the IOD, except jaw drop).
 *
 * AUs compose by adding their displacements, all measured on the input's own landmarks, so the order does not
 * matter. An AU entered by a user takes 0..MAX_INTENSITY; a preset may weigh an AU above 1 (its intensity times
 * the preset's), and an eye's total closure is capped at LID_CLOSURE_LIMIT.
 * One-sided AUs (R12, L46, …) follow FACS: R and L are the person's own right and left (R is on the image's left).
 */
import { LANDMARK_COUNT, MIRROR_MAP } from '../face/landmarks.js';
import { MimicError } from '../util/errors.js';

/** Largest intensity of a preset or an AU: 1 is a full expression, up to 1.5 an exaggeration. */
export const MAX_INTENSITY = 1.5;

/** An eye closes to this share of its opening at most: a zero-height eye would fold the warp's triangles. */
export const LID_CLOSURE_LIMIT = 0.92;
/** An eye opens (AU5) by at most this share of its opening. */
const LID_OPENING_LIMIT = 0.6;

/**
 * One point's move, written for the person's RIGHT side (image left) or the midline: [point, outward, up] in IOD
 * units. outward > 0 moves away from the face's vertical midline, up > 0 towards the forehead. The left side gets
 * the mirrored move through MIRROR_MAP; midline points must have outward = 0.
 */
type Move = readonly [point: number, outward: number, up: number];

/** Eyelid moves as shares of the eye's opening; > 0 closes the eye (upper lid down, lower lid up). */
interface LidMoves {
  upper: number;
  lower: number;
}

export interface ActionUnit {
  id: number;
  name: string;
  /** What the AU does to the face, for `mimic presets --list`. */
  appearance: string;
  moves: readonly Move[];
  lids?: LidMoves;
  /** Only meaningful on one side (AU46 wink): must be written R46 or L46. */
  oneSided?: boolean;
}

const UPPER_LID = [37, 38] as const; // right eye, over 41 and 40
const LOWER_LID = [41, 40] as const;

/**
 * The action units. Point numbers are iBUG-68, 0-based: brows 17–21 (17 outer), eye 36–41 (36 outer corner,
 * 37/38 upper lid, 39 inner corner, 40/41 lower lid), nose 27–35, outer lips 48–59 (48 corner, 51 top centre,
 * 57 bottom centre), inner lips 60–67 (60 corner, 62 top, 66 bottom), jaw 0–16 (8 chin).
 */
const UNITS: readonly ActionUnit[] = [
  {
    id: 1,
    name: 'inner brow raiser',
    appearance: 'inner ends of the brows up',
    moves: [
      [21, 0, 0.11],
      [20, 0, 0.08],
      [19, 0, 0.045],
      [18, 0, 0.02],
    ],
  },
  {
    id: 2,
    name: 'outer brow raiser',
    appearance: 'outer brows up, arching',
    moves: [
      [17, 0, 0.08],
      [18, 0, 0.09],
      [19, 0, 0.07],
      [20, 0, 0.035],
      [21, 0, 0.01],
    ],
  },
  {
    id: 4,
    name: 'brow lowerer',
    appearance: 'brows down and drawn together',
    moves: [
      [21, -0.06, -0.1],
      [20, -0.045, -0.09],
      [19, -0.025, -0.065],
      [18, -0.01, -0.04],
      [17, 0, -0.02],
    ],
    lids: { upper: 0.1, lower: 0 },
  },
  {
    id: 5,
    name: 'upper lid raiser',
    appearance: 'eyes opened wider, upper lids up',
    moves: [],
    lids: { upper: -0.45, lower: 0 },
  },
  {
    id: 6,
    name: 'cheek raiser',
    appearance: 'cheeks up: lower lids pushed up, outer eye corners lifted',
    moves: [
      [36, 0, 0.012],
      [1, 0.005, 0.02],
      [2, 0.01, 0.025],
      [3, 0.01, 0.02],
    ],
    lids: { upper: 0, lower: 0.22 },
  },
  {
    id: 7,
    name: 'lid tightener',
    appearance: 'lids tightened, lower lids raised and straightened',
    moves: [],
    lids: { upper: 0.1, lower: 0.3 },
  },
  {
    id: 9,
    name: 'nose wrinkler',
    appearance: 'nose wings and upper lip pulled up, inner brows down',
    moves: [
      [31, 0.01, 0.05],
      [32, 0, 0.04],
      [33, 0, 0.03],
      [30, 0, 0.015],
      [49, 0, 0.035],
      [50, 0, 0.04],
      [51, 0, 0.04],
      [61, 0, 0.035],
      [62, 0, 0.035],
      [21, -0.01, -0.04],
      [20, 0, -0.025],
    ],
    lids: { upper: 0.05, lower: 0.1 },
  },
  {
    id: 10,
    name: 'upper lip raiser',
    appearance: 'upper lip up, baring the upper teeth',
    moves: [
      [49, 0, 0.06],
      [50, 0, 0.075],
      [51, 0, 0.07],
      [61, 0, 0.075],
      [62, 0, 0.075],
      [48, 0, 0.02],
      [60, 0, 0.03],
      [31, 0, 0.015],
      [32, 0, 0.01],
    ],
  },
  {
    id: 12,
    name: 'lip corner puller',
    appearance: 'mouth corners pulled up and outward (the smile muscle)',
    moves: [
      [48, 0.1, 0.1],
      [60, 0.09, 0.1],
      [49, 0.05, 0.055],
      [59, 0.05, 0.05],
      [61, 0.035, 0.045],
      [67, 0.035, 0.04],
      [50, 0.015, 0.015],
      [58, 0.015, 0.01],
      [4, 0.01, 0.01],
      [5, 0.01, 0.005],
    ],
  },
  {
    id: 14,
    name: 'dimpler',
    appearance: 'mouth corners tightened and pulled back into the cheek',
    moves: [
      [48, 0.04, 0.025],
      [60, 0.04, 0.025],
      [49, 0.015, 0.01],
      [59, 0.015, 0.01],
    ],
  },
  {
    id: 15,
    name: 'lip corner depressor',
    appearance: 'mouth corners pulled down',
    moves: [
      [48, 0.01, -0.1],
      [60, 0.01, -0.09],
      [49, 0, -0.04],
      [59, 0, -0.05],
      [61, 0, -0.03],
      [67, 0, -0.035],
      [58, 0, -0.015],
    ],
  },
  {
    id: 16,
    name: 'lower lip depressor',
    appearance: 'lower lip pulled down, parting the lips',
    moves: [
      [57, 0, -0.08],
      [58, 0, -0.075],
      [59, 0, -0.045],
      [66, 0, -0.09],
      [67, 0, -0.07],
      [8, 0, -0.02],
      [7, 0, -0.015],
    ],
  },
  {
    id: 17,
    name: 'chin raiser',
    appearance: 'chin and lower lip pushed up',
    moves: [
      [57, 0, 0.04],
      [58, 0, 0.035],
      [59, 0, 0.02],
      [66, 0, 0.02],
      [67, 0, 0.015],
      [62, 0, 0.015],
      [61, 0, 0.01],
      [51, 0, 0.01],
      [8, 0, 0.04],
      [7, 0, 0.03],
      [6, 0, 0.015],
    ],
  },
  {
    id: 18,
    name: 'lip pucker',
    appearance: 'lips pushed forward, mouth narrowed',
    moves: [
      [48, -0.11, 0],
      [60, -0.1, 0],
      [49, -0.06, 0.01],
      [59, -0.06, -0.01],
      [61, -0.05, 0],
      [67, -0.05, 0],
      [50, -0.02, 0.01],
      [58, -0.02, -0.01],
    ],
  },
  {
    id: 20,
    name: 'lip stretcher',
    appearance: 'lips stretched sideways, corners slightly down',
    moves: [
      [48, 0.1, -0.015],
      [60, 0.09, -0.01],
      [49, 0.05, -0.005],
      [59, 0.05, -0.01],
      [61, 0.04, 0],
      [67, 0.04, 0],
      [50, 0.015, 0],
      [58, 0.015, 0],
      [5, 0.015, 0],
      [6, 0.01, 0],
    ],
  },
  {
    id: 22,
    name: 'lip funneler',
    appearance: 'lips funnelled into a rounded opening',
    moves: [
      [51, 0, 0.025],
      [50, 0, 0.02],
      [62, 0, 0.03],
      [61, -0.01, 0.02],
      [57, 0, -0.03],
      [58, 0, -0.025],
      [66, 0, -0.035],
      [67, -0.01, -0.025],
    ],
  },
  {
    id: 23,
    name: 'lip tightener',
    appearance: 'lips tightened and thinned, mouth narrowed a little',
    moves: [
      [50, 0, -0.025],
      [51, 0, -0.03],
      [49, 0, -0.015],
      [57, 0, 0.03],
      [58, 0, 0.025],
      [59, 0, 0.015],
      [48, -0.03, 0],
      [60, -0.025, 0],
    ],
  },
  {
    // FACS: the lips pressed together without pushing them forward; the red of both lips narrows, the lip line
    // straightens and the corners stay where they are (AU23 instead narrows the mouth). Inner points meet so a
    // slightly open mouth closes.
    id: 24,
    name: 'lip presser',
    appearance: 'lips pressed together, thinned, lip line straight',
    moves: [
      [50, 0, -0.035],
      [51, 0, -0.04],
      [49, 0, -0.02],
      [61, 0, -0.01],
      [62, 0, -0.012],
      [57, 0, 0.045],
      [58, 0, 0.04],
      [59, 0, 0.02],
      [66, 0, 0.012],
      [67, 0, 0.01],
      [8, 0, 0.01],
    ],
  },
  {
    id: 25,
    name: 'lips part',
    appearance: 'lips parted',
    moves: [
      [62, 0, 0.015],
      [61, 0, 0.01],
      [66, 0, -0.06],
      [67, 0, -0.045],
      [57, 0, -0.035],
      [58, 0, -0.03],
      [59, 0, -0.015],
    ],
  },
  {
    id: 26,
    name: 'jaw drop',
    appearance: 'jaw lowered, mouth open',
    moves: [
      [66, 0, -0.17],
      [67, 0, -0.15],
      [57, 0, -0.17],
      [58, 0, -0.15],
      [59, 0, -0.09],
      [48, -0.01, -0.04],
      [60, -0.01, -0.04],
      [8, 0, -0.17],
      [7, 0, -0.16],
      [6, 0, -0.12],
      [5, 0, -0.07],
      [4, 0, -0.03],
    ],
  },
  {
    id: 27,
    name: 'mouth stretch',
    appearance: 'mouth stretched wide open',
    moves: [
      [66, 0, -0.25],
      [67, 0, -0.22],
      [57, 0, -0.25],
      [58, 0, -0.22],
      [59, 0, -0.13],
      [48, -0.03, -0.07],
      [60, -0.03, -0.07],
      [49, -0.01, -0.02],
      [62, 0, 0.02],
      [8, 0, -0.25],
      [7, 0, -0.23],
      [6, 0, -0.17],
      [5, 0, -0.1],
      [4, 0, -0.04],
    ],
  },
  {
    id: 43,
    name: 'eyes closed',
    appearance: 'both eyes closed',
    moves: [],
    lids: { upper: 0.8, lower: 0.12 },
  },
  {
    id: 44,
    name: 'squint',
    appearance: 'eyes narrowed',
    moves: [],
    lids: { upper: 0.22, lower: 0.28 },
  },
  {
    id: 45,
    name: 'blink',
    appearance: 'both eyes closed (the still frame of a blink)',
    moves: [],
    lids: { upper: 0.8, lower: 0.12 },
  },
  {
    id: 46,
    name: 'wink',
    appearance: 'one eye closed (write R46 or L46)',
    moves: [],
    lids: { upper: 0.8, lower: 0.12 },
    oneSided: true,
  },
];

const UNIT_BY_ID = new Map(UNITS.map((unit) => [unit.id, unit]));

export const ACTION_UNITS: readonly ActionUnit[] = UNITS;
export const ACTION_UNIT_IDS: readonly number[] = UNITS.map((unit) => unit.id);

export type Side = 'both' | 'right' | 'left';

/**
 * AU intensities keyed like FACS codes: "12" (both sides), "R12" / "L12" (one side), "AU12" also accepted.
 * Values 0..MAX_INTENSITY.
 */
export type ActionUnits = Readonly<Record<string, number>>;

interface AuKey {
  unit: ActionUnit;
  side: Side;
}

const KNOWN_LIST = (): string => ACTION_UNIT_IDS.join(', ');

/** "12", "AU12", "R12", "L46" → the unit and side; a clear error for anything else. */
export function parseAuKey(text: string): AuKey {
  const match = /^\s*(?:AU)?\s*([RL])?(\d{1,2})\s*$/i.exec(text);
  const unit = match ? UNIT_BY_ID.get(Number(match[2])) : undefined;
  if (!match || !unit)
    throw new MimicError(
      `unknown action unit "${text}" (known: ${KNOWN_LIST()}; R or L in front for one side, e.g. R12, L46)`,
    );
  const side: Side = match[1] === undefined ? 'both' : match[1].toUpperCase() === 'R' ? 'right' : 'left';
  if (unit.oneSided && side === 'both')
    throw new MimicError(
      `action unit ${unit.id} (${unit.name}) is one-sided: write R${unit.id} or L${unit.id}`,
    );
  return { unit, side };
}

function checkIntensity(value: number, what: string): void {
  if (!(typeof value === 'number' && value >= 0 && value <= MAX_INTENSITY))
    throw new MimicError(
      `${what}: intensity must be a number from 0 to ${MAX_INTENSITY} (got ${String(value)})`,
    );
}

/** The canonical key of an AU on a side: "12", "R12", "L46". */
export function auKey(id: number, side: Side): string {
  return side === 'both' ? String(id) : `${side === 'right' ? 'R' : 'L'}${id}`;
}

/**
 * Checks an AU map from the library API or the CLI: every key an AU, every value in 0..MAX_INTENSITY.
 * Returns a canonical copy (keys "12", "R12"); a key given twice in two spellings adds up.
 */
export function validateActionUnits(units: ActionUnits): Map<string, number> {
  if (typeof units !== 'object' || units === null)
    throw new MimicError('action units must be an object such as { "12": 0.8, "6": 0.5 }');
  const out = new Map<string, number>();
  for (const key of Object.keys(units)) {
    const { unit, side } = parseAuKey(key);
    const value = units[key]!;
    checkIntensity(value, `action unit ${key}`);
    const canonical = auKey(unit.id, side);
    out.set(canonical, Math.min(MAX_INTENSITY, (out.get(canonical) ?? 0) + value));
  }
  return out;
}

/** Parses `--au 12=0.8,6=0.5,L46=1` into canonical keys; one clear line for anything malformed. */
export function parseActionUnits(text: string): Map<string, number> {
  const units = new Map<string, number>();
  if (text.trim() === '')
    throw new MimicError(`--au needs a list such as 12=0.8,6=0.5 (action units: ${KNOWN_LIST()})`);
  for (const part of text.split(',')) {
    // (a sign is read here so that "12=-1" is told its intensity is out of range, not that it is malformed)
    const match = /^\s*([^=\s]+)\s*=\s*([+-]?\d+(?:\.\d+)?|[+-]?\.\d+)\s*$/.exec(part);
    if (!match)
      throw new MimicError(
        `action unit setting "${part}" must look like 12=0.8 (an AU number, R/L for one side, = an intensity 0..${MAX_INTENSITY}; AUs: ${KNOWN_LIST()})`,
      );
    const { unit, side } = parseAuKey(match[1]!);
    const value = Number(match[2]);
    checkIntensity(value, `action unit ${match[1]}`);
    const key = auKey(unit.id, side);
    units.set(key, Math.min(MAX_INTENSITY, (units.get(key) ?? 0) + value));
  }
  return units;
}

function sidesOf(side: Side): ('right' | 'left')[] {
  return side === 'both' ? ['right', 'left'] : [side];
}

/** The point a right-side move lands on for `side`, and the sign of "outward" in image x. */
function onSide(point: number, side: 'right' | 'left'): { point: number; outwardX: number } {
  const mirrored = MIRROR_MAP[point]!;
  if (mirrored === point) return { point, outwardX: 0 };
  return side === 'right' ? { point, outwardX: -1 } : { point: mirrored, outwardX: 1 };
}

function eyeCentre(flat: ArrayLike<number>, first: number): [number, number] {
  let x = 0;
  let y = 0;
  for (let i = first; i < first + 6; i++) {
    x += flat[2 * i]!;
    y += flat[2 * i + 1]!;
  }
  return [x / 6, y / 6];
}

/** Distance between the eye centres, in the units of `flat`. */
export function interocularOf(flat: ArrayLike<number>): number {
  const [rx, ry] = eyeCentre(flat, 36);
  const [lx, ly] = eyeCentre(flat, 42);
  return Math.hypot(lx - rx, ly - ry);
}

/**
 * The displacement (136 normalized coordinates, to add to `input`) of a set of AUs on the face `input`.
 * Midline points of a one-sided AU move by half (half the muscle pulls on them).
 */
export function actionUnitDisplacement(
  input: ArrayLike<number>,
  units: ReadonlyMap<string, number>,
): Float32Array {
  const out = new Float32Array(LANDMARK_COUNT * 2);
  const iod = interocularOf(input);
  // Eyelid shares add up per eye before being applied, so that blink + squint cannot close an eye twice over.
  const lidShares = { right: { upper: 0, lower: 0 }, left: { upper: 0, lower: 0 } };
  for (const [key, intensity] of units) {
    const { unit, side } = parseAuKey(key);
    if (!(intensity >= 0 && Number.isFinite(intensity)))
      throw new MimicError(`action unit ${key}: intensity must be a number from 0 to ${MAX_INTENSITY}`);
    const sides = sidesOf(side);
    for (const s of sides) {
      for (const [point, outward, up] of unit.moves) {
        const target = onSide(point, s);
        const share = target.outwardX === 0 && side !== 'both' ? 0.5 : 1;
        if (target.outwardX === 0 && sides.length === 2 && s === 'left') continue; // midline: once
        out[2 * target.point]! += intensity * share * outward * target.outwardX * iod;
        out[2 * target.point + 1]! -= intensity * share * up * iod;
      }
      if (unit.lids) {
        lidShares[s].upper += intensity * unit.lids.upper;
        lidShares[s].lower += intensity * unit.lids.lower;
      }
    }
  }
  for (const s of ['right', 'left'] as const) addLidMoves(out, input, s, lidShares[s]);
  return out;
}

/** Moves the lids of one eye by shares of its own opening, keeping the total within the limits. */
function addLidMoves(
  out: Float32Array,
  input: ArrayLike<number>,
  side: 'right' | 'left',
  shares: LidMoves,
): void {
  let { upper, lower } = shares;
  if (upper === 0 && lower === 0) return;
  const closing = Math.max(0, upper) + Math.max(0, lower);
  if (closing > LID_CLOSURE_LIMIT) {
    const scale = LID_CLOSURE_LIMIT / closing;
    upper = upper > 0 ? upper * scale : upper;
    lower = lower > 0 ? lower * scale : lower;
  }
  upper = Math.max(upper, -LID_OPENING_LIMIT);
  for (let k = 0; k < UPPER_LID.length; k++) {
    const top = onSide(UPPER_LID[k]!, side).point;
    const bottom = onSide(LOWER_LID[k]!, side).point;
    // The opening: vertical distance from this upper-lid point to the lower-lid point beneath it.
    const gap = Math.max(0, input[2 * bottom + 1]! - input[2 * top + 1]!);
    out[2 * top + 1]! += upper * gap;
    out[2 * bottom + 1]! -= lower * gap;
  }
}

/** "1+2+5+26" style summary of an AU map, intensities in brackets when not 1. */
export function describeActionUnits(units: ReadonlyMap<string, number>): string {
  return [...units]
    .map(([key, value]) => (value === 1 ? key : `${key}@${Number(value.toFixed(2))}`))
    .join('+');
}

export function actionUnitById(id: number): ActionUnit | undefined {
  return UNIT_BY_ID.get(id);
}
