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
import { interocularDistance, type Landmarks } from './landmarks.js';
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
import { lumasInside, sampleBilinearFloat, type PixelBox, type RgbImage } from '../image/rgbImage.js';

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
  /**
   * A bank exemplar (a smile, teeth together) rather than the real interior of the driver's opening: where the
   * target drops the jaw, its teeth are kept at the top and a cavity painted below (jawDropCavity).
   */
  fromBank?: boolean;
  /** Luma factor that brings its teeth to the bank's usual brightness (teethLevel); 1 when absent. */
  teethLevel?: number;
  /** For a bank exemplar: the bank's skin tones and eye whites (studioLight), to read the photo's light against. */
  studio?: StudioLight;
}

/**
 * What a bank's photos tell about the light they were taken in (the FRL photos share one studio light): the skin
 * tone around each exemplar's mouth, and the median luma of their eye whites.
 */
interface StudioLight {
  skins: SkinTone[];
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
  const cut = cutExemplar(bank, exemplar);
  const source = { ...cut, teethLevel: teethLevel(bank, cut), studio: studioLight(bank) };
  cutExemplars.set(exemplar, { sprite: bank.sprite, source });
  return source;
}

/**
 * How bright a mouth interior's teeth are: the 90th percentile of the luma inside its inner lips (the teeth's lit
 * part; the rest is shade, gums, cavity).
 */
function teethLuma(source: MouthSource): number {
  const values: number[] = [];
  lumasInside(
    source.image,
    INNER.map((i) => source.lips[i]!),
    values,
  );
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  return values[Math.floor(0.9 * (values.length - 1))]!;
}

/** The median teeth brightness of a bank's exemplars, measured once per bank. */
const bankTeethLuma = new WeakMap<MouthBank, number>();

/** At most this much darker or brighter: a very dark patch is more likely shade than dull teeth. */
const TEETH_LEVEL_LIMITS: readonly [number, number] = [0.85, 1.35];

/**
 * How much a bank exemplar's interior is brightened or darkened to the bank's median teeth brightness, within
 * TEETH_LEVEL_LIMITS. The bank's photos share one studio light, yet their teeth range from luma 116 to 236 (stained,
 * shaded or small teeth): which exemplar a mouth shape picked decided whether a face got white or dull gray teeth
 * (the fear preset's wide mouth picked a dim one). Levelled, the exemplar still gives the shape and the texture.
 */
function teethLevel(bank: MouthBank, source: MouthSource): number {
  let median = bankTeethLuma.get(bank);
  if (median === undefined) {
    const all = bank.exemplars.map((e) => teethLuma(cutExemplar(bank, e))).sort((a, b) => a - b);
    median = all.length > 0 ? all[all.length >> 1]! : 0;
    bankTeethLuma.set(bank, median);
  }
  const own = teethLuma(source);
  if (!(own > 0) || !(median > 0)) return 1;
  return Math.min(TEETH_LEVEL_LIMITS[1], Math.max(TEETH_LEVEL_LIMITS[0], median / own));
}

const bankLights = new WeakMap<MouthBank, StudioLight>();

/** studioLight of a bank, measured once per bank. */
function studioLight(bank: MouthBank): StudioLight {
  const known = bankLights.get(bank);
  if (known !== undefined) return known;
  const cuts = bank.exemplars.map((e) => cutExemplar(bank, e));
  const eyes = cuts.flatMap((c) => c.eyeWhite ?? []).sort((x, y) => x - y);
  const light = {
    skins: cuts.flatMap((c) => skinAroundMouth(c.image, c.lips) ?? []),
    ...(eyes.length > 0 ? { eyeWhite: eyes[eyes.length >> 1]! } : {}),
  };
  bankLights.set(bank, light);
  return light;
}

/** The tone of `skins` nearest `tone` (luma and the two chroma axes), or undefined if there is none. */
function nearestTone(skins: SkinTone[], tone: SkinTone): SkinTone | undefined {
  let best: SkinTone | undefined;
  let bestDistance = Infinity;
  for (const skin of skins) {
    const distance = Math.hypot(skin.y - tone.y, skin.cb - tone.cb, skin.cr - tone.cr);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = skin;
    }
  }
  return best;
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
    fromBank: true,
  };
}

/** How far the target must open the lips beyond the input before an interior is painted, and over what range
 * it fades in (fractions of the mouth width, mouthOpening). Below ~0.03 the inner-lip landmarks are within their
 * own noise on closed FRL mouths; 0.08 more is a clearly parted smile. */
