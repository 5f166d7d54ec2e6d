/**
 * The editor's page: its elements (ui.ts) and how the state is drawn on them. Nothing here changes the state or
 * decides what happens next: the panels do, wired by controller.ts.
 */
import { invertAffine } from '../../../src/geometry/affine.js';
import type { RgbImage } from '../../../src/image/rgbImage.js';
import {
  ACTION_UNIT_SLIDERS,
  SLIDER_MAX,
  SLIDER_STEP,
  sliderHint,
  sliderMin,
  sliderValueText,
  type SliderId,
} from '../actionUnitSliders.js';
import { drawRgb } from '../canvasImage.js';
import { DRAG_MODES, pointsToDrag, type DragMode } from '../dragGroups.js';
import type { Expression } from '../expressions.js';
import type { Box } from '../../../src/geometry/box.js';
import { renderKeys, type KeyActions } from '../keysView.js';
import type { PageModel } from '../mimicModel.js';
import type { PasteMode } from '../pasteModes.js';
import { regionToCrop, type Region } from '../photoSource.js';
import { PhotoView, type DragHandlers } from '../photoView.js';
import { drawResultFace, hideResult, showResult } from '../resultView.js';
import type { StartedBackend } from '../tfBackend.js';
import { ui } from '../ui.js';
import { sameLandmarks, toPhotoPoints } from './coordinates.js';
import type { EditorState } from './state.js';

export class EditorView {
  readonly ui = ui;
  /** The photo with its landmarks; dragging them is handed to the handlers made for this view. */
  readonly photo: PhotoView;

  constructor(drag: (view: EditorView) => DragHandlers) {
    this.photo = new PhotoView(ui.photo, ui.overlay, drag(this));
  }

  // ---- reading the controls ---------------------------------------------------------------------------------

  dragMode(): DragMode {
    return ui.dragMode.value as DragMode;
  }

  /** The intensity slider as a fraction (0..1). */
  intensity(): number {
    return Number(ui.intensity.value) / 100;
  }

  pasteMode(): PasteMode {
    return ui.pasteMode.value as PasteMode;
  }

  /** Milliseconds per animation frame from the fps field (1..50, 12 when empty). */
  frameDelayMs(): number {
    const fps = Math.max(1, Math.min(50, Number(ui.fps.value) || 12));
    return Math.round(1000 / fps);
  }

  // ---- drawing the state ------------------------------------------------------------------------------------

  showDragModes(): void {
    ui.dragMode.replaceChildren(
      ...Object.entries(DRAG_MODES).map(([value, { label }]) => new Option(label, value, value === 'point')),
    );
  }

  showLandmarks(state: EditorState): void {
    const face = state.face;
    if (face === undefined) return;
    this.photo.showLandmarks(
      toPhotoPoints(face.history.current, face.aligned.alignment.toPhoto, state.cropSize()),
      (index) => pointsToDrag(state.dragMode, index) !== undefined,
    );
  }

  /** Enables what the state allows: undo/redo/reset by the history, outputs once a face and the model are there. */
  showButtons(state: EditorState): void {
    const face = state.face;
    ui.undo.disabled = face === undefined || !face.history.canUndo;
    ui.redo.disabled = face === undefined || !face.history.canRedo;
    ui.reset.disabled = face === undefined || sameLandmarks(face.history.current, face.original);
    const noOutput = face === undefined || state.model === undefined;
    ui.downloadFace.disabled = noOutput;
    ui.downloadPhoto.disabled = noOutput;
    ui.addKey.disabled = noOutput;
    ui.play.disabled = noOutput || state.timeline.keys.length < 2;
    ui.downloadGif.disabled = ui.play.disabled;
    for (const button of ui.presets.querySelectorAll('button')) button.disabled = noOutput;
    ui.intensity.disabled = noOutput;
    for (const slider of this.sliderInputs()) slider.disabled = noOutput;
  }

