/**
 * The worker-thread side of DetectionWorker (detectionWorker.ts): starts its own TF.js backend and face-api, then
 * for each request decodes the photo and detects its faces. Decoding runs ahead (sharp works on its own threads);
 * detections run one after another, in the order asked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../engine/backend.js';
import { decodeImage } from '../image/io.js';
import { isMimicError } from '../util/errors.js';
import { detectFaces } from './detect.js';
import { getFaceApi } from './faceApi.js';
import type { DetectionReply, DetectionRequest, DetectionWorkerData } from './detectionWorker.js';

const port = parentPort;
if (port === null) throw new Error('detectionWorkerMain must run in a worker thread');
const { backend } = workerData as DetectionWorkerData;

const ready = (async () => {
  await initBackend({ backend });
  await getFaceApi(['detector', 'landmarks']);
})();
// Detections one at a time, in order (one WASM instance).
let queue: Promise<unknown> = ready;

port.on('message', ({ id, path }: DetectionRequest) => {
  const decoded = decodeImage(path, {}, path);
  decoded.catch(() => undefined); // reported in its turn, below, not as an unhandled rejection now
  const found = queue
    .catch(() => undefined)
    .then(async () => {
      const photo = await decoded;
      return { photo, faces: await detectFaces(photo) };
    });
  queue = found;
  found.then(
    ({ photo, faces }) => {
      // Transfer the pixels rather than copy them; a view into a larger (pooled) buffer is copied first.
      const whole = photo.data.byteOffset === 0 && photo.data.byteLength === photo.data.buffer.byteLength;
      const data = whole ? photo.data : photo.data.slice();
      const reply: DetectionReply = { id, ok: true, width: photo.width, height: photo.height, data, faces };
      port.postMessage(reply, [data.buffer as ArrayBuffer]);
    },
    (error: unknown) => {
      const reply: DetectionReply = isMimicError(error)
        ? { id, ok: false, message: error.message, exitCode: error.exitCode }
        : { id, ok: false, message: (error as Error).stack ?? String(error) };
      port.postMessage(reply);
    },
  );
});
