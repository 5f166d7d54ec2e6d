/** The downloads: the generated face, the photo with the face pasted back at full resolution, and any blob. */
import { rgbToPng } from '../pngRgb.js';
import { clearMessage, showMessage } from '../ui.js';
import { fullResolutionPng } from './pasting.js';
import type { EditorState } from './state.js';
import type { EditorView } from './view.js';

/** Downloads `blob` as "<photo name>-<suffix>". */
export function download(state: EditorState, blob: Blob, suffix: string): void {
  const base = (state.face?.name ?? 'mimic').replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_');
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${base}-${suffix}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function wireDownloads(state: EditorState, view: EditorView): void {
  const { ui } = view;
  ui.downloadFace.addEventListener('click', () => {
    if (state.face?.latest === undefined) return;
    void rgbToPng(state.face.latest).then((blob) => download(state, blob, 'face.png'));
  });
  ui.downloadPhoto.addEventListener('click', () => {
    const face = state.face;
    if (face === undefined) return;
    ui.downloadPhoto.disabled = true;
    showMessage('info', 'Pasting the face into the photo at its full resolution…', 'saving');
    fullResolutionPng(state, face, view.pasteMode())
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
        download(state, blob, 'photo.png');
      })
      .catch((error: Error) =>
        showMessage('error', `Pasting the face failed: ${error.message}`, 'paste-failed'),
      )
      .finally(() => view.showButtons(state));
  });
}