export const OPENING_START = 0.03;
export const OPENING_RAMP = 0.05;

const smoothstep = (t: number): number => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t));

/**
 * 0..1: how much interior a target needs given the input's own opening. `ownShowsInterior`: whether teeth or a
 * cavity show between the photo's own lips (photoShowsInterior). Such a photo's teeth, stretched by the warp to up
 * to twice their height, looked better than any exemplar (an astronaut's smile with teeth, smiled more, got gray
 * bank teeth over her own white ones), so its opening counts double once clearly parted. Only then: on closed
 * full lips the landmark net often puts the inner lips 0.07–0.08 of the mouth width apart (Canada 019f, 003f), and
 * counting that double left their smiles without teeth.
 */
export function interiorStrength(
  own: Lips,
  target: Lips,
  ownShowsInterior = false,
  /**
   * 0..1, how far the jaw drops (jawDropCavity). The photo's own teeth are for a wider smile, not for a dropped jaw:
   * stretched to a surprise's height they became gray vertical stripes with no dark inside (the astronaut's
   * smile → surprise), so the doubling fades out as the jaw drops and the bank's teeth over a cavity take over.
   */
  jawDrop = 0,
): number {
  const opening = Math.max(0, mouthOpening(own));
  const ownInterior = ownShowsInterior
    ? opening * (1 + (1 - jawDrop) * smoothstep((opening - OPENING_START) / OPENING_RAMP))
    : opening;
  const byOpening = smoothstep((mouthOpening(target) - ownInterior - OPENING_START) / OPENING_RAMP);
  // (and at full strength once the jaw has dropped: half painted, the stretched own teeth showed through the cavity)
  return ownShowsInterior ? Math.max(byOpening, jawDrop) : byOpening;
}

/**
 * Share of the inner lips that must be teeth or cavity for a photo's mouth to count as open: the bank's own
 * criterion for a real interior (scripts/build-mouth-bank.ts --min-interior).
 */
export const MIN_OWN_INTERIOR = 0.4;

/** Whether teeth or a dark cavity fill the photo's own inner lips (`lips` in image pixels). */
export function photoShowsInterior(image: RgbImage, lips: Lips): boolean {
  const { teeth, dark } = mouthComposition(image, lips);
  return teeth + dark >= MIN_OWN_INTERIOR;
}

// BT.601 luma/chroma (JPEG's YCbCr without the offset).
function toYcc(r: number, g: number, b: number): [number, number, number] {
  const y = 0.299 * r + 0.587 * g + 0.114 * b;
  return [y, 0.564 * (b - y), 0.713 * (r - y)];
}
function fromYcc(y: number, cb: number, cr: number): [number, number, number] {
  return [y + 1.403 * cr, y - 0.344 * cb - 0.714 * cr, y + 1.773 * cb];
}

export interface SkinTone {
  y: number;
  cb: number;
  cr: number;
  /** Mean chroma magnitude: how colourful the skin is. */
  saturation: number;
}

/**
 * Where the horizontal line y crosses the polygon's edges: for each edge that straddles y, the x of the crossing,
 * computed as insidePolygon computes it. A point (x, y) is inside when an odd number of them lie right of x, so
 * a row of points needs the edges only once (the same test, the same arithmetic, the same answers).
 */
function rowCrossings(polygon: Point[], y: number, out: Float64Array): number {
  let count = 0;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y) out[count++] = ((xj - xi) * (y - yi)) / (yj - yi) + xi;
  }
  return count;
}

function insideRow(crossings: Float64Array, count: number, x: number): boolean {
  let inside = false;
  for (let k = 0; k < count; k++) if (x < crossings[k]!) inside = !inside;
  return inside;
}

/** Mean colour of the skin ring around the mouth: inside the outer lips scaled 1.6× about their centre, outside
 * the lips. It sees the light falling on the mouth region, not the lips' own (possibly painted) colour. */
