/**
 * The Mimic web editor: wires the photo, the landmark editor, the presets, the key-frame timeline and the
 * downloads to the model. Everything runs in the page; the server only serves files.
 */
import type { Affine, Point } from '../../src/geometry/affine.js';
import { applyAffine } from '../../src/geometry/affine.js';
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
import { decodeImageBlob, drawRgb, resizeImage, rgbToPngBlob } from './canvasImage.js';
import { DRAG_MODES, movePoints, pointsToDrag, type DragMode } from './dragGroups.js';
import { expressionsFor, type Expression } from './expressions.js';
import { detectFaces, loadFaceDetector, type PageFace } from './faceDetector.js';
import { encodeGif } from './gif.js';
import { renderKeys } from './keysView.js';
import { LandmarkHistory } from './landmarkHistory.js';
import { loadModel, tensorCount, type PageModel } from './mimicModel.js';
import { pasteInMode, type PasteMode } from './pasteModes.js';
import { PhotoView } from './photoView.js';
import { startBackend, type StartedBackend } from './tfBackend.js';
import { Timeline } from './timeline.js';
import { urlOf, URLS } from './urls.js';

const $ = <T extends Element>(selector: string): T => {
  const element = document.querySelector<T>(selector);
  if (element === null) throw new Error(`page element ${selector} is missing`);
  return element;
};

const ui = {
  message: $<HTMLDivElement>('#message'),
  backend: $<HTMLSpanElement>('#backend-status'),
  modelStatus: $<HTMLSpanElement>('#model-status'),
  fileInput: $<HTMLInputElement>('#file-input'),
  dropZone: $<HTMLElement>('#drop-zone'),
  sampleButton: $<HTMLButtonElement>('#sample-button'),
  faceChoice: $<HTMLDivElement>('#face-choice'),
  photo: $<HTMLCanvasElement>('#photo'),
  overlay: $<SVGSVGElement>('#overlay'),
  dragMode: $<HTMLSelectElement>('#drag-mode'),
  undo: $<HTMLButtonElement>('#undo'),
  redo: $<HTMLButtonElement>('#redo'),
  reset: $<HTMLButtonElement>('#reset'),
  inputFace: $<HTMLCanvasElement>('#input-face'),
  outputFace: $<HTMLCanvasElement>('#output-face'),
  pasted: $<HTMLCanvasElement>('#pasted'),
  presets: $<HTMLDivElement>('#presets'),
  intensity: $<HTMLInputElement>('#intensity'),
  intensityValue: $<HTMLOutputElement>('#intensity-value'),
  downloadFace: $<HTMLButtonElement>('#download-face'),
  downloadPhoto: $<HTMLButtonElement>('#download-photo'),
  pasteMode: $<HTMLSelectElement>('#paste-mode'),
  addKey: $<HTMLButtonElement>('#add-key'),
  keys: $<HTMLOListElement>('#keys'),
  frameCount: $<HTMLSpanElement>('#frame-count'),
  fps: $<HTMLInputElement>('#fps'),
  play: $<HTMLButtonElement>('#play'),
  downloadGif: $<HTMLButtonElement>('#download-gif'),
};

type MessageKind = 'error' | 'info';

function showMessage(kind: MessageKind, text: string, code: string): void {
  ui.message.hidden = false;
  ui.message.dataset.kind = kind;
  ui.message.dataset.code = code;
  ui.message.textContent = text;
}

function clearMessage(): void {
  ui.message.hidden = true;
  ui.message.textContent = '';
  delete ui.message.dataset.code;
}

/** The face being edited: the photo, its alignment and the model's input crop. */
interface Session {
  name: string;
  photo: RgbImage;
  aligned: AlignedFace;
  /** The photo's own landmarks, normalized crop coordinates (the model's input space). */
  original: Float32Array;
  history: LandmarkHistory;
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
    const b = photoToNormalized(at, toCrop);
    session.history.change(movePoints(dragStart.flat, dragStart.indices, b[0] - a[0], b[1] - a[1]));
    landmarksChanged();
  },
  end() {
    dragStart = undefined;
    session?.history.commit();
    updateEditButtons();
  },
});

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
  ui.reset.disabled = session === undefined;
  const noOutput = session === undefined || model === undefined;
  ui.downloadFace.disabled = noOutput;
  ui.downloadPhoto.disabled = noOutput;
  ui.addKey.disabled = noOutput;
  ui.play.disabled = noOutput || timeline.keys.length < 2;
  ui.downloadGif.disabled = ui.play.disabled;
  for (const button of ui.presets.querySelectorAll('button')) button.disabled = noOutput;
  ui.intensity.disabled = noOutput;
}

