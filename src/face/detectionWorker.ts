/**
 * Decoding and face detection in a worker thread, for batches of photos: while the main thread generates, pastes
 * and writes one photo, the worker decodes the next and runs face-api on it (its own TF.js WASM instance, which is
 * single-threaded: one thread, one core). Detection is about two thirds of a photo's time, so on two cores a batch
 * then goes about as fast as detection alone.
 *
 * The worker runs the same code as the main thread (decodeImage, detectFaces, on the same backend with the same
 * kernels), so what it finds is bit for bit what detection in the main thread finds
 * (test/face/detectionWorker.test.ts). Errors a user can act on come back as MimicErrors with their message.
 */
import { Worker } from 'node:worker_threads';
import type { BackendName } from '../engine/backend.js';
import type { RgbImage } from '../image/rgbImage.js';
import { MimicError } from '../util/errors.js';
import type { DetectedFace } from './detect.js';

/** A decoded photo and every face found in it (largest first). */
export interface DetectedPhoto {
  photo: RgbImage;
  faces: DetectedFace[];
}

/** What the worker answers a request with (detectionWorkerMain.ts). */
export type DetectionReply =
  | { id: number; ok: true; width: number; height: number; data: Uint8Array; faces: DetectedFace[] }
  | { id: number; ok: false; message: string; exitCode?: number };

export interface DetectionRequest {
  id: number;
  path: string;
}

export interface DetectionWorkerData {
  backend: BackendName;
}

function fromSources(): boolean {
  return import.meta.url.endsWith('.ts');
}

/**
 * Starts detectionWorkerMain next to this file: the compiled .js in dist/, or the .ts source under tsx (Node 20 does
 * not apply the parent's `--import tsx` hooks in worker threads; the same bootstrap as the training workers use).
 */
function spawnWorker(data: DetectionWorkerData): Worker {
  if (!fromSources())
    return new Worker(new URL('./detectionWorkerMain.js', import.meta.url), { workerData: data });
  const entry = new URL('./detectionWorkerMain.ts', import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap =
    `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })` +
    `.catch((error) => { setImmediate(() => { throw error; }); });`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

export class DetectionWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (r: DetectedPhoto) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;
  private failure: Error | undefined;

  constructor(options: { backend?: BackendName } = {}) {
    this.worker = spawnWorker({ backend: options.backend ?? 'auto' });
    this.worker.on('message', (reply: DetectionReply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (waiter === undefined) return;
      if (reply.ok)
        waiter.resolve({
          photo: { width: reply.width, height: reply.height, data: reply.data },
          faces: reply.faces,
        });
      else
        waiter.reject(
          reply.exitCode !== undefined
            ? new MimicError(reply.message, reply.exitCode)
            : new Error(`detection worker: ${reply.message}`),
        );
    });
    const failAll = (error: Error): void => {
      this.failure ??= error;
      for (const waiter of this.pending.values()) waiter.reject(this.failure);
      this.pending.clear();
    };
    this.worker.on('error', failAll);
    this.worker.on('exit', (code) => failAll(new Error(`detection worker exited (code ${code})`)));
  }

  /** Decodes the photo at `path` and finds its faces, in the worker. Requests are answered in order. */
  detect(path: string): Promise<DetectedPhoto> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, path } satisfies DetectionRequest);
    });
  }

  /** Stops the worker; requests still waiting fail. */
  async close(): Promise<void> {
    this.failure ??= new Error('detection worker closed');
    await this.worker.terminate();
  }
}
