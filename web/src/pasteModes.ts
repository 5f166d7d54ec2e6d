/**
 * The photo with the generated face put back: the CLI's own paste code (src/transfer/pasteModes.ts), so the page
 * and `mimic transfer` give the same picture for the same mode.
 */
export { pasteInMode, type PasteInput, type PasteMode } from '../../src/transfer/pasteModes.js';