  showPresets(state: EditorState, pick: (expression: Expression) => void): void {
    ui.presets.replaceChildren(
      ...state.expressions.map((expression) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = expression.name;
        button.dataset.preset = expression.name;
        button.title = `${expression.name}: ${expression.description}`;
        button.setAttribute('aria-pressed', 'false');
        button.addEventListener('click', () => pick(expression));
        return button;
      }),
    );
    this.markActivePreset(state);
  }

  markActivePreset(state: EditorState): void {
    for (const button of ui.presets.querySelectorAll<HTMLButtonElement>('button')) {
      const active = button.dataset.preset === state.activeExpression?.name;
      button.classList.toggle('active', active);
      button.setAttribute('aria-pressed', String(active));
    }
  }

  /**
   * One labelled range input per action-unit slider (actionUnitSliders.ts), its value in words beside it and
   * the AUs it drives under it (and in its tooltip). `move` gets every change; `done` is true at the end of a
   * gesture (the change event: a mouse released, a key pressed).
   */
  showActionUnitSliders(move: (id: SliderId, value: number, done: boolean) => void): void {
    const rows = ACTION_UNIT_SLIDERS.map((slider) => {
      const id = `au-${slider.id}`;
      const row = document.createElement('div');
      row.className = 'au-slider';
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = slider.label;
      const input = document.createElement('input');
      input.type = 'range';
      input.id = id;
      input.dataset.slider = slider.id;
      input.min = String(sliderMin(slider));
      input.max = String(SLIDER_MAX);
      input.step = String(SLIDER_STEP);
      input.value = '0';
      input.title = sliderHint(slider);
      input.setAttribute('aria-describedby', `${id}-hint`);
      const output = document.createElement('output');
      output.htmlFor.add(id);
      output.id = `${id}-value`;
      const hint = document.createElement('span');
      hint.className = 'hint';
      hint.id = `${id}-hint`;
      hint.textContent = sliderHint(slider);
      const changed = (done: boolean) => () => move(slider.id, Number(input.value), done);
      input.addEventListener('input', changed(false));
      input.addEventListener('change', changed(true));
      row.append(label, input, output, hint);
      return row;
    });
    ui.auSliders.replaceChildren(ui.auSliders.querySelector('legend')!, ...rows);
  }

  /** Moves every action-unit slider (and its words) to the state's values. */
  showSliders(state: EditorState): void {
    for (const slider of ACTION_UNIT_SLIDERS) {
      const input = ui.auSliders.querySelector<HTMLInputElement>(`#au-${slider.id}`);
      const output = ui.auSliders.querySelector<HTMLOutputElement>(`#au-${slider.id}-value`);
      if (input === null || output === null) continue;
      const value = state.sliders[slider.id];
      if (Number(input.value) !== value) input.value = String(value);
      const words = sliderValueText(slider, value);
      output.value = words;
      input.setAttribute('aria-valuetext', words);
    }
  }

  private sliderInputs(): HTMLInputElement[] {
    return [...ui.auSliders.querySelectorAll<HTMLInputElement>('input[type="range"]')];
  }

  /** Moves the slider (and its label) to `percent`. */
  showIntensity(percent: number): void {
    ui.intensity.value = String(percent);
    this.showIntensityValue();
  }

  showIntensityValue(): void {
    ui.intensityValue.value = `${ui.intensity.value}%`;
  }

  showInputFace(crop: RgbImage): void {
    drawRgb(ui.inputFace, crop);
  }

  showOutputFace(face: RgbImage): void {
    drawRgb(ui.outputFace, face);
  }

  /** Marks a new generated face for tests: its count, the live tensors, its target and own landmarks. */
  markGenerated(generation: number, tensors: number, target: Float32Array, own: Float32Array): void {
    ui.outputFace.dataset.generation = String(generation);
    ui.outputFace.dataset.tensors = String(tensors);
    // The target (and own) landmarks of the face on screen, so a test can regenerate it with the CLI's code.
    ui.outputFace.dataset.landmarks = JSON.stringify(Array.from(target));
    ui.outputFace.dataset.sourceLandmarks = JSON.stringify(Array.from(own));
  }

  showGenerating(generating: boolean): void {
    if (generating) document.body.dataset.generating = 'true';
    else delete document.body.dataset.generating;
  }

  /**
   * The pasted result of face number `generation` (what the paste started from, not what arrived since), in
   * `picture`: the photo, or the photo scaled by `scale` (a large face is previewed at the size it is shown).
   */
  showResult(state: EditorState, picture: RgbImage, region: Region, scale: number, generation: number): void {
    if (state.result === undefined) return;
    showResult(picture, region, state.result, state.showingBefore);
    ui.pasted.dataset.generation = String(generation);
    // Where a crop pixel lies in the large face view (an affine): a test finds the mouth in the pasted photo by it.
    if (state.face !== undefined)
      ui.faceView.dataset.cropToView = JSON.stringify(
        invertAffine(regionToCrop(state.face.aligned.alignment.toCrop, scale, region)),
      );
  }

  showBeforeAfter(state: EditorState): void {
    drawResultFace(state.result, state.showingBefore);
  }

  /** No face: the aligned and generated faces, the paste and the "face ready" mark go. */
  clearFace(): void {
    delete document.body.dataset.face;
    for (const canvas of [ui.inputFace, ui.outputFace])
      canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
    hideResult();
  }

  markFaceReady(): void {
    document.body.dataset.face = 'ready';
  }

  showPhoto(photo: RgbImage): void {
    ui.faceChoice.hidden = true;
    ui.photoStage.hidden = false;
    this.photo.showPhoto(photo);
  }

  /**
   * Under a photo where the tiny detector found one face: a button that asks the SSD for faces it may have missed
   * (small ones in the background). `find` runs on a click, with the button disabled until the answer.
   */
  showFindMoreFaces(find: () => Promise<void>): void {
    const button = document.createElement('button');
    button.type = 'button';
    button.id = 'find-more-faces';
    button.textContent = 'Find more faces';
    button.title = 'Look again for faces, small ones included (a slower detector)';
    button.addEventListener('click', () => {
      button.disabled = true;
      void find().finally(() => {
        button.disabled = false;
      });
    });
    ui.faceChoice.replaceChildren(button);
    ui.faceChoice.hidden = false;
  }

  hideFaceChoice(): void {
    ui.faceChoice.replaceChildren();
    ui.faceChoice.hidden = true;
  }

  /**
   * A button and a box on the photo for each face found; `pick` gets the face's index (0 = largest). `editing`: the
   * face being edited already, its button shown pressed.
   */
  showFaceChoice(boxes: Box[], pick: (index: number) => void, editing?: number): void {
    this.photo.showFaceBoxes(boxes, pick);
    ui.faceChoice.replaceChildren(
      ...boxes.map((_, index) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = index === 0 ? 'Face 1 (largest)' : `Face ${index + 1}`;
        button.dataset.face = String(index);
        button.setAttribute('aria-pressed', String(index === editing));
        button.addEventListener('click', () => pick(index));
        return button;
      }),
    );
    ui.faceChoice.hidden = false;
  }

  /** The picked face's button pressed; the boxes on the photo go (the buttons stay for another pick). */
  markFaceChosen(index: number): void {
    for (const button of ui.faceChoice.querySelectorAll('button'))
      button.setAttribute('aria-pressed', String(button.dataset.face === String(index)));
    this.photo.clearFaceBoxes();
  }

  showFileDragging(dragging: boolean): void {
    document.body.classList.toggle('dragging-file', dragging);
  }

  showKeys(state: EditorState, actions: KeyActions): void {
    renderKeys(ui.keys, state.timeline, state.thumbnails, actions);
    const animates = state.timeline.keys.length >= 2;
    const count = state.timeline.frameCount;
    ui.frameCount.textContent = animates ? `${count} frames` : 'Add two keys to animate';
    ui.frameCount.dataset.frames = String(animates ? count : 0);
  }

  showPlaying(playing: boolean): void {
    ui.play.textContent = playing ? 'Stop' : 'Play';
    if (!playing) delete ui.outputFace.dataset.playingFrame;
  }

  showAnimationFrame(frame: RgbImage, index: number): void {
    drawRgb(ui.outputFace, frame);
    ui.outputFace.dataset.playingFrame = String(index);
  }

  showBackend(backend: StartedBackend): void {
    ui.backend.textContent = `TF.js backend: ${backend.name}`;
    if (backend.skippedWebGl !== undefined)
      ui.backend.title = `WebGL not used: ${backend.skippedWebGl} is slower than WASM`;
    document.body.dataset.backend = backend.name;
  }

  showModel(model: PageModel | undefined): void {
    // The labels are what the model was trained on, not what it can show (every preset below): said so, since
    // "Model: neutral, smile" read as if only two expressions were available.
    const labels = model?.manifest.labels ?? [];
    ui.modelStatus.textContent =
      model === undefined
        ? 'Model: not loaded'
        : labels.length > 0
          ? `Model: loaded (trained on ${labels.join(' and ')} faces)`
          : 'Model: loaded';
  }

  markReady(): void {
    document.body.dataset.ready = 'true';
  }
}
