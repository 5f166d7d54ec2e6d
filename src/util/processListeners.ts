/**
 * Keeps Emscripten builds from changing the host process. Emscripten's Node glue runs
 * `process.on('uncaughtException', e => { throw e })` and `process.on('unhandledRejection', …)` when a module is
 * instantiated (h264-mp4-encoder when it is first required, TF.js's WASM backend when it starts). In a host program,
 * or in the CLI, those turn every unexpected error into exit code 7 with a dump of minified code. Whatever such a
 * load adds to these events is removed again at once: importing or using Mimic installs no process-wide handlers.
 */

/** Process events the Emscripten glue is known to (or might) listen to. */
const GUARDED_EVENTS = ['uncaughtException', 'unhandledRejection', 'exit'] as const;

type Listener = (...args: unknown[]) => void;

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
