// Detection in a worker thread (a batch's photos, src/face/detectionWorker.ts) finds what detection in this thread
// finds, bit for bit, and reports a photo it cannot read the way decoding here does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { detectFaces } from '../../src/face/detect.js';
import { DetectionWorker } from '../../src/face/detectionWorker.js';
import { decodeImage } from '../../src/image/io.js';
import { isMimicError } from '../../src/util/errors.js';
import { sample, tempDir } from '../helpers/paths.js';

test('the worker decodes and detects as this thread does: the same pixels, boxes, scores and landmarks', async () => {
  const worker = new DetectionWorker({ backend: 'wasm' });
  try {
    const photos = [sample('canada-019f.jpg'), sample('astronaut.png'), sample('composite-f_easian.jpg')];
    // asked all at once, as a batch asks ahead: answered each for its own photo
    const fromWorker = await Promise.all(photos.map((photo) => worker.detect(photo)));
    for (const [k, path] of photos.entries()) {
      const photo = await decodeImage(path);
      const faces = await detectFaces(photo);
      const found = fromWorker[k]!;
      assert.equal(found.photo.width, photo.width);
      assert.equal(found.photo.height, photo.height);
      assert.ok(Buffer.from(found.photo.data).equals(Buffer.from(photo.data)), `${path}: the same pixels`);
      assert.ok(faces.length > 0, `${path}: a face is found`);
      assert.deepEqual(found.faces, faces, `${path}: the same faces, exactly`);
    }
  } finally {
    await worker.close();
  }
});

test("a photo the worker cannot read fails with decoding's own message; the next photo is still found", async () => {
  const { dir, cleanup } = await tempDir();
  const worker = new DetectionWorker({ backend: 'wasm' });
  try {
    const broken = join(dir, 'broken.jpg');
    await writeFile(broken, 'not a photo');
    const here = await decodeImage(broken).then(
      () => assert.fail('decoded a text file'),
      (error: unknown) => error as Error,
    );
    const [failed, next] = await Promise.allSettled([
      worker.detect(broken),
      worker.detect(sample('cc0-lisa1.jpg')),
    ]);
    assert.equal(failed.status, 'rejected');
    const error = (failed as PromiseRejectedResult).reason as Error;
    assert.ok(isMimicError(error), 'a MimicError: the batch prints it without a stack');
    assert.equal(error.message, here.message);
    assert.equal(next.status, 'fulfilled');
    assert.ok((next as PromiseFulfilledResult<{ faces: unknown[] }>).value.faces.length > 0);
  } finally {
    await worker.close();
    await cleanup();
  }
});

test('after close, a request fails instead of waiting for ever', async () => {
  const worker = new DetectionWorker({ backend: 'wasm' });
  await worker.close();
  await assert.rejects(worker.detect(sample('cc0-lisa1.jpg')), /closed/);
});
