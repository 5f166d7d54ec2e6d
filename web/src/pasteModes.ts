/**
 * The photo with the generated face put back: the CLI's own paste code (src/transfer/pasteModes.ts), so the page
 * and `mimic transfer` give the same picture for the same mode; only the image scaler is the browser's.
 */
import { pasteInMode as pasteWith, type PasteInput, type PasteMode } from '../../src/transfer/pasteModes.js';
import type { RgbImage } from '../../src/image/rgbImage.js';
import { resizeImage } from './canvasImage.js';

export type { PasteMode };

export function pasteInMode(mode: PasteMode, input: Omit<PasteInput, 'resize'>): Promise<RgbImage> {
  return pasteWith(mode, { ...input, resize: resizeImage });
}
