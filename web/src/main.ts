/**
 * The Mimic web editor: wires the photo, the landmark editor, the presets, the key-frame timeline and the
 * downloads to the model. Everything runs in the page; the server only serves files.
 */
import type { Affine, Point } from '../../src/geometry/affine.js';
import { applyAffine, composeAffine } from '../../src/geometry/affine.js';
import type { AlignmentConfig } from '../../src/face/align.js';
import { alignFace, type AlignedFace } from './alignFace.js';
import {
  denormalizeLandmarks,
  flattenLandmarks,
  normalizeLandmarks,
  unflattenLandmarks,
  type Landmarks,
} from '../../src/face/landmarks.js';
import type { RgbImage } from '../../src/image/rgbImage.js';
import { drawRgb, resizeImage, rgbToImageData } from './canvasImage.js';
import { DRAG_MODES, movePoints, pointsToDrag, type DragMode } from './dragGroups.js';
import { expressionsFor, type Expression } from './expressions.js';
import { detectFaces, loadFaceDetector, type PageFace } from './faceDetector.js';
import { encodeGif } from './gif.js';
import { renderKeys } from './keysView.js';
import { LandmarkHistory } from './landmarkHistory.js';
import { loadModel, tensorCount, type PageModel } from './mimicModel.js';
import { pasteInMode, type PasteMode } from './pasteModes.js';
import {
  canvasRows,
  cropRegion,
  cutRegion,
  decodeForEditing,
  fullResolutionCanvas,
  headerSize,
  MAX_PIXELS,
  readRegion,
  regionToCrop,
  type PixelSize,
  type Region,
} from './photoSource.js';
import { PhotoView } from './photoView.js';
import { encodePngRgb, rgbToPng } from './pngRgb.js';
import { clearResult, showResult } from './resultView.js';
import { clearErrorMessage, clearMessage, showMessage, ui } from './ui.js';
import { startBackend, type StartedBackend } from './tfBackend.js';
import { Timeline } from './timeline.js';
import { MAX_EDIT_SIDE } from './photoSource.js';
import { urlOf, URLS } from './urls.js';

/** The face being edited: the photo, its alignment and the model's input crop. */
interface Session {
  name: string;
  /** The file as opened: the download decodes it again at full resolution. */
  file: Blob;
  /** The photo as edited (at most MAX_EDIT_SIDE on its longest side). */
  photo: RgbImage;
  aligned: AlignedFace;
  /** The photo's own landmarks, normalized crop coordinates (the model's input space). */
  original: Float32Array;
  history: LandmarkHistory;
  /** The landmarks the intensity slider scales: 100 % is these, 0 % the photo's own (set after each edit). */
  intensityBase: Float32Array;
  /** Generator output for the original landmarks: paste-back adds only the change from it. */
  reference?: RgbImage;
  latest?: RgbImage;
}

let model: PageModel | undefined;
let alignment: AlignmentConfig | undefined;
let session: Session | undefined;
let expressions: Expression[] = [];
let activeExpression: Expression | undefined;
let dragMode: DragMode = 'point';
const timeline = new Timeline();
const thumbnails = new Map<number, RgbImage>();
let generation = 0;

// ---- coordinates -------------------------------------------------------------------------------------------

function cropSize(): number {
  return session?.aligned.alignment.config.size ?? 64;
}

function toPhotoPoints(flat: Float32Array, toPhoto: Affine): Landmarks {
  return denormalizeLandmarks(unflattenLandmarks(flat), cropSize()).map((p) => applyAffine(toPhoto, p));
}

/** Photo pixels → normalized crop coordinates. */
function photoToNormalized(p: Point, toCrop: Affine): Point {
  const [x, y] = applyAffine(toCrop, p);
  const size = cropSize();
  return [(x / size) * 2 - 1, (y / size) * 2 - 1];
}

// ---- photo view and dragging ----------------------------------------------------------------------------------

let dragStart: { flat: Float32Array; indices: readonly number[] } | undefined;

