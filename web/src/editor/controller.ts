/**
 * The editor's controller: makes the view, wires each panel to the state and the view, then starts TF.js, the
 * face detector and the model. Everything runs in the page; the server only serves files.
 *
 * Panels: photoOpening (file, drop, sample, face choice), landmarkEditing (drags, undo/redo/reset),
 * expressionPanel (presets, intensity, action-unit sliders), generation and pasting (the face and its paste
 * preview), animationPanel (keys, playback, GIF), downloads, cameraDrive (the photo driven live by a camera).
 */
import { expressionsFor } from '../expressions.js';
import { loadFaceDetector, warmUpDetection } from '../faceDetector.js';
import { loadModel, openModelFolder, warmUpGeneration } from '../mimicModel.js';
import { startBackend, type StartedBackend } from '../tfBackend.js';
import { showMessage } from '../ui.js';
import { showKeys, wireAnimationPanel } from './animationPanel.js';
import { wireCameraDrive } from './cameraDrive.js';
import { wireDownloads } from './downloads.js';
import { showPresets, wireExpressionPanel } from './expressionPanel.js';
import { requestGeneration } from './generation.js';
import { landmarkDragging, wireLandmarkEditing } from './landmarkEditing.js';
import { wirePasting } from './pasting.js';
import { wirePhotoOpening } from './photoOpening.js';
import type { EditorState } from './state.js';
import { EditorView } from './view.js';

export async function startEditor(state: EditorState): Promise<void> {
  const view = new EditorView((v) => landmarkDragging(state, v));
  wirePhotoOpening(state, view);
  wireLandmarkEditing(state, view);
  wireExpressionPanel(state, view);
  wirePasting(state, view);
  wireAnimationPanel(state, view);
  wireDownloads(state, view);
  // Landmark sources other than the editing above plug in here, as panels like these.
  wireCameraDrive(state, view);
  await start(state, view);
}

async function start(state: EditorState, view: EditorView): Promise<void> {
  // The model's files download while the backend and the detector start.
  const modelFolder = openModelFolder();
  view.showButtons(state);
  const wanted = new URLSearchParams(location.search).get('backend');
  let backend: StartedBackend;
  try {
    backend = await startBackend(wanted);
  } catch (error) {
    showMessage('error', (error as Error).message, 'no-backend');
    return;
  }
  view.showBackend(backend);
  const detector = loadFaceDetector().catch((error: Error) => {
    showMessage('error', `The face detector failed to load: ${error.message}`, 'detector-failed');
    throw error;
  });
  // (a photo opened meanwhile shares the page's one thread with it: the first runs' costs are paid once either way)
  void detector.then(warmUpDetection).catch(() => undefined);
  try {
    const model = await loadModel(modelFolder);
    // The first generation's own costs (as the detector's) are paid before the model is handed to the editor, so no
    // face waits for them later and none is generated while they run.
    await warmUpGeneration(model);
    state.model = model;
    view.showModel(state.model);
    if (state.model.presetsProblem !== undefined)
      showMessage('info', state.model.presetsProblem, 'presets-ignored');
    if (state.model.extrasProblems.length > 0)
      showMessage('info', state.model.extrasProblems.join('; '), 'model-extras-ignored');
  } catch (error) {
    state.model = undefined;
    view.showModel(undefined);
    showMessage(
      'error',
      `The model failed to load (${(error as Error).message}). Landmarks still work; start the server with ` +
        '`mimic serve --model <folder>` pointing at a trained model to generate faces.',
      'model-failed',
    );
  }
  state.expressions = expressionsFor(state.model?.presets, state.model?.alignment.size ?? 64);
  // A face found while the model was loading gets its first generation now.
  if (state.face !== undefined) requestGeneration(state, view);
  showPresets(state, view);
  view.showIntensityValue();
  showKeys(state, view);
  try {
    await detector;
  } catch {
    return;
  }
  view.markReady();
}
