/**
 * Putting a generated face back into the photo, in the three paste modes. Platform neutral (the image scaler is
 * passed in), so the CLI's Mimic class and the web editor run the very same code.
 *
 * - "warp": the photo's face warped (piecewise-affine, at about the photo's own resolution) from its landmarks to
 *   the target landmarks, plus the generator's appearance change.
 * - "residual": the photo plus the generator's change (generated − generated-for-own-landmarks).
 * - "face": the generated face itself, colour-matched to the input crop (the paper's output).
 */
import { affineScale, applyAffine, invertAffine, type Affine } from '../geometry/affine.js';
import { eyeWhiteLuma } from '../face/eyeWhite.js';
import type { Landmarks } from '../face/landmarks.js';
import type { ResizeImage, RgbImage } from '../image/rgbImage.js';
import {
  cropMask,
  DEFAULT_MASK,
  facePolygon,
  matchColours,
  pasteFace,
  removeColourDrift,
  suppressCheckerboard,
  suppressCheckerboardCached,
  type MaskOptions,
} from './paste.js';
import {
  addMouthInterior,
  jawDropCavity,
  lipsOf,
  mouthReadBox,
  paintsMouthInterior,
  photoShowsInterior,
  type MouthOptions,
} from '../face/mouthInterior.js';
import { addEyelids, eyelidReadBox, lidWarpTarget, paintsEyelids } from '../face/eyelidInterior.js';
import { chromaAllowance, keepPhotoPalette } from '../image/palette.js';
import { appearanceChange, pasteWarpedFace, warpedFaceView, warpFrameMargin } from './warpPaste.js';
import { ratioLogGain, ratioStrength, type RatioImage } from '../face/ratioImage.js';
import { auLogGain, skinLuma } from '../face/auAppearance.js';

export type PasteMode = 'warp' | 'residual' | 'face';
export const PASTE_MODES: readonly PasteMode[] = ['warp', 'residual', 'face'];
export const DEFAULT_PASTE: PasteMode = 'warp';

export interface PasteInput {
  photo: RgbImage;
  /** Photo pixels → crop pixels. */
  toCrop: Affine;
  /** The aligned input crop. */
  inputCrop: RgbImage;
  /** The input's own landmarks and the target landmarks, in crop pixels. */
  own: Landmarks;
  target: Landmarks;
  /**
   * The face generated for `target`, and the face generated for `own` (the generator's rendering of the input).
   * Only the warp mode works without them (the warp and the mouth interior alone, as the evaluation scores it).
   */
  generated?: RgbImage;
  generatedOwn?: RgbImage;
  mask?: MaskOptions;
  /** The image scaler (sharp in Node, the canvas in the page). */
  resize: ResizeImage;
  /** Where the target parts the lips: a mouth interior from this bank or driver photo (mouthInterior.ts). */
  mouth?: MouthOptions;
  /**
   * Expression ratio images (ratioImage.ts), for the fine shading of an expression: each is applied as strongly as
   * the move from `own` to `target` resembles the expression it was averaged from (none for a neutral target).
   */
  ratios?: readonly RatioImage[];
  /**
   * Creases where the target's shape makes them (auAppearance.ts; default true). False: the warp, the change, the
   * ratio shading and the mouth interior only (to compare with and without).
   */
  auAppearance?: boolean;
  /**
   * Make the mouth's face view whole, every frame (the plain way: the same output, slower; for the tests that check
   * that it is the same).
   */
  wholeView?: boolean;
}

/** The whites of the photo's own eyes (`own`: crop pixels), measured at the photo's resolution: its light. */
function photoEyeWhite(photo: RgbImage, toCrop: Affine, own: Landmarks): number | undefined {
  const toPhoto = invertAffine(toCrop);
  return eyeWhiteLuma(
    photo,
    own.map((q) => applyAffine(toPhoto, q)),
  );
}

/** Whether teeth or a cavity show between the photo's own lips, judged at the photo's resolution. */
function ownShowsInterior(p: PasteInput): boolean {
  const toPhoto = invertAffine(p.toCrop);
  return photoShowsInterior(p.photo, lipsOf(p.own.map((q) => applyAffine(toPhoto, q))));
}

