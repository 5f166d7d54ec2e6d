/** The page's elements by id, and the message line under the header (info or error, with a code for tests). */
const $ = <T extends Element>(selector: string): T => {
  const element = document.querySelector<T>(selector);
  if (element === null) throw new Error(`page element ${selector} is missing`);
  return element;
};

export const ui = {
  message: $<HTMLDivElement>('#message'),
  backend: $<HTMLSpanElement>('#backend-status'),
  modelStatus: $<HTMLSpanElement>('#model-status'),
  fileInput: $<HTMLInputElement>('#file-input'),
  dropZone: $<HTMLElement>('#drop-zone'),
  sampleButton: $<HTMLButtonElement>('#sample-button'),
  faceChoice: $<HTMLDivElement>('#face-choice'),
  photoStage: $<HTMLDivElement>('#photo-stage'),
  photo: $<HTMLCanvasElement>('#photo'),
  overlay: $<SVGSVGElement>('#overlay'),
  dragMode: $<HTMLSelectElement>('#drag-mode'),
  undo: $<HTMLButtonElement>('#undo'),
  redo: $<HTMLButtonElement>('#redo'),
  reset: $<HTMLButtonElement>('#reset'),
  inputFace: $<HTMLCanvasElement>('#input-face'),
  outputFace: $<HTMLCanvasElement>('#output-face'),
  result: $<HTMLDivElement>('#result'),
  faceView: $<HTMLCanvasElement>('#face-view'),
  beforeAfter: $<HTMLButtonElement>('#before-after'),
  pasted: $<HTMLCanvasElement>('#pasted'),
  presets: $<HTMLDivElement>('#presets'),
  intensity: $<HTMLInputElement>('#intensity'),
  intensityValue: $<HTMLOutputElement>('#intensity-value'),
  auSliders: $<HTMLFieldSetElement>('#au-sliders'),
  downloadFace: $<HTMLButtonElement>('#download-face'),
  downloadPhoto: $<HTMLButtonElement>('#download-photo'),
  pasteMode: $<HTMLSelectElement>('#paste-mode'),
  addKey: $<HTMLButtonElement>('#add-key'),
  keys: $<HTMLOListElement>('#keys'),
  frameCount: $<HTMLSpanElement>('#frame-count'),
  fps: $<HTMLInputElement>('#fps'),
  play: $<HTMLButtonElement>('#play'),
  downloadGif: $<HTMLButtonElement>('#download-gif'),
  cameraStart: $<HTMLButtonElement>('#camera-start'),
  cameraNeutral: $<HTMLButtonElement>('#camera-neutral'),
  cameraRecord: $<HTMLButtonElement>('#camera-record'),
  cameraStats: $<HTMLOutputElement>('#camera-stats'),
  cameraStage: $<HTMLDivElement>('#camera-stage'),
  cameraVideo: $<HTMLVideoElement>('#camera-video'),
  cameraDriver: $<HTMLCanvasElement>('#camera-driver'),
  cameraResult: $<HTMLCanvasElement>('#camera-result'),
};

export type MessageKind = 'error' | 'info';

export function showMessage(kind: MessageKind, text: string, code: string): void {
  ui.message.hidden = false;
  ui.message.dataset.kind = kind;
  ui.message.dataset.code = code;
  ui.message.textContent = text;
}

export function clearMessage(): void {
  ui.message.hidden = true;
  ui.message.textContent = '';
  delete ui.message.dataset.code;
  delete ui.message.dataset.kind;
}

/** An error about something the user tried (another file, a download) goes away once they edit again. */
export function clearErrorMessage(): void {
  if (ui.message.dataset.kind === 'error') clearMessage();
}
