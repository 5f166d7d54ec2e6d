/**
 * The Expression panel: a button per preset, the intensity slider and the action-unit sliders.
 *
 * The landmarks it makes (actionUnitSliders.ts, expressionPanelLandmarks): the active preset at the intensity
 * with the sliders' AUs added, exactly as the CLI's `--expression NAME@T --au …`; without a preset, the last edit
 * (drags, a key, undo/redo) scaled by the intensity, 0 % being the photo's own face, with the sliders' AUs on top.
 * Moving a slider or the intensity makes one undo step per gesture, as a drag does.
 */
import { expressionPanelLandmarks, sliderActionUnits, type SliderId } from '../actionUnitSliders.js';
import type { Expression } from '../expressions.js';
import { landmarksChanged } from './landmarkEditing.js';
import type { EditorState } from './state.js';
import type { EditorView } from './view.js';

export function showPresets(state: EditorState, view: EditorView): void {
  view.showPresets(state, (expression: Expression) => {
    state.activeExpression = expression;
    applyExpressionPanel(state, view, true);
  });
}

/** Sets the landmarks from the active preset (or the scaled edit), the intensity and the sliders. */
function applyExpressionPanel(state: EditorState, view: EditorView, commit: boolean): void {
  view.showIntensityValue();
  view.showSliders(state);
  const face = state.face;
  if (face === undefined) return;
  face.history.change(
    expressionPanelLandmarks(
      face.original,
      state.activeExpression,
      view.intensity(),
      face.intensityBase,
      sliderActionUnits(state.sliders),
    ),
  );
  if (commit) face.history.commit();
  view.markActivePreset(state);
  landmarksChanged(state, view);
}

export function wireExpressionPanel(state: EditorState, view: EditorView): void {
  view.ui.intensity.addEventListener('input', () => applyExpressionPanel(state, view, false));
  view.ui.intensity.addEventListener('change', () => applyExpressionPanel(state, view, true));
  view.showActionUnitSliders((id: SliderId, value: number, done: boolean) => {
    state.sliders = { ...state.sliders, [id]: value };
    applyExpressionPanel(state, view, done);
  });
  view.showSliders(state);
}