export async function pasteInMode(mode: PasteMode, p: PasteInput): Promise<RgbImage> {
  const size = p.inputCrop.width;
  const polygon = facePolygon(p.own, p.target);
  const mask = p.mask ?? DEFAULT_MASK;
  // The transposed convolutions leave a faint dot grid; it must not reach the photo.
  const generated = p.generated ? suppressCheckerboard(p.generated) : null;
  // (The same reference face comes with every frame of an animation: filtered once.)
  const generatedOwn = p.generatedOwn ? suppressCheckerboardCached(p.generatedOwn) : null;
  const weights = cropMask(polygon, size, mask);
  // A grayscale or sepia photo must not take the generator's colours (palette.ts).
  const allowance = generatedOwn ? chromaAllowance(p.inputCrop, generatedOwn, weights) : 1;
  if (mode === 'warp') {
    // Work at about the photo's own resolution of the face (never below the crop's, at most 8× it).
    const zoom = Math.max(1, Math.min(8, 1 / affineScale(p.toCrop)));
    const viewSize = Math.round(size * zoom);
    const z = viewSize / size;
    const change =
      generated && generatedOwn
        ? appearanceChange(generated, generatedOwn, p.own, p.target, weights, allowance)
        : null;
    let logGain: Float32Array | null = null;
    for (const ratio of p.ratios ?? []) {
      const gain = ratioLogGain(ratio, p.target, weights, ratioStrength(ratio, p.own, p.target));
      if (logGain) for (let i = 0; i < gain.length; i++) logGain[i] = logGain[i]! + gain[i]!;
      else logGain = gain;
    }
    // Furrows, nose wrinkles, nasolabial folds and forehead lines where the target's shape makes them
    // (auAppearance.ts), at the view's resolution: a crease is thinner than a crop pixel.
    const shadeLog = p.auAppearance === false ? null : auLogGain(p.own, p.target, size, z);
    const shade = shadeLog ? { logGain: shadeLog, zoom: z, skinLuma: skinLuma(p.inputCrop, p.own) } : null;
    // The mouth interior is painted on a view of the warped face (it takes its colours from the skin around the
    // lips) and carried over as the change it made there; closed eyelids likewise (from the lid skin).
    // Only when the target parts the lips or closes an eye, and only around the mouth / the eyes: the view is read
    // nowhere else (mouthReadBox, eyelidReadBox), and outside those the painted view equals the view, a change of 0.
    let detail: { values: Float32Array; zoom: number } | null = null;
    const ownOpen = p.mouth !== undefined && ownShowsInterior(p);
    const mouthPaints =
      p.mouth !== undefined && (p.wholeView || paintsMouthInterior(z, p.own, p.target, p.mouth, ownOpen));
    // Closed lids where the target closes an eye (eyelidInterior.ts), painted on the same view after the mouth.
    const lidsPaint = paintsEyelids(p.own, p.target);
    // Where lids are painted, the skin above them is not dragged down with the lid landmarks (lidWarpTarget).
    const warpTo = lidsPaint ? lidWarpTarget(p.own, p.target) : p.target;
    // The warp's control frame, past the crop as far as the photo reaches (a dropped chin must not leave a seam).
    const margin = warpFrameMargin(p.photo, p.toCrop, size);
    if (mouthPaints || lidsPaint) {
      const boxes = [
        ...(mouthPaints ? [mouthReadBox(p.target, z)] : []),
        ...(lidsPaint ? [eyelidReadBox(p.target, z, warpTo)] : []),
      ];
      const region = p.wholeView
        ? undefined
        : {
            x0: Math.min(...boxes.map((b) => b.x0)) - 1,
            x1: Math.max(...boxes.map((b) => b.x1)) + 1,
            y0: Math.min(...boxes.map((b) => b.y0)) - 1,
            y1: Math.max(...boxes.map((b) => b.y1)) + 1,
          };
      const { view } = warpedFaceView(
        p.photo,
        p.toCrop,
        size,
        viewSize,
        p.own,
        warpTo,
        { change, logGain, shade },
        region,
        margin,
      );
      // Where the lids cover the eye, or a dropped jaw's cavity the mouth, the painted view replaces the warp (see
      // WarpLayers.detail.cover). Only then: a smile's frames need no cover (a view-sized array each frame).
      const covers = lidsPaint || (mouthPaints && jawDropCavity(p.own, p.target) > 0);
      const alpha = covers ? new Float32Array(viewSize * viewSize) : undefined;
      const withMouth =
        mouthPaints && p.mouth
          ? addMouthInterior(
              view,
              z,
              p.own,
              p.target,
              p.mouth,
              photoEyeWhite(p.photo, p.toCrop, p.own),
              ownOpen,
              alpha,
            )
          : view;
      const painted = lidsPaint ? addEyelids(withMouth, z, p.own, p.target, alpha, warpTo) : withMouth;
      if (painted !== view) {
        // The painting changes the view only inside the region it reads (outside it, a change of 0): only there is
        // the difference taken (the whole view is several hundred thousand values, every frame).
        const values = new Float32Array(view.data.length);
        const x0 = Math.max(0, region?.x0 ?? 0);
        const x1 = Math.min(viewSize - 1, region?.x1 ?? viewSize - 1);
        for (
          let y = Math.max(0, region?.y0 ?? 0);
          y <= Math.min(viewSize - 1, region?.y1 ?? viewSize - 1);
          y++
        )
          for (let i = (y * viewSize + x0) * 3; i < (y * viewSize + x1 + 1) * 3; i++)
            values[i] = painted.data[i]! - view.data[i]!;
        const cover = alpha?.some((a) => a > 0)
          ? { alpha, painted: Float32Array.from(painted.data) }
          : undefined;
        detail = { values, zoom: z, ...(cover ? { cover } : {}) };
      }
    }
    return pasteWarpedFace(
      p.photo,
      p.toCrop,
      size,
      p.own,
      warpTo,
      { change, logGain, shade, detail },
      z,
      margin,
    );
  }
  if (!generated || !generatedOwn) throw new Error(`the "${mode}" paste needs the generated faces`);
  const pasted =
    mode === 'residual'
      ? await pasteFace(
          p.photo,
          removeColourDrift(generated, generatedOwn, weights),
          p.toCrop,
          polygon,
          p.resize,
          { mask, reference: generatedOwn },
        )
      : await pasteFace(p.photo, matchColours(generated, p.inputCrop, weights), p.toCrop, polygon, p.resize, {
          mask,
        });
  return keepPhotoPalette(p.photo, pasted, allowance);
}
