/**
 * Opening a photo (a file chosen or dropped anywhere on the page, or the sample): refused at once when too large,
 * decoded smaller for editing when large, faces detected, and the face to edit aligned (picked by the user when
 * there are several).
 */
import type { RgbImage } from '../../../src/image/rgbImage.js';
import { alignFace, type AlignedFace } from '../alignFace.js';
import type { DetectedFace } from '../../../src/face/faceDetection.js';
import { pageFaceDetection } from '../faceDetector.js';
import { decodeForEditing, headerSize, MAX_EDIT_SIDE, MAX_PIXELS } from '../photoSource.js';
import { clearMessage, showMessage } from '../ui.js';
import { urlOf, URLS } from '../urls.js';
import { showKeys, stopPlaying } from './animationPanel.js';
import { requestGeneration } from './generation.js';
import type { EditorState } from './state.js';
import type { EditorView } from './view.js';

/** The sample photo's name in messages and in the names of downloads. */
const SAMPLE_NAME = 'canada-019f.jpg';

/** The photo the page shows (opened last): an answer that arrives for another one is dropped. */
let photoOnPage: RgbImage | undefined;

/** Drops everything that belonged to the previous face, in the state and on the page. */
function forgetFace(state: EditorState, view: EditorView): void {
  state.forgetFace();
  view.clearFace();
  showKeys(state, view);
  view.markActivePreset(state);
  view.showSliders(state);
}

async function openPhoto(state: EditorState, view: EditorView, blob: Blob, name: string): Promise<void> {
  clearMessage();
  stopPlaying(state, view);
  // The size from the file's header, before decoding: a photo too large is refused at once.
  const size = await headerSize(blob);
  if (size !== undefined && size.width * size.height > MAX_PIXELS) {
    const megapixels = Math.round((size.width * size.height) / 1e6);
    showMessage(
      'error',
      `“${name}” is ${size.width}×${size.height} pixels (${megapixels} megapixels); the editor opens photos up to ` +
        `${Math.round(MAX_PIXELS / 1e6)} megapixels. Shrink it first.`,
      'too-large',
    );
    return;
  }
  const large = size !== undefined && Math.max(size.width, size.height) > MAX_EDIT_SIDE;
  if (large)
    showMessage(
      'info',
      `Opening “${name}” (${size.width}×${size.height}): decoding it smaller for editing; the download keeps ` +
        'its full size…',
      'decoding',
    );
  let photo: RgbImage;
  let transparent: boolean;
  try {
    ({ photo, transparent } = await decodeForEditing(blob, size));
  } catch {
    showMessage(
      'error',
      `“${name}” could not be read as an image. Choose a JPEG, PNG or WebP photo.`,
      'unreadable',
    );
    return;
  }
  forgetFace(state, view);
  photoOnPage = photo;
  view.showPhoto(photo);
  view.showButtons(state);
  showMessage('info', `Looking for faces in “${name}”…`, 'detecting');
  let faces: DetectedFace[];
  try {
    faces = await pageFaceDetection.detectFaces(photo);
  } catch (error) {
    showMessage('error', `Face detection failed: ${(error as Error).message}`, 'detection-failed');
    return;
  }
  if (faces.length === 0) {
    showMessage(
      'error',
      `No face found in “${name}”. Try a photo with a clear, roughly frontal face.`,
      'no-face',
    );
    return;
  }
  // Said once a face is found (the messages before it are about finding one), as the CLI says it.
  const transparency = transparent
    ? `“${name}” has transparent parts: they are not kept; where it is wholly transparent, the photo and its downloads show black.`
    : undefined;
  if (faces.length === 1) {
    if (transparency) showMessage('info', transparency, 'transparent');
    else clearMessage();
    // The tiny detector can miss a small face the SSD finds (as `mimic … --face 1` asks it to): offer to look.
    if (faces[0]!.detector === 'tiny')
      view.showFindMoreFaces(() => findMoreFaces(state, view, blob, photo, faces, name));
    await editFace(state, view, blob, photo, faces[0]!, name);
    return;
  }
  offerFaces(state, view, blob, photo, faces, name);
}

