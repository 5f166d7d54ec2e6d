/** The key-frame list: a thumbnail per key, frames to the next key, move up/down, delete, click to edit. */
import type { RgbImage } from '../../src/image/rgbImage.js';
import { drawRgb } from './canvasImage.js';
import { MAX_FRAMES_TO_NEXT, type Timeline } from './timeline.js';

export interface KeyActions {
  changed(): void;
  /** The user clicked a key's thumbnail: edit its landmarks. */
  open(landmarks: Float32Array): void;
}

export function renderKeys(
  list: HTMLOListElement,
  timeline: Timeline,
  thumbnails: Map<number, RgbImage>,
  actions: KeyActions,
): void {
  const keys = timeline.keys;
  list.replaceChildren(
    ...keys.map((key, position) => {
      const item = document.createElement('li');
      item.className = 'key';
      item.dataset.key = String(key.id);

      // A button (focusable, named) around the thumbnail: clicking or Enter edits the key's landmarks.
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'key-open';
      open.setAttribute('aria-label', `Edit the landmarks of key ${position + 1}`);
      open.title = 'Edit these landmarks';
      const thumb = document.createElement('canvas');
      thumb.className = 'key-thumb';
      thumb.setAttribute('aria-hidden', 'true');
      const image = thumbnails.get(key.id);
      if (image !== undefined) drawRgb(thumb, image);
      open.append(thumb);
      open.addEventListener('click', () => actions.open(key.landmarks));

      const name = document.createElement('span');
      name.textContent = `Key ${position + 1}`;

      const button = (
        label: string,
        title: string,
        onClick: () => void,
        disabled = false,
      ): HTMLButtonElement => {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = label;
        b.title = title;
        // Screen readers read the name, not the arrow glyph.
        b.setAttribute('aria-label', `${title} (key ${position + 1})`);
        b.disabled = disabled;
        b.addEventListener('click', () => {
          onClick();
          actions.changed();
        });
        return b;
      };
      item.append(open, name);
      if (position < keys.length - 1) {
        const label = document.createElement('label');
        label.textContent = 'frames to next: ';
        const frames = document.createElement('input');
        frames.type = 'number';
        frames.className = 'frames-to-next';
        frames.min = '1';
        frames.max = String(MAX_FRAMES_TO_NEXT);
        frames.value = String(key.framesToNext);
        frames.addEventListener('change', () => {
          timeline.setFramesToNext(key.id, Number(frames.value) || 1);
          actions.changed();
        });
        label.append(frames);
        item.append(label);
      }
      const buttons = document.createElement('div');
      buttons.className = 'key-buttons';
      buttons.append(
        button('↑', 'Move earlier', () => timeline.move(key.id, -1), position === 0),
        button('↓', 'Move later', () => timeline.move(key.id, 1), position === keys.length - 1),
        button('✕', 'Delete key', () => {
          timeline.remove(key.id);
          thumbnails.delete(key.id);
        }),
      );
      item.append(buttons);
      return item;
    }),
  );
}
