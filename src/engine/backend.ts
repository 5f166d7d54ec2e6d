/**
 * Chooses and starts the TF.js backend. Order for "auto": tfjs-node when the user has installed it (never
 * required), else WASM (files loaded from node_modules, no network), else the pure-JS cpu backend.
 */
import tf from './tfjs.cjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MimicError } from '../util/errors.js';
import { withoutNewProcessListeners } from '../util/processListeners.js';
import { registerEngineKernels } from './registerKernels.js';

export type BackendName = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendOptions {
  backend?: BackendName;
  /** WASM threads (the stock WASM backend in Node runs single-threaded unless told otherwise). */
  threads?: number;
}

const require = createRequire(import.meta.url);
// Loaded with require: an ES import of this CommonJS package makes Node scan its source for its exports first (about
// 100 ms against 45 ms here, at the start of every command).
const { setWasmPaths, setThreadsCount } =
  require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
let started: string | undefined;

function wasmDistFolder(): string {
  const entry = require.resolve('@tensorflow/tfjs-backend-wasm');
  // entry: …/tfjs-backend-wasm/dist/tf-backend-wasm.node.js (or similar) – the .wasm files sit in dist/
  return dirname(entry).endsWith('dist') ? dirname(entry) + '/' : join(dirname(entry), 'dist') + '/';
}

async function tryTfjsNode(): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-node' as string);
    return tf.findBackend('tensorflow') !== undefined;
  } catch {
    return false;
  }
}

/** Starts the backend once per process and returns its name. */
export async function initBackend(options: BackendOptions = {}): Promise<string> {
  if (started !== undefined) return started;
  const wanted = options.backend ?? 'auto';
  if (wanted === 'tensorflow' || wanted === 'auto') {
    if (await tryTfjsNode()) {
      await tf.setBackend('tensorflow');
      registerEngineKernels();
      started = 'tensorflow';
      return started;
    }
    if (wanted === 'tensorflow')
      throw new MimicError('backend "tensorflow" needs @tensorflow/tfjs-node, which is not installed');
  }
  if (wanted === 'wasm' || wanted === 'auto') {
    setWasmPaths(wasmDistFolder());
    if (options.threads !== undefined) setThreadsCount(options.threads);
    // The WASM module's Emscripten glue would install process-wide error handlers as it starts.
    if (await withoutNewProcessListeners(() => tf.setBackend('wasm'))) {
      await withoutNewProcessListeners(() => tf.ready());
      registerEngineKernels();
      started = 'wasm';
      return started;
    }
    if (wanted === 'wasm') throw new MimicError('the WASM backend failed to start');
  }
  await tf.setBackend('cpu');
  await tf.ready();
  registerEngineKernels();
  started = 'cpu';
  return started;
}
