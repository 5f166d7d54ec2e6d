/**
 * Loads h264-mp4-encoder only when an MP4 is written: an Emscripten build whose glue installs process-wide
 * handlers when it is first required (see util/processListeners.ts, which removes them again).
 */
import { createRequire } from 'node:module';
import { withoutNewProcessListeners } from '../util/processListeners.js';

type H264Module = typeof import('h264-mp4-encoder');

let loading: Promise<H264Module> | undefined;

/** The encoder module, required once on first use. */
export function loadH264(): Promise<H264Module> {
  // A CommonJS webpack bundle: required (Node's ESM loader cannot see its named exports).
  loading ??= withoutNewProcessListeners(async () =>
    createRequire(import.meta.url)('h264-mp4-encoder'),
  ) as Promise<H264Module>;
  return loading;
}
