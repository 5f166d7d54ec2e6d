/**
 * The worker-thread side of PasteHelper (pasteWorker.ts): waits for the frames, then pastes the next one from the
 * shared counter until none is left, posting each as it is done.
 */
import { parentPort } from 'node:worker_threads';
import { pasteInMode } from './pasteModes.js';
import { claimFrame, type PasteWorkerReply, type PasteWorkerTask } from './pasteWorker.js';

const port = parentPort;
if (port === null) throw new Error('pasteWorkerMain must run in a worker thread');

const noScaler = (): never => {
  throw new Error('the paste worker does only the "warp" paste, which scales nothing');
};

port.once('message', async ({ shared, frames, next }: PasteWorkerTask) => {
  const counter = new Int32Array(next);
  try {
    for (let k = claimFrame(counter); k < frames.length; k = claimFrame(counter)) {
      const frame = await pasteInMode('warp', { ...shared, ...frames[k]!, resize: noScaler });
      const reply: PasteWorkerReply = { kind: 'frame', index: k, frame };
      port.postMessage(reply, [frame.data.buffer as ArrayBuffer]);
    }
    port.postMessage({ kind: 'done' } satisfies PasteWorkerReply);
  } catch (error) {
    port.postMessage({
      kind: 'failed',
      message: (error as Error).stack ?? String(error),
    } satisfies PasteWorkerReply);
  }
});
port.postMessage({ kind: 'ready' } satisfies PasteWorkerReply);
