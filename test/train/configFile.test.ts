import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configFromFile, type ConfigFile } from '../../src/train/trainer.js';
import { REPO_ROOT } from '../helpers/paths.js';

test('training configs: the bundled ones load; a misspelt field is named, not trained around', async () => {
  const folder = join(REPO_ROOT, 'configs');
  for (const name of await readdir(folder)) {
    const file = JSON.parse(await readFile(join(folder, name), 'utf8')) as ConfigFile;
    assert.doesNotThrow(() => configFromFile(file), name);
  }
  assert.equal(configFromFile({ batchSize: 4 }).batchSize, 4);
  assert.throws(
    () => configFromFile({ batchSiz: 4 } as ConfigFile),
    /unknown field "batchSiz" \(the fields: .*batchSize/,
  );
  assert.throws(
    () => configFromFile({ lossWeights: { adversarial: 1, adverserial: 2 } } as ConfigFile),
    /unknown field "lossWeights\.adverserial" \(the fields of lossWeights: .*adversarial/,
  );
});
