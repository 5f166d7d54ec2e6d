/**
 * A mouth interior (teeth, dark cavity) at the photo's resolution, where the target landmarks part the lips.
 *
 * A landmark warp of a closed mouth can only stretch the lips into the opening (a pink smear), and the generator
 * works at 64 px. Here the opening is filled from an exemplar: a real mouth interior, cut at high resolution
 * from another photo, warped into the target's inner-lip polygon and relit to the photo. Two sources:
 *  - a bank of mouth interiors cut from the FRL London smiles (CC BY 4.0; models/default/mouth-bank.*), the
 *    exemplar chosen by the shape of the target's inner lips (points 60–67) alone;
 *  - for `--like`: the driver photo's own mouth, as Averbuch-Elor et al., "Bringing Portraits to Life"
 *    (SIGGRAPH Asia 2017) transfer the driving video's mouth interior into the portrait.
 * Both are warped piecewise-affinely (a fan of triangles around the inner-lip centroid) into the target opening,
 * their luma scaled by the ratio of the skin around the mouth in the photo to that in the exemplar (the photo's
 * lighting), their chroma scaled by how colourful the photo's skin is next to the exemplar's (a grayscale photo
 * gets a gray mouth, a sepia print a faint one), and feathered over the inner-lip edge.
 *
 * Pure: no Node modules, so the web editor can run it too. Nothing here looks at an expression classifier.
 */
import type { Landmarks } from './landmarks.js';
import {
  affineScale,
  composeAffine,
  invertAffine,
  applyAffine,
  type Affine,
  type Point,
} from '../geometry/affine.js';
import { insidePolygon, polygonDistance } from '../geometry/polygon.js';
import { eyeWhiteLuma } from './eyeWhite.js';
import { warpAffine } from '../image/warpAffine.js';
import { sampleBilinearFloat, type PixelBox, type RgbImage } from '../image/rgbImage.js';

/** Landmarks 48–67 (12 outer-lip points, then 8 inner-lip points), in some image's pixels. */
export type Lips = Point[];

const OUTER = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const INNER = [12, 13, 14, 15, 16, 17, 18, 19];
/** Inner-lip upper/lower pairs (61–67, 62–66, 63–65) as indices into Lips. */
const GAP_PAIRS: ReadonlyArray<readonly [number, number]> = [
  [13, 19],
  [14, 18],
  [15, 17],
];

export function lipsOf(landmarks: Landmarks, scale = 1): Lips {
  return landmarks.slice(48, 68).map(([x, y]) => [x * scale, y * scale] as Point);
}

function mouthWidth(lips: Lips): number {
  return Math.hypot(lips[6]![0] - lips[0]![0], lips[6]![1] - lips[0]![1]);
}

/** Mean vertical gap between the inner lips as a fraction of the mouth's width (0: closed; FRL smiles: median 0.09). */
export function mouthOpening(lips: Lips): number {
  const width = mouthWidth(lips);
  if (width < 1e-6) return 0;
  let gap = 0;
  for (const [upper, lower] of GAP_PAIRS) gap += lips[lower]![1] - lips[upper]![1];
  return gap / GAP_PAIRS.length / width;
}

/** Inner-lip shape, independent of position and size: 8 points relative to the inner corners' midpoint, / width. */
export function innerLipShape(lips: Lips): number[] {
  const width = Math.max(mouthWidth(lips), 1e-6);
  const cx = (lips[12]![0] + lips[16]![0]) / 2;
  const cy = (lips[12]![1] + lips[16]![1]) / 2;
  return INNER.flatMap((i) => [(lips[i]![0] - cx) / width, (lips[i]![1] - cy) / width]);
}

export interface MouthExemplar {
  id: string;
  /** The person it was cut from (so an evaluation can leave held-out people out). */
  subject: string;
  /** Its patch in the bank's sprite, pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Landmarks 48–67 in patch pixels. */
  lips: Lips;
  /** Luma of the whites of the eyes in the photo it was cut from (eyeWhite.ts); absent in older banks. */
  eyeWhite?: number;
}