export function skinAroundMouth(image: RgbImage, lips: Lips): SkinTone | undefined {
  const outer = OUTER.map((i) => lips[i]!);
  const ring = skinRing(outer);
  const x0 = Math.max(0, Math.floor(Math.min(...ring.map((p) => p[0]))));
  const x1 = Math.min(image.width - 1, Math.ceil(Math.max(...ring.map((p) => p[0]))));
  const y0 = Math.max(0, Math.floor(Math.min(...ring.map((p) => p[1]))));
  const y1 = Math.min(image.height - 1, Math.ceil(Math.max(...ring.map((p) => p[1]))));
  const ringCrossings = new Float64Array(ring.length);
  const lipCrossings = new Float64Array(outer.length);
  const data = image.data;
  let n = 0;
  let sy = 0;
  let scb = 0;
  let scr = 0;
  let ssat = 0;
  for (let y = y0; y <= y1; y++) {
    const py = y + 0.5;
    const ringCount = rowCrossings(ring, py, ringCrossings);
    if (ringCount === 0) continue;
    const lipCount = rowCrossings(outer, py, lipCrossings);
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      if (!insideRow(ringCrossings, ringCount, px) || insideRow(lipCrossings, lipCount, px)) continue;
      const o = (y * image.width + x) * 3;
      // toYcc, written out: this loop runs twice per frame of an animation
      const r = data[o]!;
      const b = data[o + 2]!;
      const l = 0.299 * r + 0.587 * data[o + 1]! + 0.114 * b;
      const cb = 0.564 * (b - l);
      const cr = 0.713 * (r - l);
      sy += l;
      scb += cb;
      scr += cr;
      ssat += Math.hypot(cb, cr);
      n++;
    }
  }
  if (n === 0) return undefined;
  return { y: sy / n, cb: scb / n, cr: scr / n, saturation: ssat / n };
}

/** The outer edge of the skin ring: the outer lips scaled 1.6× about their centre. */
function skinRing(outer: Point[]): Point[] {
  const cx = outer.reduce((s, p) => s + p[0], 0) / outer.length;
  const cy = outer.reduce((s, p) => s + p[1], 0) / outer.length;
  return outer.map(([x, y]) => [cx + (x - cx) * 1.6, cy + (y - cy) * 1.6] as Point);
}

/** skinAroundMouth of a mouth source, remembered per source image and lips (the bank's exemplars recur from frame
 * to frame of an animation, and the source's skin does not change). */
const sourceSkins = new WeakMap<RgbImage, { lips: Lips; data: Uint8Array; tone: SkinTone | undefined }>();

function sourceSkin(source: MouthSource): SkinTone | undefined {
  const known = sourceSkins.get(source.image);
  if (known !== undefined && known.lips === source.lips && known.data === source.image.data)
    return known.tone;
  const tone = skinAroundMouth(source.image, source.lips);
  sourceSkins.set(source.image, { lips: source.lips, data: source.image.data, tone });
  return tone;
}

/** How much brighter than the eye whites say the light may be read from the skin (eyes in shade read low). */
const EYE_LIGHT_SLACK = 1.5;

/** Share of the exemplar's own chroma an interior keeps (before the photo's own saturation limit). */
export const INTERIOR_CHROMA = 0.6;
/**
 * 0..1, how much an interior pixel (luma `l`, chroma `chroma`) looks like teeth rather than gums, lips or tongue,
 * against the skin tone of the photo it was cut from: a soft form of mouthComposition's rule (bright, about as
 * colourless as the skin or less).
 */
function teethLikeness(l: number, chroma: number, skin: SkinTone): number {
  const bright = smoothstep((l / Math.max(skin.y, 1) - 0.65) / 0.25);
  const pale = smoothstep((0.6 * skin.saturation + 8 - chroma) / 8);
  return bright * pale;
}

/**
 * Share of the difference between the photo's skin tint and the exemplar's that the interior takes: teeth reflect
 * the scene's light, so a warm-lit photo gets warmer teeth (skin tint standing in for the light's colour). Without
 * it, teeth from cooler-lit FRL photos looked bluish on warm faces; the whole difference turned them pinkish;
 * half looked right on the gallery's faces. Still scaled by the photo's saturation limit below (gray stays gray).
 */
const LIGHT_TINT = 0.5;

