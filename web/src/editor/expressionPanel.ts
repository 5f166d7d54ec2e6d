/**
 * The Expression panel: a button per preset and the intensity slider. The slider's 0 % is always the photo's own
 * face; its 100 % is the active preset, or, without one, the last edit (drags, a key, undo/redo).
 */
import type { Expression } from '../expressions.js';
import { landmarksChanged } from './landmarkEditing.js';
import type { EditorState } from './state.js';
import type { EditorView } from './view.js';

export function showPresets(state: EditorState, view: EditorView): void {
  view.showPresets(state, (expression: Expression) => {
    state.activeExpression = expression;
    applyIntensity(state, view, true);
  });
}

/**
 * The slider's intensity t: the active preset on the photo's own landmarks at t, or, without one, the current
 * edit scaled: own + t · (edit − own).
 */
function applyIntensity(state: EditorState, view: EditorView, commit: boolean): void {
  view.showIntensityValue();
  const face = state.face;
  if (face === undefined) return;
  const t = view.intensity();
  const own = face.original;
  const base = face.intensityBase;
  face.history.change(
    state.activeExpression !== undefined
      ? state.activeExpression.apply(own, t)
      : own.map((v, i) => v + t * (base[i]! - v)),
  );
  if (commit) face.history.commit();
  view.markActivePreset(state);
  landmarksChanged(state, view);
}

export function wireExpressionPanel(state: EditorState, view: EditorView): void {
  view.ui.intensity.addEventListener('input', () => applyIntensity(state, view, false));
  view.ui.intensity.addEventListener('change', () => applyIntensity(state, view, true));
}