function landmarksChanged(): void {
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

async function generateCurrent(): Promise<void> {
  if (session === undefined || model === undefined || playing !== undefined) return;
  const current = session;
  const [face] = await model.generate(current.aligned.crop, current.original, [current.history.current]);
  if (session !== current || face === undefined) return;
  current.latest = face;
  drawRgb(ui.outputFace, face);
  generation++;
  ui.outputFace.dataset.generation = String(generation);
  ui.outputFace.dataset.tensors = String(tensorCount());
  // The target (and own) landmarks of the face on screen, so a test can regenerate it with the CLI's code.
  ui.outputFace.dataset.landmarks = JSON.stringify(Array.from(current.history.current));
  ui.outputFace.dataset.sourceLandmarks = JSON.stringify(Array.from(current.original));
  schedulePastePreview();
}

let pasteTimer: ReturnType<typeof setTimeout> | undefined;

/** The in-photo preview costs more than a generation; it follows the slider with a short delay. */
function schedulePastePreview(): void {
  clearTimeout(pasteTimer);
  pasteTimer = setTimeout(() => {
    void pastedPhoto().then((image) => {
      if (image !== undefined) drawRgb(ui.pasted, image);
    });
  }, 250);
}

async function pastedPhoto(): Promise<RgbImage | undefined> {
  const s = session;
  if (s?.latest === undefined || s.reference === undefined) return undefined;
  const size = cropSize();
  return pasteInMode(ui.pasteMode.value as PasteMode, {
    photo: s.photo,
    toCrop: s.aligned.alignment.toCrop,
    inputCrop: s.aligned.crop,
    own: s.aligned.landmarks,
    target: denormalizeLandmarks(unflattenLandmarks(s.history.current), size),
    generated: s.latest,
    generatedOwn: s.reference,
  });
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

/** The active preset on the photo's own landmarks at the slider's intensity. */
function applyActiveExpression(commit: boolean): void {
  ui.intensityValue.value = `${ui.intensity.value}%`;
  if (session === undefined || activeExpression === undefined) return;
  session.history.change(activeExpression.apply(session.original, Number(ui.intensity.value) / 100));
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

/** Larger photos are shrunk on load: detection and paste-back stay quick and a 64-px face loses nothing. */
const MAX_PHOTO_SIDE = 2048;

/** Drops everything that belonged to the previous face: its crops, outputs and animation keys. */
function forgetFace(): void {
  session = undefined;
  activeExpression = undefined;
  delete document.body.dataset.face;
  for (const key of [...timeline.keys]) timeline.remove(key.id);
  thumbnails.clear();
  refreshKeys();
  for (const canvas of [ui.inputFace, ui.outputFace, ui.pasted])
    canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
  updatePresetButtons();
}

async function openPhoto(blob: Blob, name: string): Promise<void> {
  clearMessage();
  stopPlaying();
  ui.faceChoice.hidden = true;
  let photo: RgbImage;
  try {
    photo = await decodeImageBlob(blob);
  } catch {
    showMessage(
      'error',
      `“${name}” could not be read as an image. Choose a JPEG, PNG or WebP photo.`,
      'unreadable',
    );
    return;
  }
  const longest = Math.max(photo.width, photo.height);
  if (longest > MAX_PHOTO_SIDE) {
    const f = MAX_PHOTO_SIDE / longest;
    photo = await resizeImage(photo, Math.round(photo.width * f), Math.round(photo.height * f));
  }
  forgetFace();
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
    await editFace(photo, faces[0]!, name);
    return;
  }
  showMessage('info', `${faces.length} faces found in “${name}”: pick the one to edit.`, 'several-faces');
  const pick = (index: number): void => {
    ui.faceChoice.hidden = true;
    photoView.clearFaceBoxes();
    clearMessage();
    void editFace(photo, faces[index]!, name);
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
      button.addEventListener('click', () => pick(index));
      return button;
    }),
  );
  ui.faceChoice.hidden = false;
}

async function editFace(photo: RgbImage, face: PageFace, name: string): Promise<void> {
  let aligned: AlignedFace;
  try {
    aligned = await alignFace(photo, face.landmarks, alignment, name);
  } catch (error) {
    showMessage('error', (error as Error).message, 'align-failed');
    return;
  }
  const original = flattenLandmarks(normalizeLandmarks(aligned.landmarks, aligned.alignment.config.size));
  forgetFace();
  session = { name, photo, aligned, original, history: new LandmarkHistory(original) };
  drawRgb(ui.inputFace, aligned.crop);
  drawLandmarks();
  updateEditButtons();
  document.body.dataset.face = 'ready';
  if (model !== undefined) {
    const current = session;
    try {
      const [reference] = await model.generate(aligned.crop, original, [original]);
      if (session === current) current.reference = reference;
    } catch (error) {
      showMessage('error', `Generating the face failed: ${(error as Error).message}`, 'generation-failed');
      return;
    }
    requestGeneration();
  }
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
ui.dropZone.addEventListener('dragover', (event) => {
  event.preventDefault();
  ui.dropZone.classList.add('dragging');
});
ui.dropZone.addEventListener('dragleave', () => ui.dropZone.classList.remove('dragging'));
ui.dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  ui.dropZone.classList.remove('dragging');
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
  if (session?.latest !== undefined) drawRgb(ui.outputFace, session.latest);
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
  void rgbToPngBlob(session.latest).then((blob) => download(blob, 'face.png'));
});
ui.downloadPhoto.addEventListener('click', () => {
  pastedPhoto()
    .then(async (image) => {
      if (image !== undefined) download(await rgbToPngBlob(image), 'photo.png');
    })
    .catch((error: Error) =>
      showMessage('error', `Pasting the face failed: ${error.message}`, 'paste-failed'),
    );
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