export interface PaintOptions {
  /** 0..1, scales the interior's opacity (interiorStrength). */
  strength: number;
  /** Width of the soft edge across the inner-lip line, in image pixels. */
  feather: number;
  /** Luma of the whites of the eyes in the photo painted (eyeWhite.ts), when they could be measured. */
  eyeWhite?: number;
  /**
   * 0..1: how far the jaw has dropped (jawDropCavity). The source's teeth keep their own proportions at the top
   * of the opening and the dark cavity fills the rest; 0 (default): the source fills the whole opening.
   */
  cavity?: number;
  /**
   * If given (1 per image pixel), how much of each pixel the interior painted (0..1) is written here where a cavity
   * is painted: there the painted view replaces the warp in the photo rather than being added as a change
   * (WarpLayers.detail.cover), so that the photo's own teeth, stretched by the warp into a dropped jaw, cannot show
   * through the cavity as gray stripes.
   */
  cover?: Float32Array;
}

/**
 * The signed distance to `polygon` at pixel (x, y)'s centre where it is under `near` in size; elsewhere ±`2·near`,
 * which a caller that only asks "inside or outside, and how far within `near` of the edge" reads the same way. The
 * distance changes by at most a pixel per pixel, so a 4 × 4 block of pixels whose centre lies `near` + the reach to
 * its farthest pixel centre (1.5·√2) or more from the edge is wholly on one side: one distance for sixteen pixels
 * (the mouth's interior is painted at the photo's resolution, every frame of an animation). Blocks count from (x0, y0).
 */
function blockedDistance(
  polygon: Point[],
  x0: number,
  y0: number,
  near: number,
): (x: number, y: number) => number {
  const BLOCK = 4;
  const reach = 1.5 * Math.SQRT2 + 1e-6;
  const blocks = new Map<number, number>();
  return (x, y) => {
    const bx = Math.floor((x - x0) / BLOCK);
    const by = Math.floor((y - y0) / BLOCK);
    const key = by * 65536 + bx;
    let centre = blocks.get(key);
    if (centre === undefined) {
      centre = polygonDistance(polygon, x0 + bx * BLOCK + BLOCK / 2, y0 + by * BLOCK + BLOCK / 2);
      blocks.set(key, centre);
    }
    if (centre >= near + reach) return 2 * near;
    if (centre <= -(near + reach)) return -2 * near;
    return polygonDistance(polygon, x + 0.5, y + 0.5);
  };
}

/**
 * `image` with `source`'s mouth interior warped into the inner-lip polygon of `lips` (image pixels) and relit to
 * the image. Returns a new image; `image` is not changed.
 */