const photoView = new PhotoView(ui.photo, ui.overlay, {
  start(index) {
    if (session === undefined) return false;
    const indices = pointsToDrag(dragMode, index);
    if (indices === undefined) return false;
    dragStart = { flat: Float32Array.from(session.history.current), indices };
    activeExpression = undefined;
    updatePresetButtons();
    return true;
  },
  move(from, at) {
    if (session === undefined || dragStart === undefined) return;
    const toCrop = session.aligned.alignment.toCrop;
    const a = photoToNormalized(from, toCrop);
    const b = photoToNormalized(keepInside(at, session.photo), toCrop);
    const moved = movePoints(dragStart.flat, dragStart.indices, b[0] - a[0], b[1] - a[1]);
    session.history.change(keepInCrop(moved, dragStart.indices));
    landmarksChanged();
  },
  end() {
    dragStart = undefined;
    session?.history.commit();
    rebaseIntensity();
    updateEditButtons();
  },
});

/** A pointer outside the photo drags to the photo's edge: a landmark never leaves the picture. */
function keepInside([x, y]: Point, photo: RgbImage): Point {
  return [Math.max(0, Math.min(photo.width - 1, x)), Math.max(0, Math.min(photo.height - 1, y))];
}

/**
 * The moved points stay inside the model's crop (normalized −1..1, with a margin): the warp's triangles are
 * built over the 68 points and the crop's border, and a point beyond the border folds them (speckles at the edge).
 */
const CROP_LIMIT = 0.97;
function keepInCrop(flat: Float32Array, indices: readonly number[]): Float32Array {
  for (const i of indices)
    for (const c of [2 * i, 2 * i + 1]) flat[c] = Math.max(-CROP_LIMIT, Math.min(CROP_LIMIT, flat[c]!));
  return flat;
}

/** After an edit that is not the slider's: 100 % is now what the user sees, 0 % still the photo's own face. */
function rebaseIntensity(): void {
  if (session === undefined || activeExpression !== undefined) return;
  session.intensityBase = Float32Array.from(session.history.current);
  ui.intensity.value = '100';
  ui.intensityValue.value = '100%';
}

function drawLandmarks(): void {
  if (session === undefined) return;
  photoView.showLandmarks(
    toPhotoPoints(session.history.current, session.aligned.alignment.toPhoto),
    (index) => pointsToDrag(dragMode, index) !== undefined,
  );
}

function updateEditButtons(): void {
  ui.undo.disabled = session === undefined || !session.history.canUndo;
  ui.redo.disabled = session === undefined || !session.history.canRedo;
  ui.reset.disabled = session === undefined || sameLandmarks(session.history.current, session.original);
  const noOutput = session === undefined || model === undefined;
  ui.downloadFace.disabled = noOutput;
  ui.downloadPhoto.disabled = noOutput;
  ui.addKey.disabled = noOutput;
  ui.play.disabled = noOutput || timeline.keys.length < 2;
  ui.downloadGif.disabled = ui.play.disabled;
  for (const button of ui.presets.querySelectorAll('button')) button.disabled = noOutput;
  ui.intensity.disabled = noOutput;
}

function sameLandmarks(a: Float32Array, b: Float32Array): boolean {
  return a.every((v, i) => v === b[i]);
}

function landmarksChanged(): void {
  clearErrorMessage();
  drawLandmarks();
  updateEditButtons();
  requestGeneration();
}

// ---- generation ----------------------------------------------------------------------------------------------

let generating = false;
let generationPending = false;

/** Regenerates the face for the current landmarks; calls made while one runs collapse into one more run. */
function requestGeneration(): void {
  if (generating) {
    generationPending = true;
    return;
  }
  generating = true;
  document.body.dataset.generating = 'true';
  void (async () => {
    try {
      do {
        generationPending = false;
        await generateCurrent();
      } while (generationPending);
    } catch (error) {
      showMessage('error', `Generating the face failed: ${(error as Error).message}`, 'generation-failed');
    } finally {
      generating = false;
      delete document.body.dataset.generating;
    }
  })();
}

/**
 * Generates the face for the current landmarks. It also runs while the animation plays (the canvas keeps
 * showing the animation; Stop shows this face), so an edit made during playback is never lost. The face for the
 * photo's own landmarks, which the paste needs, is made with the first one, whenever the model arrives.
 */