export interface MouthBank {
  /** Patch pixels per aligned-crop pixel (the patches were cut from aligned faces at this zoom). */
  zoom: number;
  sprite: RgbImage;
  exemplars: MouthExemplar[];
}

/** The exemplar whose inner lips are shaped most like `target` (sum of squared differences of innerLipShape). */
export function chooseExemplar(bank: MouthBank, target: Lips): MouthExemplar | undefined {
  const want = innerLipShape(target);
  let best: MouthExemplar | undefined;
  let bestDistance = Infinity;
  for (const exemplar of bank.exemplars) {
    const shape = innerLipShape(exemplar.lips);
    let d = 0;
    for (let i = 0; i < want.length; i++) d += (shape[i]! - want[i]!) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = exemplar;
    }
  }
  return best;
}

/**
 * One bank exemplar for a whole clip (a driven video, a live camera): chosen on the first frame whose target parts
 * the lips beyond the photo's own and kept. Chosen anew each frame, as a still transfer does, the teeth would jump
 * between people as the mouth's shape changes; the interior's strength still follows each frame's opening.
 */
export class ClipMouth {
  private source: MouthSource | undefined;

  constructor(private readonly bank: MouthBank | undefined) {}

  /** The clip's mouth source for a frame (undefined until some frame parts the lips, or without a bank). */
  forFrame(own: Landmarks, target: Landmarks): MouthSource | undefined {
    if (this.source || !this.bank) return this.source;
    const lips = lipsOf(target);
    if (interiorStrength(lipsOf(own), lips) <= 0) return undefined;
    const exemplar = chooseExemplar(this.bank, lips);
    if (exemplar) this.source = exemplarSource(this.bank, exemplar);
    return this.source;
  }
}

/** A mouth interior source: an image and its lips (landmarks 48–67) in that image's pixels. */
export interface MouthSource {
  image: RgbImage;
  lips: Lips;
  /** Luma of the whites of the eyes in its photo (eyeWhite.ts): the light it was taken in. */
  eyeWhite?: number;
}

const cutExemplars = new WeakMap<MouthExemplar, { sprite: RgbImage; source: MouthSource }>();

/**
 * The bank exemplar as a source (its patch cut out of the sprite). Remembered per exemplar: the frames of an
 * animation keep choosing the same few, and the same source object lets its skin tone be measured once. The
 * source is shared: read-only.
 */
export function exemplarSource(bank: MouthBank, exemplar: MouthExemplar): MouthSource {
  const known = cutExemplars.get(exemplar);
  if (known !== undefined && known.sprite === bank.sprite) return known.source;
  const source = cutExemplar(bank, exemplar);
  cutExemplars.set(exemplar, { sprite: bank.sprite, source });
  return source;
}

function cutExemplar(bank: MouthBank, exemplar: MouthExemplar): MouthSource {
  const { sprite } = bank;
  const data = new Uint8Array(exemplar.width * exemplar.height * 3);
  for (let y = 0; y < exemplar.height; y++) {
    const from = ((exemplar.y + y) * sprite.width + exemplar.x) * 3;
    data.set(sprite.data.subarray(from, from + exemplar.width * 3), y * exemplar.width * 3);
  }
  return {
    image: { width: exemplar.width, height: exemplar.height, data },
    lips: exemplar.lips,
    ...(exemplar.eyeWhite !== undefined ? { eyeWhite: exemplar.eyeWhite } : {}),
  };
}

/** How far the target must open the lips beyond the input before an interior is painted, and over what range
 * it fades in (fractions of the mouth width, mouthOpening). Below ~0.03 the inner-lip landmarks are within their
 * own noise on closed FRL mouths; 0.08 more is a clearly parted smile. */
export const OPENING_START = 0.03;
export const OPENING_RAMP = 0.05;

/** 0..1: how much interior a target needs given the input's own opening. */
export function interiorStrength(own: Lips, target: Lips): number {
  const t = (mouthOpening(target) - Math.max(0, mouthOpening(own)) - OPENING_START) / OPENING_RAMP;
  return t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t);
}

export const MOUTH_FEATHER = 0.5;