export function paintMouthInterior(
  image: RgbImage,
  lips: Lips,
  source: MouthSource,
  options: PaintOptions,
): RgbImage {
  const out: RgbImage = { width: image.width, height: image.height, data: Uint8Array.from(image.data) };
  if (options.strength <= 0) return out;
  const inner = INNER.map((i) => lips[i]!);
  const sourceInner = INNER.map((i) => source.lips[i]!);
  // A jaw drop opens the mouth further than the source's smile: stretched into it, the source's teeth became a
  // clenched wall. Instead the source keeps its own proportions at the top of the opening (the upper teeth) and
  // the rest is the dark cavity (cavityShade), as far as the target is taller than the source (`tall`).
  const tall = options.cavity ?? 0;
  const teethCorners =
    tall > 0 ? shortenedOpening(inner, mouthOpening(source.lips) / mouthOpening(lips), tall) : inner;
  // The openings as smooth arcs between the mouth corners (roundOpening), each polygon of the same count.
  const opening = roundOpening(inner);
  const teethInner = roundOpening(teethCorners);
  const sourceOpening = roundOpening(sourceInner);
  const upper = [12, 13, 14, 15, 16].map((i) => lips[i]!);
  const lower = [12, 19, 18, 17, 16].map((i) => lips[i]!);
  const width = mouthWidth(lips);
  const photoSkin = skinAroundMouth(image, lips);
  const sourceTone = sourceSkin(source);
  if (!photoSkin || !sourceTone) return out;
  // Lighting: the interior's luma scales with the light, darker only: brightening studio-lit teeth further
  // clips them to flat white, which reads as pasted (seen on the Canada photos); the floor keeps a wrong ring
  // from giving black teeth. The light is the larger of two estimates: the skin's luma ratio, which also holds the
  // skin's own tone (on its own it gave dark skin dark gray teeth), and the eye whites' ratio, which does not but
  // can read low where the eyes lie in shadow.
  // For a bank exemplar both are read against the bank as a whole (studioLight), the same whichever exemplar the
  // mouth's shape picks: the skin against the bank's skin nearest this photo's in tone, the eyes against the bank's
  // median. Against the picked exemplar's own, a dark-skinned exemplar read as equal light gave a dim photo's teeth
  // full white, and in an animation they flashed white for the frames whose mouth shape picked it (cc0/lisa3's smile
  // at intensity 0.83-0.85, found by a new user). Skin luma cannot tell dark skin from dim light, so the eye whites
  // (which do not depend on skin tone, but can read low where the eyes lie in shade) bound the light from above,
  // with room for that shade: at most EYE_LIGHT_SLACK times what they say.
  const skinReference = source.studio
    ? (nearestTone(source.studio.skins, photoSkin) ?? sourceTone)
    : sourceTone;
  const skinGain = photoSkin.y / Math.max(skinReference.y, 1);
  const sourceEyeWhite = source.studio ? source.studio.eyeWhite : source.eyeWhite;
  const eyeGain =
    options.eyeWhite !== undefined && sourceEyeWhite !== undefined
      ? options.eyeWhite / Math.max(sourceEyeWhite, 1)
      : 0;
  const light = Math.max(skinGain, eyeGain);
  const bounded = eyeGain > 0 ? Math.min(light, EYE_LIGHT_SLACK * eyeGain) : light;
  // Times the exemplar's teeth levelled to the bank's usual brightness (teethLevel; a driver's own mouth: 1).
  const gain = Math.min(1, Math.max(0.35, bounded)) * (source.teethLevel ?? 1);
  // What is not teeth (gums, the inside of the lips, the tongue) is tissue of the exemplar's skin tone: it takes
  // the skin's gain. With the teeth's gain, light pink gums from the FRL smiles showed as a pale band over dark
  // skin's teeth (the m_african composite's fear).
  // Against the exemplar's own skin: the tissue is its person's, brought to this photo's skin.
  const tissueGain = Math.min(1, Math.max(0.35, photoSkin.y / Math.max(sourceTone.y, 1)));
  // Palette: the interior's own chroma, scaled by how colourful the photo's skin is next to the exemplar's (at
  // most 1): exactly gray in a grayscale photo, faint in a sepia print, as it was in a colour photo. (Turning the
  // Cb/Cr plane onto the photo's skin hue as well was tried: it tinted teeth green on pink-lit faces.)
  // The teeth keep only INTERIOR_CHROMA of theirs: the bank's teeth range from white to stained yellow-green,
  // which stands out on another face. Gums, lips and tongue keep all of theirs (at 0.6 the shadowed gums above a
  // fear mouth's teeth turned a dull gray band). Before that, the chroma is shifted by part of the skin tints'
  // difference (LIGHT_TINT).
  const chroma = Math.min(
    1,
    Math.hypot(photoSkin.cb, photoSkin.cr) / Math.max(Math.hypot(sourceTone.cb, sourceTone.cr), 1e-6),
  );

  // A fan of triangles around each polygon's centroid: pixel = c + a·(P_i − c) + b·(P_{i+1} − c) in the target
  // maps to the same (a, b) in the source. Outside the polygon (a + b > 1) it extends the sector linearly, which
  // is what the feathered edge needs.
  const centroid = (points: Point[]): Point => [
    points.reduce((s, p) => s + p[0], 0) / points.length,
    points.reduce((s, p) => s + p[1], 0) / points.length,
  ];
  const ct = centroid(teethInner);
  const cs = centroid(sourceOpening);
  const sectors = teethInner.map((p, i) => {
    const q = teethInner[(i + 1) % teethInner.length]!;
    const ux = p[0] - ct[0];
    const uy = p[1] - ct[1];
    const vx = q[0] - ct[0];
    const vy = q[1] - ct[1];
    const det = ux * vy - vx * uy;
    const sp = sourceOpening[i]!;
    const sq = sourceOpening[(i + 1) % sourceOpening.length]!;
    return { ux, uy, vx, vy, det, s: [sp[0] - cs[0], sp[1] - cs[1], sq[0] - cs[0], sq[1] - cs[1]] };
  });
  const toSource = (x: number, y: number): Point | undefined => {
    const dx = x - ct[0];
    const dy = y - ct[1];
    for (const k of sectors) {
      if (Math.abs(k.det) < 1e-9) continue;
      const a = (dx * k.vy - k.vx * dy) / k.det;
      const b = (k.ux * dy - dx * k.uy) / k.det;
      if (a >= -1e-9 && b >= -1e-9)
        return [cs[0] + a * k.s[0]! + b * k.s[2]!, cs[1] + a * k.s[1]! + b * k.s[3]!];
    }
    return undefined;
  };
  // Source pixels per image pixel: when the source is finer than the image, average several samples per pixel.
  const sourceScale = Math.sqrt(polygonArea(sourceOpening) / Math.max(polygonArea(teethInner), 1e-6));
  const taps = Math.max(1, Math.min(4, Math.ceil(sourceScale)));

  const feather = Math.max(options.feather, 0.5);
  const x0 = Math.max(0, Math.floor(Math.min(...opening.map((p) => p[0])) - feather));
  const x1 = Math.min(image.width - 1, Math.ceil(Math.max(...opening.map((p) => p[0])) + feather));
  const y0 = Math.max(0, Math.floor(Math.min(...opening.map((p) => p[1])) - feather));
  const y1 = Math.min(image.height - 1, Math.ceil(Math.max(...opening.map((p) => p[1])) + feather));
  const rgb = [0, 0, 0];
  const sum = [0, 0, 0];
  const edgeDistance = blockedDistance(opening, x0, y0, feather / 2);
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      const d = edgeDistance(x, y);
      const t = d / feather + 0.5; // the edge's middle on the inner-lip line
      if (t <= 0) continue;
      const alpha = options.strength * (t >= 1 ? 1 : t * t * (3 - 2 * t));
      sum[0] = sum[1] = sum[2] = 0;
      let n = 0;
      for (let j = 0; j < taps; j++)
        for (let i = 0; i < taps; i++) {
          const at = toSource(x + (i + 0.5) / taps, y + (j + 0.5) / taps);
          if (!at) continue;
          sampleBilinearFloat(source.image, at[0], at[1], rgb);
          sum[0] += rgb[0]!;
          sum[1] += rgb[1]!;
          sum[2] += rgb[2]!;
          n++;
        }
      if (n === 0) continue;
      const [l, cb, cr] = toYcc(sum[0]! / n, sum[1]! / n, sum[2]! / n);
      const teeth = teethLikeness(l, Math.hypot(cb, cr), sourceTone);
      const keep = chroma * (1 - teeth * (1 - INTERIOR_CHROMA));
      let painted = fromYcc(
        l * (teeth * gain + (1 - teeth) * tissueGain),
        (cb + LIGHT_TINT * (photoSkin.cb - sourceTone.cb)) * keep,
        (cr + LIGHT_TINT * (photoSkin.cr - sourceTone.cr)) * keep,
      );
      if (tall > 0) {
        // depth below the upper inner lip, in shares of the shortened (teeth) opening at this column
        // depth below the upper inner lip: in shares of the mouth's width (where the teeth end), and of the
        // opening at this column (where the tongue is)
        const top = lipLineAt(upper, x + 0.5);
        const depth = (y + 0.5 - top) / Math.max(width, 1e-6);
        const w = tall * smoothstep((depth - TEETH_DEPTH) / CAVITY_RAMP);
        if (w > 0) {
          const v = (y + 0.5 - top) / Math.max(1e-6, lipLineAt(lower, x + 0.5) - top);
          const dark = cavityShade(photoSkin, v);
          painted = [0, 1, 2].map((c) => painted[c]! + w * (dark[c]! - painted[c]!)) as [
            number,
            number,
            number,
          ];
        }
      }
      const o = (y * image.width + x) * 3;
      if (tall > 0 && options.cover) {
        const at = y * image.width + x;
        options.cover[at] = Math.max(options.cover[at]!, alpha);
      }
      for (let c = 0; c < 3; c++) {
        const v = Math.round(image.data[o + c]! + alpha * (painted[c]! - image.data[o + c]!));
        out.data[o + c] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  return out;
}

/**
 * How much of a dark cavity a target needs (0..1), from how far it drops the jaw: the chin (point 8) lowered
 * against the photo's own, relative to the eye corners, in shares of the inter-ocular distance. None below 0.06
 * (lips parted by the lips alone, AU10/16/25, keep the teeth together: a wall of teeth is right there), all of
 * it from 0.14 on (AU26 jaw drop at 1 lowers the chin by 0.17). Teeth apart, the mouth shows the upper teeth at
 * the top of a dark cavity, not the bank smile's two rows stretched into the opening.
 */
export function jawDropCavity(own: Landmarks, target: Landmarks): number {
  const iod = interocularDistance(own);
  if (!(iod > 0)) return 0;
  let eyes = 0;
  for (const i of [36, 39, 42, 45]) eyes += (target[i]![1] - own[i]![1]) / 4;
  const drop = (target[8]![1] - own[8]![1] - eyes) / iod;
  return smoothstep((drop - 0.06) / 0.08);
}

/** The teeth (the source) show down to this depth below the upper inner lip (shares of the mouth's width); over
 * the next CAVITY_RAMP they give way to the cavity. */
const TEETH_DEPTH = 0.07;
const CAVITY_RAMP = 0.06;

/**
 * The inner-lip polygon (8 points, INNER order: corner 60, upper 61–63, corner 64, lower 65–67) with the lower
 * lip raised towards the upper so that the opening is `ratio` (< 1) of its height, by share `tall` (0: as it is).
 */
/** Points per arc segment of roundOpening. */
const ROUND_STEPS = 4;

/**
 * The inner-lip polygon (points 60–67: corner, upper lip, corner, lower lip) with its upper and lower lips as smooth
 * arcs (Catmull-Rom through the landmarks, ROUND_STEPS points a segment) and sharp mouth corners. Painted into the
 * landmarks' own eight-sided polygon, an open mouth was a hard-edged diamond with a point at the bottom, as if cut
 * out (seen by a new-user trial on surprise and "aaa").
 */
export function roundOpening(inner: Point[]): Point[] {
  const arc = (points: Point[]): Point[] => {
    const out: Point[] = [];
    const at = (i: number): Point =>
      i < 0
        ? [2 * points[0]![0] - points[1]![0], 2 * points[0]![1] - points[1]![1]]
        : i >= points.length
          ? [
              2 * points[points.length - 1]![0] - points[points.length - 2]![0],
              2 * points[points.length - 1]![1] - points[points.length - 2]![1],
            ]
          : points[i]!;
    for (let i = 0; i < points.length - 1; i++) {
      const [p0, p1, p2, p3] = [at(i - 1), at(i), at(i + 1), at(i + 2)];
      for (let k = 0; k < ROUND_STEPS; k++) {
        const t = k / ROUND_STEPS;
        const t2 = t * t;
        const t3 = t2 * t;
        const point = [0, 1].map(
          (c) =>
            0.5 *
            (2 * p1[c]! +
              (p2[c]! - p0[c]!) * t +
              (2 * p0[c]! - 5 * p1[c]! + 4 * p2[c]! - p3[c]!) * t2 +
              (3 * p1[c]! - p0[c]! - 3 * p2[c]! + p3[c]!) * t3),
        );
        out.push([point[0]!, point[1]!]);
      }
    }
    return out;
  };
  // upper lip from corner 60 to corner 64, lower lip from 64 back to 60; each arc leaves out its last point, which
  // the other arc starts with
  return [...arc(inner.slice(0, 5)), ...arc([...inner.slice(4, 8), inner[0]!])];
}

function shortenedOpening(inner: Point[], ratio: number, tall: number): Point[] {
  const k = 1 - tall * (1 - Math.min(1, ratio));
  // lower point i pairs with upper point 8 − i (65–63, 66–62, 67–61)
  return inner.map((p, i) => {
    if (i <= 4) return p;
    const u = inner[8 - i]!;
    return [u[0] + (p[0] - u[0]) * k, u[1] + (p[1] - u[1]) * k] as Point;
  });
}

/** The y of a lip line (points ordered by x, roughly) at x, linearly between its points, flat beyond its ends. */
function lipLineAt(line: Point[], x: number): number {
  const sorted = line[0]![0] <= line[line.length - 1]![0] ? line : [...line].reverse();
  if (x <= sorted[0]![0]) return sorted[0]![1];
  for (let i = 1; i < sorted.length; i++) {
    const [ax, ay] = sorted[i - 1]!;
    const [bx, by] = sorted[i]!;
    if (x <= bx) return bx > ax ? ay + ((by - ay) * (x - ax)) / (bx - ax) : by;
  }
  return sorted[sorted.length - 1]![1];
}

/**
 * The cavity's colour at depth `v` (shares of the opening below the upper inner lip): a shadow in the skin's own
 * hue at a small share of its luma, darkest just under the teeth, a little lighter further down where the tongue
 * catches some light. Luma and chroma follow the photo's skin, so a gray photo gets a gray cavity.
 */
function cavityShade(skin: SkinTone, v: number): [number, number, number] {
  const share = CAVITY_LUMA + CAVITY_TONGUE * smoothstep((v - 0.55) / 0.45);
  // the skin's hue, a little redder (the tongue and the gums), at the cavity's luma
  return fromYcc(skin.y * share, skin.cb * share * 1.2, skin.cr * share * 1.8);
}

/** The cavity's luma as a share of the skin's, and what the tongue adds towards the bottom of a tall opening. */
const CAVITY_LUMA = 0.14;
const CAVITY_TONGUE = 0.12;

function polygonArea(points: Point[]): number {
  let area = 0;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++)
    area += points[j]![0] * points[i]![1] - points[i]![0] * points[j]![1];
  return Math.abs(area) / 2;
}

