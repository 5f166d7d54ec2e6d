/**
 * The generated face pasted back into the photo: the preview under "In the photo" (the edited photo, a short
 * delay after each new face) and the full-resolution picture the download writes.
 */
import { composeAffine } from '../../../src/geometry/affine.js';
import { denormalizeLandmarks, unflattenLandmarks } from '../../../src/face/landmarks.js';
import type { RgbImage } from '../../../src/image/rgbImage.js';
import { rgbToImageData } from '../canvasImage.js';
import { pasteInMode, type PasteMode } from '../pasteModes.js';
import { WARP_MARGIN } from '../../../src/transfer/warpPaste.js';
import {
  canvasRows,
  cropRegion,
  cutRegion,
  fullResolutionCanvas,
  readRegion,
  regionToCrop,
  sameRegion,
  scaledPhoto,
  type PixelSize,
  type Region,
} from '../photoSource.js';
import { prefetchGroupDetector } from '../faceDetector.js';
import { encodePngRgb } from '../pngRgb.js';
import { showMessage } from '../ui.js';
import type { EditedFace, EditorState } from './state.js';
import type { EditorView } from './view.js';

/**
 * The in-photo preview follows each new face as soon as it can: one paste at a time, and faces that arrive while
 * one runs are not queued, the latest is pasted next (a drag never builds a backlog). It used to wait 250 ms after
 * the last face, so "In the photo" lagged every change by at least that.
 */
export function schedulePastePreview(state: EditorState, view: EditorView): void {
  state.pastePending = true;
  if (!state.pasting) void pasteLatest(state, view);
}

async function pasteLatest(state: EditorState, view: EditorView): Promise<void> {
  state.pasting = true;
  try {
    while (state.pastePending) {
      state.pastePending = false;
      // Let the page draw the generated face (and take input) before the paste holds the thread.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const face = state.face;
      if (face === undefined) return;
      const generation = state.generation;
      try {
        const { picture, scale } = await previewPicture(face);
        const pasted = await pasteIntoRegion(
          state,
          face,
          view.pasteMode(),
          (region) => previewRegion(picture, region),
          picture,
          scale,
        );
        if (pasted === undefined || state.face !== face) continue;
        state.result = { before: pasted.before, after: pasted.after };
        view.showResult(state, picture, pasted.region, scale, generation);
        // The SSD (the next group photo, "Find more faces") loads once a face is in the photo, not before it.
        prefetchGroupDetector();
      } catch (error) {
        showMessage('error', `Pasting the face failed: ${(error as Error).message}`, 'paste-failed');
      }
    }
  } finally {
    state.pasting = false;
  }
}

/**
 * The widest, in canvas pixels, the preview's face region is pasted: the large face view is at most FACE_VIEW_WIDTH
 * CSS pixels wide (style.css, #face-view; its height follows), so more than that many device pixels across are never
 * seen; at least twice it, so that a zoomed page or a later move to a denser screen stays sharp. The bundled
 * samples' regions (600–675 px wide) are pasted whole.
 */
const FACE_VIEW_WIDTH = 360;

function previewWidth(): number {
  return Math.ceil(FACE_VIEW_WIDTH * Math.max(2, globalThis.devicePixelRatio || 1));
}

/** The photo scaled for the preview of each photo (one scale at a time: the face's). */
const previewPictures = new WeakMap<
  RgbImage,
  { data: Uint8Array; factor: number; scaled: { picture: RgbImage; scale: number } }
>();

/**
 * The picture the preview pastes into: the photo, or where the face's region is wider than the face view can show,
 * the photo scaled down (the browser's high-quality scaler, once per photo) so that the region is previewWidth()
 * wide. A phone photo (edited at 2048 px) of a face filling the frame has a region about 1500 px wide and 1900 tall:
 * pasted whole on every slider move, the preview took a third of a second. The download still pastes at the
 * original's resolution (fullResolutionPng); the camera's live loop pastes at its own scale (cameraDrive.ts).
 */