async function generateCurrent(): Promise<void> {
  if (session === undefined || model === undefined) return;
  const current = session;
  const target = Float32Array.from(current.history.current);
  const needReference = current.reference === undefined;
  const faces = await model.generate(
    current.aligned.crop,
    current.original,
    needReference ? [current.original, target] : [target],
  );
  const face = faces[faces.length - 1];
  if (session !== current || face === undefined) return;
  if (needReference) current.reference = faces[0];
  current.latest = face;
  if (playing === undefined) drawRgb(ui.outputFace, face);
  updateEditButtons();
  generation++;
  ui.outputFace.dataset.generation = String(generation);
  ui.outputFace.dataset.tensors = String(tensorCount());
  // The target (and own) landmarks of the face on screen, so a test can regenerate it with the CLI's code.
  ui.outputFace.dataset.landmarks = JSON.stringify(Array.from(target));
  ui.outputFace.dataset.sourceLandmarks = JSON.stringify(Array.from(current.original));
  schedulePastePreview();
}

let pasteTimer: ReturnType<typeof setTimeout> | undefined;

/** The in-photo preview costs more than a generation; it follows the slider with a short delay. */
function schedulePastePreview(): void {
  clearTimeout(pasteTimer);
  pasteTimer = setTimeout(() => {
    const s = session;
    if (s === undefined) return;
    pasteIntoRegion(s, (region) => cutRegion(s.photo, region), s.photo, 1)
      .then((pasted) => {
        if (pasted === undefined || session !== s) return;
        showResult(s.photo, pasted.region, pasted.before, pasted.after);
        ui.pasted.dataset.generation = String(generation);
      })
      .catch((error: Error) =>
        showMessage('error', `Pasting the face failed: ${error.message}`, 'paste-failed'),
      );
  }, 250);
}

/**
 * The current face pasted into a picture `scale` times the size of the edited photo (1 for the preview, the
 * original's size for the download); only the region the face's crop covers is read and changed.
 */
async function pasteIntoRegion(
  s: Session,
  read: (region: Region) => RgbImage,
  picture: PixelSize,
  scale: number,
): Promise<{ region: Region; before: RgbImage; after: RgbImage } | undefined> {
  if (s.latest === undefined || s.reference === undefined) return undefined;
  const size = cropSize();
  const toPicture = composeAffine([scale, 0, 0, 0, scale, 0], s.aligned.alignment.toPhoto);
  const region = cropRegion(toPicture, size, picture.width, picture.height);
  const before = read(region);
  const after = await pasteInMode(ui.pasteMode.value as PasteMode, {
    photo: before,
    toCrop: regionToCrop(s.aligned.alignment.toCrop, scale, region),
    inputCrop: s.aligned.crop,
    own: s.aligned.landmarks,
    target: denormalizeLandmarks(unflattenLandmarks(s.history.current), size),
    generated: s.latest,
    generatedOwn: s.reference,
  });
  return { region, before, after };
}

/** The original photo, at its own resolution, with the face pasted back: an RGB PNG. */
async function fullResolutionPng(s: Session): Promise<Blob | undefined> {
  const canvas = await fullResolutionCanvas(s.file, s.photo);
  const scale = canvas.width / s.photo.width;
  const pasted = await pasteIntoRegion(s, (region) => readRegion(canvas, region), canvas, scale);
  if (pasted === undefined) return undefined;
  canvas.getContext('2d')!.putImageData(rgbToImageData(pasted.after), pasted.region.x, pasted.region.y);
  return encodePngRgb(canvas.width, canvas.height, canvasRows(canvas));
}

ui.pasteMode.addEventListener('change', schedulePastePreview);

// ---- presets --------------------------------------------------------------------------------------------------

function renderPresetButtons(): void {
  ui.presets.replaceChildren(
    ...expressions.map((expression) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = expression.name;
      button.dataset.preset = expression.name;
      button.title = `Landmarks from ${expression.source}`;
      button.addEventListener('click', () => {
        activeExpression = expression;
        applyActiveExpression(true);
      });
      return button;
    }),
  );
  updatePresetButtons();
}

function updatePresetButtons(): void {
  for (const button of ui.presets.querySelectorAll<HTMLButtonElement>('button'))
    button.classList.toggle('active', button.dataset.preset === activeExpression?.name);
}