/** What the inside of the lips shows, as fractions of its pixels. */
export interface MouthComposition {
  /** At least 0.8× the skin's luma and well under its chroma: teeth. */
  teeth: number;
  /** Under 0.5× the skin's luma: the mouth cavity (or shadowed teeth). */
  dark: number;
  /** Pixels inside the inner lips. */
  pixels: number;
}

/**
 * Teeth and cavity inside the inner-lip polygon of `lips` (image pixels), judged against the skin around the
 * mouth. A lip-coloured opening (what a warp alone makes of parted lips) scores low on both. A measure for the
 * bank builder and the evaluation, never used to steer a transfer.
 */
export function mouthComposition(image: RgbImage, lips: Lips): MouthComposition {
  const inner = INNER.map((i) => lips[i]!);
  const skin = skinAroundMouth(image, lips);
  const x0 = Math.max(0, Math.floor(Math.min(...inner.map((p) => p[0]))));
  const x1 = Math.min(image.width - 1, Math.ceil(Math.max(...inner.map((p) => p[0]))));
  const y0 = Math.max(0, Math.floor(Math.min(...inner.map((p) => p[1]))));
  const y1 = Math.min(image.height - 1, Math.ceil(Math.max(...inner.map((p) => p[1]))));
  let pixels = 0;
  let teeth = 0;
  let dark = 0;
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      if (!insidePolygon(inner, x + 0.5, y + 0.5)) continue;
      pixels++;
      if (!skin) continue;
      const o = (y * image.width + x) * 3;
      const [l, cb, cr] = toYcc(image.data[o]!, image.data[o + 1]!, image.data[o + 2]!);
      if (l < 0.5 * skin.y) dark++;
      else if (l >= 0.8 * skin.y && Math.hypot(cb, cr) <= 0.6 * skin.saturation + 4) teeth++;
    }
  return { teeth: pixels ? teeth / pixels : 0, dark: pixels ? dark / pixels : 0, pixels };
}

