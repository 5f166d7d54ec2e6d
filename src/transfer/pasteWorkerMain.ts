/** The worker-thread side of pasteFramesInWorker (pasteWorker.ts): pastes its frames and posts them back. */
import { parentPort, workerData } from 'node:worker_threads';
import { pasteInMode } from './pasteModes.js';
import type { PasteWorkerData, PasteWorkerReply } from './pasteWorker.js';

const port = parentPort;
if (port === null) throw new Error('pasteWorkerMain must run in a worker thread');
const { shared, frames } = workerData as PasteWorkerData;

const noScaler = (): never => {
  throw new Error('the paste worker does only the "warp" paste, which scales nothing');
};

try {
  const pasted = [];
  for (const frame of frames)
    pasted.push(await pasteInMode('warp', { ...shared, ...frame, resize: noScaler }));
  const reply: PasteWorkerReply = { ok: true, frames: pasted };
  port.postMessage(reply, [...new Set(pasted.map((image) => image.data.buffer as ArrayBuffer))]);
} catch (error) {
  const reply: PasteWorkerReply = { ok: false, message: (error as Error).stack ?? String(error) };
  port.postMessage(reply);
}