/**
 * The slider's intensity t: the active preset on the photo's own landmarks at t, or, without one, the current
 * edit (drags, a key, undo/redo) scaled: own + t · (edit − own). Either way 0 % is the photo's own face.
 */
function applyActiveExpression(commit: boolean): void {
  ui.intensityValue.value = `${ui.intensity.value}%`;
  if (session === undefined) return;
  const t = Number(ui.intensity.value) / 100;
  const own = session.original;
  const base = session.intensityBase;
  session.history.change(
    activeExpression !== undefined
      ? activeExpression.apply(own, t)
      : own.map((v, i) => v + t * (base[i]! - v)),
  );
  if (commit) session.history.commit();
  updatePresetButtons();
  landmarksChanged();
}

ui.intensity.addEventListener('input', () => applyActiveExpression(false));
ui.intensity.addEventListener('change', () => applyActiveExpression(true));

// ---- editing buttons ----------------------------------------------------------------------------------------

ui.dragMode.replaceChildren(
  ...Object.entries(DRAG_MODES).map(([value, { label }]) => new Option(label, value, value === 'point')),
);
ui.dragMode.addEventListener('change', () => {
  dragMode = ui.dragMode.value as DragMode;
  drawLandmarks();
});
const historyAction = (action: (h: LandmarkHistory) => void) => () => {
  if (session === undefined) return;
  action(session.history);
  activeExpression = undefined;
  rebaseIntensity();
  updatePresetButtons();
  landmarksChanged();
};
ui.undo.addEventListener(
  'click',
  historyAction((h) => h.undo()),
);
ui.redo.addEventListener(
  'click',
  historyAction((h) => h.redo()),
);
ui.reset.addEventListener(
  'click',
  historyAction((h) => h.reset()),
);
document.addEventListener('keydown', (event) => {
  if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== 'z') return;
  if (event.target instanceof HTMLInputElement) return;
  event.preventDefault();
  (event.shiftKey ? ui.redo : ui.undo).click();
});

// ---- photo loading ----------------------------------------------------------------------------------------------

/** Drops everything that belonged to the previous face: its crops, outputs and animation keys. */
function forgetFace(): void {
  session = undefined;
  activeExpression = undefined;
  delete document.body.dataset.face;
  for (const key of [...timeline.keys]) timeline.remove(key.id);
  thumbnails.clear();
  refreshKeys();
  for (const canvas of [ui.inputFace, ui.outputFace])
    canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
  clearResult();
  updatePresetButtons();
}

async function openPhoto(blob: Blob, name: string): Promise<void> {
  clearMessage();
  stopPlaying();
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
  try {
    photo = await decodeForEditing(blob, size);
  } catch {
    showMessage(
      'error',
      `“${name}” could not be read as an image. Choose a JPEG, PNG or WebP photo.`,
      'unreadable',
    );
    return;
  }
  ui.faceChoice.hidden = true;
  forgetFace();
  ui.photoStage.hidden = false;
  photoView.showPhoto(photo);
  updateEditButtons();
  showMessage('info', `Looking for faces in “${name}”…`, 'detecting');
  let faces: PageFace[];
  try {
    faces = await detectFaces(ui.photo);
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
  if (faces.length === 1) {
    clearMessage();
    await editFace(blob, photo, faces[0]!, name);
    return;
  }
  showMessage('info', `${faces.length} faces found in “${name}”: pick the one to edit.`, 'several-faces');
  // The face buttons stay: another face can be picked at any time.
  const pick = (index: number): void => {
    for (const button of ui.faceChoice.querySelectorAll('button'))
      button.setAttribute('aria-pressed', String(button.dataset.face === String(index)));
    photoView.clearFaceBoxes();
    clearMessage();
    void editFace(blob, photo, faces[index]!, name);
  };
  photoView.showFaceBoxes(
    faces.map((f) => f.box),
    pick,
  );
  ui.faceChoice.replaceChildren(
    ...faces.map((_, index) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = index === 0 ? 'Face 1 (largest)' : `Face ${index + 1}`;
      button.dataset.face = String(index);
      button.setAttribute('aria-pressed', 'false');
      button.addEventListener('click', () => pick(index));
      return button;
    }),
  );
  ui.faceChoice.hidden = false;
}