/** Where a transfer takes its mouth interior from: the driver photo's own mouth (`--like`), else the bank. */
export interface MouthOptions {
  bank?: MouthBank;
  driver?: MouthSource;
}

/** How wide the soft edge over the inner-lip line is, in aligned-crop pixels. */
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
  ownShowsInterior = false,
  /** Where a cavity is painted, how much of each view pixel (PaintOptions.cover). */
  cover?: Float32Array,
): RgbImage {
  const targetLips = lipsOf(target, zoom);
  const strength = interiorStrength(
    lipsOf(own, zoom),
    targetLips,
    ownShowsInterior,
    jawDropCavity(own, target),
  );
  if (strength <= 0) return view;
  let source = mouth.driver;
  if (!source && mouth.bank) {
    const exemplar = chooseExemplar(mouth.bank, targetLips);
    if (exemplar) source = exemplarSource(mouth.bank, exemplar);
  }
  if (!source) return view;
  // A driver photo's own mouth is the real interior of that opening; a bank smile's teeth (also when a clip
  // passes one as its driver, ClipMouth) need the cavity below them when the jaw drops.
  const cavity = source.fromBank ? jawDropCavity(own, target) : 0;
  return paintMouthInterior(view, targetLips, source, {
    strength,
    feather: MOUTH_FEATHER * zoom,
    ...(eyeWhite !== undefined ? { eyeWhite } : {}),
    cavity,
    ...(cover ? { cover } : {}),
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
  ownShowsInterior = false,
): boolean {
  const jawDrop = jawDropCavity(own, target);
  if (interiorStrength(lipsOf(own, zoom), lipsOf(target, zoom), ownShowsInterior, jawDrop) <= 0) return false;
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