/**
 * The warped face view (`zoom` view pixels per crop pixel) with a mouth interior where `target` (crop pixels)
 * parts the lips more than `own` does, relit by the photo's `eyeWhite` too when known (eyeWhite.ts). Unchanged
 * when the lips stay closed or no source is given.
 */
export function addMouthInterior(
  view: RgbImage,
  zoom: number,
  own: Landmarks,
  target: Landmarks,
  mouth: MouthOptions,
  eyeWhite?: number,
): RgbImage {
  const targetLips = lipsOf(target, zoom);
  const strength = interiorStrength(lipsOf(own, zoom), targetLips);
  if (strength <= 0) return view;
  let source = mouth.driver;
  if (!source && mouth.bank) {
    const exemplar = chooseExemplar(mouth.bank, targetLips);
    if (exemplar) source = exemplarSource(mouth.bank, exemplar);
  }
  if (!source) return view;
  return paintMouthInterior(view, targetLips, source, {
    strength,
    feather: MOUTH_FEATHER * zoom,
    ...(eyeWhite !== undefined ? { eyeWhite } : {}),
  });
}

/**
 * Whether addMouthInterior(view, zoom, own, target, mouth) would paint anything (otherwise it returns the view as
 * it is): a caller can skip making the view.
 */
export function paintsMouthInterior(
  zoom: number,
  own: Landmarks,
  target: Landmarks,
  mouth: MouthOptions,
): boolean {
  if (interiorStrength(lipsOf(own, zoom), lipsOf(target, zoom)) <= 0) return false;
  return mouth.driver !== undefined || (mouth.bank !== undefined && mouth.bank.exemplars.length > 0);
}

/**
 * A box holding every pixel of a face view (`zoom` view pixels per crop pixel) that addMouthInterior may read or
 * paint for `target` (crop pixels): the skin ring around the mouth and the inner lips with their soft edge (bounds
 * not clipped to the view).
 */
export function mouthReadBox(target: Landmarks, zoom: number): PixelBox {
  const lips = lipsOf(target, zoom);
  const feather = Math.max(MOUTH_FEATHER * zoom, 0.5);
  const ring = skinRing(OUTER.map((i) => lips[i]!));
  const inner = INNER.map((i) => lips[i]!);
  const xs = [
    ...ring.map((p) => p[0]),
    ...inner.map((p) => p[0] - feather),
    ...inner.map((p) => p[0] + feather),
  ];
  const ys = [
    ...ring.map((p) => p[1]),
    ...inner.map((p) => p[1] - feather),
    ...inner.map((p) => p[1] + feather),
  ];
  return {
    x0: Math.floor(Math.min(...xs)),
    x1: Math.ceil(Math.max(...xs)),
    y0: Math.floor(Math.min(...ys)),
    y1: Math.ceil(Math.max(...ys)),
  };
}

/** Lips parted at least this much (mouthOpening) before a driver photo's own mouth is used instead of the bank. */
export const DRIVER_MIN_OPENING = 0.06;

/**
 * The driver photo's own mouth interior (Averbuch-Elor et al. 2017), as a source: its face aligned like the crops
 * at its own resolution (`toCrop`: photo → crop pixels, `landmarks` in crop pixels). Undefined when its lips are
 * not parted: then there is nothing of its own to show, and the bank is used.
 */
export function driverMouth(
  photo: RgbImage,
  toCrop: Affine,
  landmarks: Landmarks,
  cropSize: number,
): MouthSource | undefined {
  const zoom = Math.max(1, Math.min(8, 1 / affineScale(toCrop)));
  const lips = lipsOf(landmarks, zoom);
  if (mouthOpening(lips) < DRIVER_MIN_OPENING) return undefined;
  const side = Math.round(cropSize * zoom);
  const image = warpAffine(photo, composeAffine([zoom, 0, 0, 0, zoom, 0], toCrop), side, side);
  const toPhoto = invertAffine(toCrop);
  const eyeWhite = eyeWhiteLuma(
    photo,
    landmarks.map((p) => applyAffine(toPhoto, p)),
  );
  return { image, lips, ...(eyeWhite !== undefined ? { eyeWhite } : {}) };
}
