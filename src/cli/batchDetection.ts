/**
 * A batch's photos decoded and their faces found a few photos ahead, in a worker thread (face/detectionWorker.ts),
 * while the main thread generates, pastes and writes the current one. Used when there are two photos or more, two
 * cores or more and the WASM backend (one single-threaded instance per thread); `MIMIC_DETECTION_WORKER=0` turns
 * it off. Where it is not used, or the worker itself breaks, each photo is detected in the main thread as before.
 */
import { availableParallelism } from 'node:os';
import { DetectionWorker, type DetectedPhoto } from '../face/detectionWorker.js';
import { isMimicError } from '../util/errors.js';
import type { BatchJob } from './batch.js';

/** How many photos the worker may be ahead of the main thread (each waits decoded in memory). */
const AHEAD = 2;

export interface BatchDetection {
  /**
   * The job's photo, decoded, with its faces; undefined when the main thread must detect it itself (no worker, or
   * the worker failed for a reason that is not the photo's). Rejects with the photo's own error (unreadable, not an
   * image) as decoding in the main thread would. Starts the next jobs' detection.
   */
  detected(job: BatchJob): Promise<DetectedPhoto | undefined>;
  close(): Promise<void>;
}

export function startBatchDetection(jobs: BatchJob[], backend: string): BatchDetection {
  const enabled =
    jobs.length >= 2 &&
    availableParallelism() >= 2 &&
    backend === 'wasm' &&
    process.env.MIMIC_DETECTION_WORKER !== '0';
  if (!enabled) return { detected: async () => undefined, close: async () => undefined };
  const worker = new DetectionWorker({ backend: 'wasm' });
  const started = new Map<BatchJob, Promise<DetectedPhoto>>();
  const start = (index: number): void => {
    const job = jobs[index];
    if (job === undefined || started.has(job)) return;
    const found = worker.detect(job.photo);
    found.catch(() => undefined); // reported when the job's turn comes
    started.set(job, found);
  };
  start(0);
  return {
    async detected(job) {
      const index = jobs.indexOf(job);
      for (let k = index; k <= index + AHEAD; k++) start(k);
      const found = started.get(job)!;
      started.delete(job);
      try {
        return await found;
      } catch (error) {
        if (isMimicError(error)) throw error;
        return undefined; // the worker broke: this thread detects
      }
    },
    close: () => worker.close(),
  };
}