async function editFace(file: Blob, photo: RgbImage, face: PageFace, name: string): Promise<void> {
  let aligned: AlignedFace;
  try {
    aligned = await alignFace(photo, face.landmarks, alignment, name);
  } catch (error) {
    showMessage('error', (error as Error).message, 'align-failed');
    return;
  }
  const original = flattenLandmarks(normalizeLandmarks(aligned.landmarks, aligned.alignment.config.size));
  forgetFace();
  session = {
    name,
    file,
    photo,
    aligned,
    original,
    history: new LandmarkHistory(original),
    intensityBase: Float32Array.from(original),
  };
  ui.intensity.value = '100';
  ui.intensityValue.value = '100%';
  drawRgb(ui.inputFace, aligned.crop);
  drawLandmarks();
  updateEditButtons();
  document.body.dataset.face = 'ready';
  // Without a model yet, the first generation runs when it arrives (start()).
  requestGeneration();
}

ui.fileInput.addEventListener('change', () => {
  const file = ui.fileInput.files?.[0];
  if (file !== undefined) void openPhoto(file, file.name);
  ui.fileInput.value = '';
});
ui.sampleButton.addEventListener('click', () => {
  void (async () => {
    const response = await fetch(urlOf(URLS.sample));
    if (!response.ok) {
      showMessage('error', `The sample photo is missing (HTTP ${response.status}).`, 'sample-missing');
      return;
    }
    await openPhoto(await response.blob(), 'canada-019f.jpg');
  })();
});
// A file dropped anywhere on the page opens (not only on the dashed box).
let dragDepth = 0;
document.addEventListener('dragenter', (event) => {
  if (!event.dataTransfer?.types.includes('Files')) return;
  dragDepth++;
  document.body.classList.add('dragging-file');
});
document.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) document.body.classList.remove('dragging-file');
});
document.addEventListener('dragover', (event) => event.preventDefault());
document.addEventListener('drop', (event) => {
  event.preventDefault();
  dragDepth = 0;
  document.body.classList.remove('dragging-file');
  const file = event.dataTransfer?.files[0];
  if (file !== undefined) void openPhoto(file, file.name);
});

// ---- timeline -----------------------------------------------------------------------------------------------------

function refreshKeys(): void {
  renderKeys(ui.keys, timeline, thumbnails, {
    changed: refreshKeys,
    open(landmarks) {
      if (session === undefined) return;
      session.history.change(landmarks);
      session.history.commit();
      activeExpression = undefined;
      rebaseIntensity();
      updatePresetButtons();
      landmarksChanged();
    },
  });
  const count = timeline.frameCount;
  ui.frameCount.textContent = timeline.keys.length < 2 ? 'Add two keys to animate' : `${count} frames`;
  ui.frameCount.dataset.frames = String(timeline.keys.length < 2 ? 0 : count);
  updateEditButtons();
}

ui.addKey.addEventListener('click', () => {
  if (session === undefined) return;
  const key = timeline.add(session.history.current);
  if (session.latest !== undefined) thumbnails.set(key.id, session.latest);
  refreshKeys();
});

async function animationFrames(): Promise<RgbImage[]> {
  if (session === undefined || model === undefined) return [];
  return model.generate(session.aligned.crop, session.original, timeline.frames());
}

function frameDelayMs(): number {
  const fps = Math.max(1, Math.min(50, Number(ui.fps.value) || 12));
  return Math.round(1000 / fps);
}

let playing: ReturnType<typeof setInterval> | undefined;

function stopPlaying(): void {
  if (playing === undefined) return;
  clearInterval(playing);
  playing = undefined;
  ui.play.textContent = 'Play';
  delete ui.outputFace.dataset.playingFrame;
  // The face for the current landmarks (generated during playback too), and its paste.
  if (session?.latest !== undefined) drawRgb(ui.outputFace, session.latest);
  schedulePastePreview();
}

