/**
 * Loads h264-mp4-encoder only when an MP4 is written, without letting it change the host process.
 *
 * The package is an Emscripten build whose Node glue runs `process.on('uncaughtException', e => { throw e })` and
 * `process.on('unhandledRejection', …)` when the module is first evaluated. In a host program (or the CLI) those
 * turn every unexpected error into exit code 7 with a dump of minified code. So the module is imported lazily, and
 * whatever process-wide listeners its evaluation adds are removed again at once.
 */
import { createRequire } from 'node:module';

type H264Module = typeof import('h264-mp4-encoder');
type Listener = (...args: unknown[]) => void;

/** Process events the Emscripten glue is known to (or might) listen to. */
const GUARDED_EVENTS = ['uncaughtException', 'unhandledRejection', 'exit'] as const;

let loading: Promise<H264Module> | undefined;

/** Runs `load` and removes any listener it added to the guarded process events. */
export async function withoutNewProcessListeners<T>(load: () => Promise<T>): Promise<T> {
  // Typed as a plain emitter: these events' listener types differ, and only identity matters here.
  const emitter = process as NodeJS.EventEmitter;
  const before = new Map(GUARDED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  try {
    return await load();
  } finally {
    for (const event of GUARDED_EVENTS)
      for (const listener of emitter.listeners(event))
        if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as Listener);
  }
}

/** The encoder module, imported once on first use. */
export function loadH264(): Promise<H264Module> {
  // A CommonJS webpack bundle: required (Node's ESM loader cannot see its named exports).
  loading ??= withoutNewProcessListeners(async () =>
    createRequire(import.meta.url)('h264-mp4-encoder'),
  ) as Promise<H264Module>;
  return loading;
}