/** The faces to pick from, a button and a box each; the buttons stay, so another face can be picked at any time. */
function offerFaces(
  state: EditorState,
  view: EditorView,
  blob: Blob,
  photo: RgbImage,
  faces: DetectedFace[],
  name: string,
  editing?: number,
): void {
  showMessage('info', `${faces.length} faces found in “${name}”: pick the one to edit.`, 'several-faces');
  view.showFaceChoice(
    faces.map((f) => f.box),
    (index) => {
      view.markFaceChosen(index);
      clearMessage();
      void editFace(state, view, blob, photo, faces[index]!, name);
    },
    editing,
  );
}

/**
 * "Find more faces": the SSD on the photo (FaceDetection.facesToChooseFrom, as the CLI's `--face N` past the faces
 * found). The face being edited stays as it is, its button pressed among the others.
 */
async function findMoreFaces(
  state: EditorState,
  view: EditorView,
  blob: Blob,
  photo: RgbImage,
  found: DetectedFace[],
  name: string,
): Promise<void> {
  showMessage('info', `Looking for more faces in “${name}”…`, 'finding-faces');
  let faces: DetectedFace[];
  try {
    faces = await pageFaceDetection.facesToChooseFrom(photo, found, found.length);
  } catch (error) {
    showMessage('error', `Face detection failed: ${(error as Error).message}`, 'detection-failed');
    return;
  }
  if (photoOnPage !== photo) return; // another photo was opened meanwhile
  if (faces.length <= found.length) {
    view.hideFaceChoice();
    showMessage('info', `No other face found in “${name}”.`, 'no-more-faces');
    return;
  }
  offerFaces(state, view, blob, photo, faces, name, nearestFace(faces, found[0]!));
}

/** Which of `faces` is `face` found by another detector: the one whose landmarks' centre is nearest its own. */
function nearestFace(faces: DetectedFace[], face: DetectedFace): number {
  const centre = (f: DetectedFace): [number, number] => {
    const [sx, sy] = f.landmarks.reduce(([x, y], [px, py]) => [x + px, y + py], [0, 0]);
    return [sx / f.landmarks.length, sy / f.landmarks.length];
  };
  const [cx, cy] = centre(face);
  let best = 0;
  let bestDistance = Infinity;
  faces.forEach((f, index) => {
    const [x, y] = centre(f);
    const distance = (x - cx) ** 2 + (y - cy) ** 2;
    if (distance < bestDistance) [best, bestDistance] = [index, distance];
  });
  return best;
}

async function editFace(
  state: EditorState,
  view: EditorView,
  file: Blob,
  photo: RgbImage,
  face: DetectedFace,
  name: string,
): Promise<void> {
  let aligned: AlignedFace;
  try {
    aligned = await alignFace(photo, face.landmarks, state.model?.alignment, name);
  } catch (error) {
    showMessage('error', (error as Error).message, 'align-failed');
    return;
  }
  forgetFace(state, view);
  state.startFace(name, file, photo, aligned);
  view.showIntensity(100);
  view.showInputFace(aligned.crop);
  view.showLandmarks(state);
  view.showButtons(state);
  view.markFaceReady();
  // Without a model yet, the first generation runs when it arrives (controller.ts).
  requestGeneration(state, view);
}

export function wirePhotoOpening(state: EditorState, view: EditorView): void {
  const { ui } = view;
  ui.fileInput.addEventListener('change', () => {
    const file = ui.fileInput.files?.[0];
    if (file !== undefined) void openPhoto(state, view, file, file.name);
    ui.fileInput.value = '';
  });
  ui.sampleButton.addEventListener('click', () => {
    void (async () => {
      const response = await fetch(urlOf(URLS.sample));
      if (!response.ok) {
        showMessage('error', `The sample photo is missing (HTTP ${response.status}).`, 'sample-missing');
        return;
      }
      await openPhoto(state, view, await response.blob(), SAMPLE_NAME);
    })();
  });
  // A file dropped anywhere on the page opens (not only on the dashed box).
  document.addEventListener('dragenter', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    state.fileDragDepth++;
    view.showFileDragging(true);
  });
  document.addEventListener('dragleave', () => {
    state.fileDragDepth = Math.max(0, state.fileDragDepth - 1);
    if (state.fileDragDepth === 0) view.showFileDragging(false);
  });
  document.addEventListener('dragover', (event) => event.preventDefault());
  document.addEventListener('drop', (event) => {
    event.preventDefault();
    state.fileDragDepth = 0;
    view.showFileDragging(false);
    const file = event.dataTransfer?.files[0];
    if (file !== undefined) void openPhoto(state, view, file, file.name);
  });
}