ui.play.addEventListener('click', () => {
  if (playing !== undefined) {
    stopPlaying();
    return;
  }
  void (async () => {
    ui.play.disabled = true;
    let frames: RgbImage[];
    try {
      frames = await animationFrames();
    } catch (error) {
      showMessage('error', `Making the animation failed: ${(error as Error).message}`, 'animation-failed');
      return;
    } finally {
      ui.play.disabled = false;
    }
    if (frames.length === 0) return;
    let index = 0;
    ui.play.textContent = 'Stop';
    playing = setInterval(() => {
      drawRgb(ui.outputFace, frames[index]!);
      ui.outputFace.dataset.playingFrame = String(index);
      index = (index + 1) % frames.length;
    }, frameDelayMs());
  })();
});

/** Size of exported GIF frames: the 64-px faces scaled 2× by the browser's smooth scaler. */
const GIF_SIZE = 128;

ui.downloadGif.addEventListener('click', () => {
  void (async () => {
    ui.downloadGif.disabled = true;
    try {
      const frames = await animationFrames();
      const scaled = await Promise.all(frames.map((f) => resizeImage(f, GIF_SIZE, GIF_SIZE)));
      const bytes = encodeGif(scaled, frameDelayMs());
      download(new Blob([bytes.slice()], { type: 'image/gif' }), 'animation.gif');
    } catch (error) {
      showMessage('error', `Making the GIF failed: ${(error as Error).message}`, 'animation-failed');
    } finally {
      ui.downloadGif.disabled = false;
    }
  })();
});

// ---- downloads ----------------------------------------------------------------------------------------------------

function baseName(): string {
  return (session?.name ?? 'mimic').replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_');
}

function download(blob: Blob, suffix: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${baseName()}-${suffix}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

ui.downloadFace.addEventListener('click', () => {
  if (session?.latest === undefined) return;
  void rgbToPng(session.latest).then((blob) => download(blob, 'face.png'));
});
ui.downloadPhoto.addEventListener('click', () => {
  const s = session;
  if (s === undefined) return;
  ui.downloadPhoto.disabled = true;
  showMessage('info', 'Pasting the face into the photo at its full resolution…', 'saving');
  fullResolutionPng(s)
    .then((blob) => {
      if (blob === undefined) {
        showMessage(
          'error',
          'The face is not generated yet: wait for the model, then try again.',
          'not-ready',
        );
        return;
      }
      clearMessage();
      download(blob, 'photo.png');
    })
    .catch((error: Error) =>
      showMessage('error', `Pasting the face failed: ${error.message}`, 'paste-failed'),
    )
    .finally(() => updateEditButtons());
});

// ---- start --------------------------------------------------------------------------------------------------------

async function start(): Promise<void> {
  updateEditButtons();
  const wanted = new URLSearchParams(location.search).get('backend');
  let backend: StartedBackend;
  try {
    backend = await startBackend(wanted);
  } catch (error) {
    showMessage('error', (error as Error).message, 'no-backend');
    return;
  }
  ui.backend.textContent = `TF.js backend: ${backend.name}`;
  if (backend.skippedWebGl !== undefined)
    ui.backend.title = `WebGL not used: ${backend.skippedWebGl} is slower than WASM`;
  document.body.dataset.backend = backend.name;
  const detector = loadFaceDetector().catch((error: Error) => {
    showMessage('error', `The face detector failed to load: ${error.message}`, 'detector-failed');
    throw error;
  });
  try {
    model = await loadModel();
    alignment = model.alignment;
    ui.modelStatus.textContent = `Model: ${model.manifest.labels?.join(', ') || 'loaded'}`;
    if (model.presetsProblem !== undefined) showMessage('info', model.presetsProblem, 'presets-ignored');
  } catch (error) {
    model = undefined;
    ui.modelStatus.textContent = 'Model: not loaded';
    showMessage(
      'error',
      `The model failed to load (${(error as Error).message}). Landmarks still work; start the server with ` +
        '`mimic serve --model <folder>` pointing at a trained model to generate faces.',
      'model-failed',
    );
  }
  expressions = expressionsFor(model?.presets, model?.alignment.size ?? 64);
  // A face found while the model was loading gets its first generation now.
  if (session !== undefined) requestGeneration();
  renderPresetButtons();
  ui.intensityValue.value = `${ui.intensity.value}%`;
  refreshKeys();
  try {
    await detector;
  } catch {
    return;
  }
  document.body.dataset.ready = 'true';
}

void start();
