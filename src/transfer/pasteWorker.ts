/**
 * Some frames of an animation pasted in a worker thread while the main thread pastes the others: the paste is
 * plain JavaScript, about half of an animation's time after start-up, and one thread uses one core. The worker runs
 * the very same pasteInMode on the same inputs (structured clones), so its frames are byte for byte the main
 * thread's (test/transfer/pasteWorker.test.ts). Only the "warp" paste goes there: the other modes scale images
 * with sharp, which stays in the main thread.
 */
import { Worker } from 'node:worker_threads';
import type { Landmarks } from '../face/landmarks.js';
import type { RgbImage } from '../image/rgbImage.js';
import type { PasteInput } from './pasteModes.js';

/** Everything a frame's paste input holds except what changes from frame to frame (and the scaler). */
export type SharedPasteInput = Omit<PasteInput, 'resize' | 'target' | 'generated'>;

export interface FrameToPaste {
  target: Landmarks;
  generated: RgbImage;
}

export interface PasteWorkerData {
  shared: SharedPasteInput;
  frames: FrameToPaste[];
}

export type PasteWorkerReply = { ok: true; frames: RgbImage[] } | { ok: false; message: string };

function fromSources(): boolean {
  return import.meta.url.endsWith('.ts');
}

/** pasteWorkerMain next to this file: compiled, or the TypeScript source under tsx (see detectionWorker.ts). */
function spawnWorker(data: PasteWorkerData): Worker {
  if (!fromSources())
    return new Worker(new URL('./pasteWorkerMain.js', import.meta.url), { workerData: data });
  const entry = new URL('./pasteWorkerMain.ts', import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap =
    `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })` +
    `.catch((error) => { setImmediate(() => { throw error; }); });`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

/** The "warp" paste of each frame, in a worker thread that starts now and ends when they are done. */
export function pasteFramesInWorker(shared: SharedPasteInput, frames: FrameToPaste[]): Promise<RgbImage[]> {
  return new Promise((resolve, reject) => {
    const worker = spawnWorker({ shared, frames });
    let settled = false;
    worker.once('message', (reply: PasteWorkerReply) => {
      settled = true;
      if (reply.ok) resolve(reply.frames);
      else reject(new Error(`paste worker: ${reply.message}`));
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`paste worker exited (code ${code}) before answering`));
    });
  });
}
