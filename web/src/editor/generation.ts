/**
 * Generating the face for the current landmarks: one generation at a time, and requests made while one runs
 * collapse into one more run, so a drag asks for many faces but the model makes only as many as it can.
 */
import { tensorCount } from '../mimicModel.js';
import { showMessage } from '../ui.js';
import { schedulePastePreview } from './pasting.js';
import type { EditorState } from './state.js';
import type { EditorView } from './view.js';

export function requestGeneration(state: EditorState, view: EditorView): void {
  if (state.generating) {
    state.generationPending = true;
    return;
  }
  state.generating = true;
  view.showGenerating(true);
  void (async () => {
    try {
      do {
        state.generationPending = false;
        await generateCurrent(state, view);
      } while (state.generationPending);
    } catch (error) {
      showMessage('error', `Generating the face failed: ${(error as Error).message}`, 'generation-failed');
    } finally {
      state.generating = false;
      view.showGenerating(false);
    }
  })();
}

/**
 * Generates the face for the current landmarks. It also runs while the animation plays (the canvas keeps
 * showing the animation; Stop shows this face), so an edit made during playback is never lost. The face for the
 * photo's own landmarks, which the paste needs, is made with the first one, whenever the model arrives.
 */
async function generateCurrent(state: EditorState, view: EditorView): Promise<void> {
  const current = state.face;
  if (current === undefined || state.model === undefined) return;
  const target = Float32Array.from(current.history.current);
  const needReference = current.reference === undefined;
  const faces = await state.model.generate(
    current.aligned.crop,
    current.original,
    needReference ? [current.original, target] : [target],
  );
  const face = faces[faces.length - 1];
  if (state.face !== current || face === undefined) return;
  if (needReference) current.reference = faces[0];
  current.latest = face;
  if (state.playing === undefined) view.showOutputFace(face);
  view.showButtons(state);
  state.generation++;
  view.markGenerated(state.generation, tensorCount(), target, current.original);
  schedulePastePreview(state, view);
}
