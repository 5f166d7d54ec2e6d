// encodeImage: a compact PNG (the mouth bank's sprite, which the page downloads) holds the same pixels in fewer bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeImage, encodeImage } from '../../src/image/io.js';
import { sample } from '../helpers/paths.js';

test('encodeImage: a compact PNG decodes to the same pixels as a plain one, in a smaller file', async () => {
  const photo = await decodeImage(sample('canada-019f.jpg'));
  const plain = await encodeImage(photo, 'png');
  const compact = await encodeImage(photo, 'png', { compact: true });
  assert.deepEqual((await decodeImage(compact)).data, photo.data);
  assert.deepEqual((await decodeImage(plain)).data, photo.data);
  assert.ok(compact.length < 0.9 * plain.length, `compact ${compact.length} bytes, plain ${plain.length}`);
});
