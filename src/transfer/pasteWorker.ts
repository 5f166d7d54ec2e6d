/**
 * An animation's frames pasted by two threads at once: this one and a worker thread. The paste is plain JavaScript,
 * most of an animation's time after start-up, and one thread uses one core.
 *
 * The worker is started before the frames exist (PasteHelper.start, at the start of the animation), so that loading
 * its modules overlaps the detection and the generation here. Once the frames are generated, both threads take the
 * next frame from one shared counter (Atomics.add on a SharedArrayBuffer) until none is left: a worker that is slow
 * to start, or slowed by a busy machine, simply takes fewer frames, and none is waited for that this thread could have
 * pasted. The worker runs the very same pasteInMode on the same inputs (structured clones), so its frames are byte for
 * byte this thread's (test/transfer/pasteWorker.test.ts). Only the "warp" paste goes there: the other modes scale
 * images with sharp, which stays in this thread.
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

/** What the worker is sent once the frames exist. */
export interface PasteWorkerTask {
  shared: SharedPasteInput;
  frames: FrameToPaste[];
  /** One Int32: the index of the next frame to paste, taken with Atomics.add by either thread. */
  next: SharedArrayBuffer;
}

export type PasteWorkerReply =
  | { kind: 'ready' }
  | { kind: 'frame'; index: number; frame: RgbImage }
  | { kind: 'done' }
  | { kind: 'failed'; message: string };

function fromSources(): boolean {
  return import.meta.url.endsWith('.ts');
}

/** pasteWorkerMain next to this file: compiled, or the TypeScript source under tsx (see detectionWorker.ts). */
function spawnWorker(): Worker {
  if (!fromSources()) return new Worker(new URL('./pasteWorkerMain.js', import.meta.url));
  const entry = new URL('./pasteWorkerMain.ts', import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap =
    `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })` +
    `.catch((error) => { setImmediate(() => { throw error; }); });`;
  return new Worker(bootstrap, { eval: true });
}

/** Takes the next frame index from the shared counter (the same rule in both threads). */
export function claimFrame(next: Int32Array): number {
  return Atomics.add(next, 0, 1);
}

export class PasteHelper {
  /** Resolves when the worker has loaded its modules and waits for the frames (false: it failed to start). */
  readonly ready: Promise<boolean>;

  private constructor(private readonly worker: Worker) {
    this.ready = new Promise((resolve) => {
      const onMessage = (reply: PasteWorkerReply): void => {
        if (reply.kind === 'ready') resolve(true);
      };
      worker.on('message', onMessage);
      worker.once('exit', () => resolve(false));
    });
  }

  /** Starts the worker thread now; it waits for paste() and must be stopped with stop() on every path. */
  static start(): PasteHelper {
    const worker = spawnWorker();
    // A worker that fails to start is not an error of the animation: this thread pastes every frame then.
    worker.on('error', () => undefined);
    return new PasteHelper(worker);
  }

  /**
   * The frames pasted by both threads, in order: `pasteHere(k)` pastes frame k in this thread. Should the worker fail
   * (not a frame's fault: this thread pastes the same frames), this thread pastes the frames it had taken.
   */
  async paste(
    shared: SharedPasteInput,
    frames: FrameToPaste[],
    pasteHere: (index: number) => Promise<RgbImage>,
  ): Promise<RgbImage[]> {
    const next = new Int32Array(new SharedArrayBuffer(4));
    const theirs = new Map<number, RgbImage>();
    const finished = new Promise<void>((resolve) => {
      const settle = (): void => {
        this.worker.off('message', onMessage);
        this.worker.off('exit', settle);
        this.worker.off('error', settle);
        resolve();
      };
      const onMessage = (reply: PasteWorkerReply): void => {
        if (reply.kind === 'frame') theirs.set(reply.index, reply.frame);
        else if (reply.kind !== 'ready') settle();
      };
      this.worker.on('message', onMessage);
      this.worker.once('exit', settle);
      this.worker.once('error', settle);
    });
    const task: PasteWorkerTask = { shared, frames, next: next.buffer as SharedArrayBuffer };
    this.worker.postMessage(task);
    const pasted = new Array<RgbImage | undefined>(frames.length);
    for (let k = claimFrame(next); k < frames.length; k = claimFrame(next)) pasted[k] = await pasteHere(k);
    // Every frame is taken now; those not pasted here are the worker's, posted as it finishes them.
    if (pasted.includes(undefined)) await finished;
    const out: RgbImage[] = [];
    for (let k = 0; k < frames.length; k++) out.push(pasted[k] ?? theirs.get(k) ?? (await pasteHere(k)));
    return out;
  }

  /** Ends the worker thread (whatever it was doing). */
  stop(): void {
    void this.worker.terminate();
  }
}