async function previewPicture(face: EditedFace): Promise<{ picture: RgbImage; scale: number }> {
  const { photo, aligned } = face;
  const size = aligned.alignment.config.size;
  const region = cropRegion(aligned.alignment.toPhoto, size, photo.width, photo.height, WARP_MARGIN * size);
  const factor = Math.min(1, previewWidth() / region.width);
  const last = previewPictures.get(photo);
  if (last !== undefined && last.data === photo.data && last.factor === factor) return last.scaled;
  const scaled = await scaledPhoto(photo, factor);
  previewPictures.set(photo, { data: photo.data, factor, scaled });
  return scaled;
}

/** The last region cut from each photo for the preview. */
const previewRegions = new WeakMap<RgbImage, { data: Uint8Array; region: Region; image: RgbImage }>();

/**
 * The preview's region of the photo, the same image object while the face and its region stay: the paste's face view
 * (warpAffineCached) is then resampled from the photo once, not on every slider move (about 15 ms each).
 */
function previewRegion(photo: RgbImage, region: Region): RgbImage {
  const last = previewRegions.get(photo);
  if (last !== undefined && sameRegion(last.region, region)) return last.image;
  const image = cutRegion(photo, region);
  previewRegions.set(photo, { data: photo.data, region, image });
  return image;
}

/**
 * The current face pasted into a picture `scale` times the size of the edited photo (1 for the preview, the
 * original's size for the download); only the region the face's crop covers is read and changed.
 */
async function pasteIntoRegion(
  state: EditorState,
  face: EditedFace,
  mode: PasteMode,
  read: (region: Region) => RgbImage,
  picture: PixelSize,
  scale: number,
): Promise<{ region: Region; before: RgbImage; after: RgbImage } | undefined> {
  if (face.latest === undefined || face.reference === undefined) return undefined;
  const { alignment } = face.aligned;
  const size = alignment.config.size;
  const toPicture = composeAffine([scale, 0, 0, 0, scale, 0], alignment.toPhoto);
  const region = cropRegion(toPicture, size, picture.width, picture.height, WARP_MARGIN * size);
  const before = read(region);
  const after = await pasteInMode(mode, {
    photo: before,
    toCrop: regionToCrop(alignment.toCrop, scale, region),
    inputCrop: face.aligned.crop,
    own: face.aligned.landmarks,
    target: denormalizeLandmarks(unflattenLandmarks(face.history.current), size),
    generated: face.latest,
    generatedOwn: face.reference,
    // The mouth interior and the expression shading, exactly as `mimic transfer` passes them (src/transfer/mimic.ts).
    ...(state.model?.mouthBank ? { mouth: { bank: state.model.mouthBank } } : {}),
    ratios: state.model?.ratios ?? [],
  });
  return { region, before, after };
}

/** The original photo, at its own resolution, with the face pasted back: an RGB PNG. */
export async function fullResolutionPng(
  state: EditorState,
  face: EditedFace,
  mode: PasteMode,
): Promise<Blob | undefined> {
  const canvas = await fullResolutionCanvas(face.file, face.photo);
  const scale = canvas.width / face.photo.width;
  const pasted = await pasteIntoRegion(
    state,
    face,
    mode,
    (region) => readRegion(canvas, region),
    canvas,
    scale,
  );
  if (pasted === undefined) return undefined;
  canvas.getContext('2d')!.putImageData(rgbToImageData(pasted.after), pasted.region.x, pasted.region.y);
  return encodePngRgb(canvas.width, canvas.height, canvasRows(canvas));
}

/** Another paste mode re-pastes the preview; the before/after button toggles what the large view shows. */
export function wirePasting(state: EditorState, view: EditorView): void {
  view.ui.pasteMode.addEventListener('change', () => schedulePastePreview(state, view));
  view.ui.beforeAfter.addEventListener('click', () => {
    state.showingBefore = !state.showingBefore;
    view.showBeforeAfter(state);
  });
}
