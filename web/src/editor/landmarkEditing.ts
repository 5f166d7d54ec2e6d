/**
 * Editing the landmarks by hand: dragging points on the photo (one point or a group, by the drag mode), undo,
 * redo and reset (buttons and Ctrl+Z / Ctrl+Shift+Z). Every edit ends in landmarksChanged, which redraws and asks
 * for a new face.
 */
import { sliderActionUnits, withoutActionUnits, zeroSliders } from '../actionUnitSliders.js';
import type { DragHandlers } from '../photoView.js';
import { movePoints, pointsToDrag } from '../dragGroups.js';
import type { LandmarkHistory } from '../landmarkHistory.js';
import { clearErrorMessage } from '../ui.js';
import { keepInCrop, keepInside, photoToNormalized } from './coordinates.js';
import { requestGeneration } from './generation.js';
import type { EditorState } from './state.js';
import type { EditorView } from './view.js';

export function landmarksChanged(state: EditorState, view: EditorView): void {
  clearErrorMessage();
  view.showLandmarks(state);
  view.showButtons(state);
  requestGeneration(state, view);
}

/**
 * After an edit that is not the sliders': 100 % is now what the user sees, 0 % still the photo's own face. The
 * action-unit sliders keep their values and keep adding their AUs on top, so the edit they scale is what the user
 * sees less what the sliders add.
 */
export function rebaseIntensity(state: EditorState, view: EditorView): void {
  const face = state.face;
  if (face === undefined || state.activeExpression !== undefined) return;
  face.intensityBase = withoutActionUnits(
    face.history.current,
    face.original,
    sliderActionUnits(state.sliders),
  );
  view.showIntensity(100);
}

/**
 * An edit from outside the sliders (history, a key): the preset lets go, the action-unit sliders go back to 0
 * (the landmarks brought back hold whatever they had added) and the intensity scales this edit.
 */
export function landmarksEdited(state: EditorState, view: EditorView): void {
  state.activeExpression = undefined;
  state.sliders = zeroSliders();
  view.showSliders(state);
  rebaseIntensity(state, view);
  view.markActivePreset(state);
  landmarksChanged(state, view);
}

/** The photo view's drag handlers: a drag moves points in normalized crop coordinates, one history step. */
export function landmarkDragging(state: EditorState, view: EditorView): DragHandlers {
  return {
    start(index) {
      if (state.face === undefined) return false;
      const indices = pointsToDrag(state.dragMode, index);
      if (indices === undefined) return false;
      state.drag = { flat: Float32Array.from(state.face.history.current), indices };
      state.activeExpression = undefined;
      view.markActivePreset(state);
      return true;
    },
    move(from, at) {
      const { face, drag } = state;
      if (face === undefined || drag === undefined) return;
      const toCrop = face.aligned.alignment.toCrop;
      const a = photoToNormalized(from, toCrop, state.cropSize());
      const b = photoToNormalized(keepInside(at, face.photo), toCrop, state.cropSize());
      const moved = movePoints(drag.flat, drag.indices, b[0] - a[0], b[1] - a[1]);
      face.history.change(keepInCrop(moved, drag.indices));
      landmarksChanged(state, view);
    },
    end() {
      state.drag = undefined;
      state.face?.history.commit();
      rebaseIntensity(state, view);
      view.showButtons(state);
    },
  };
}

export function wireLandmarkEditing(state: EditorState, view: EditorView): void {
  const { ui } = view;
  view.showDragModes();
  ui.dragMode.addEventListener('change', () => {
    state.dragMode = view.dragMode();
    view.showLandmarks(state);
  });
  const historyAction = (action: (h: LandmarkHistory) => void) => () => {
    if (state.face === undefined) return;
    action(state.face.history);
    landmarksEdited(state, view);
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
}
