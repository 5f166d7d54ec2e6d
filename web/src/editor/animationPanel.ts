/**
 * The Animation panel: key frames (the current landmarks, added as keys, each with its generated face), playing
 * the frames between them on the output canvas, and the GIF download.
 */
import { resizeImage } from '../canvasImage.js';
import { encodeGif } from '../gif.js';
import type { RgbImage } from '../../../src/image/rgbImage.js';
import { showMessage } from '../ui.js';
import { download } from './downloads.js';
import { landmarksEdited } from './landmarkEditing.js';
import { schedulePastePreview } from './pasting.js';
import type { EditorState } from './state.js';
import type { EditorView } from './view.js';

/** Size of exported GIF frames: the 64-px faces scaled 2× by the browser's smooth scaler. */
const GIF_SIZE = 128;

/** Redraws the key list and the frame count (after any change to the keys). */
export function showKeys(state: EditorState, view: EditorView): void {
  view.showKeys(state, {
    changed: () => showKeys(state, view),
    open(landmarks) {
      if (state.face === undefined) return;
      state.face.history.change(landmarks);
      state.face.history.commit();
      landmarksEdited(state, view);
    },
  });
  view.showButtons(state);
}

export function stopPlaying(state: EditorState, view: EditorView): void {
  if (state.playing === undefined) return;
  clearInterval(state.playing);
  state.playing = undefined;
  view.showPlaying(false);
  // The face for the current landmarks (generated during playback too), and its paste.
  if (state.face?.latest !== undefined) view.showOutputFace(state.face.latest);
  schedulePastePreview(state, view);
}

async function animationFrames(state: EditorState): Promise<RgbImage[]> {
  if (state.face === undefined || state.model === undefined) return [];
  return state.model.generate(state.face.aligned.crop, state.face.original, state.timeline.frames());
}

export function wireAnimationPanel(state: EditorState, view: EditorView): void {
  const { ui } = view;
  ui.addKey.addEventListener('click', () => {
    if (state.face === undefined) return;
    const key = state.timeline.add(state.face.history.current);
    if (state.face.latest !== undefined) state.thumbnails.set(key.id, state.face.latest);
    showKeys(state, view);
  });

  ui.play.addEventListener('click', () => {
    if (state.playing !== undefined) {
      stopPlaying(state, view);
      return;
    }
    void (async () => {
      ui.play.disabled = true;
      let frames: RgbImage[];
      try {
        frames = await animationFrames(state);
      } catch (error) {
        showMessage('error', `Making the animation failed: ${(error as Error).message}`, 'animation-failed');
        return;
      } finally {
        ui.play.disabled = false;
      }
      if (frames.length === 0) return;
      let index = 0;
      view.showPlaying(true);
      state.playing = setInterval(() => {
        view.showAnimationFrame(frames[index]!, index);
        index = (index + 1) % frames.length;
      }, view.frameDelayMs());
    })();
  });

  ui.downloadGif.addEventListener('click', () => {
    void (async () => {
      ui.downloadGif.disabled = true;
      try {
        const frames = await animationFrames(state);
        const scaled = await Promise.all(frames.map((f) => resizeImage(f, GIF_SIZE, GIF_SIZE)));
        const bytes = encodeGif(scaled, view.frameDelayMs());
        download(state, new Blob([bytes.slice()], { type: 'image/gif' }), 'animation.gif');
      } catch (error) {
        showMessage('error', `Making the GIF failed: ${(error as Error).message}`, 'animation-failed');
      } finally {
        ui.downloadGif.disabled = false;
      }
    })();
  });
}
