// `mimic train` refuses bad input with one clear line and a non-zero exit code, before any training starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/paths.js';

test('usage errors: missing --data, --fold with --all, a broken config, a folder that is no data set', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const noData = await runCli(['train', '--out', join(dir, 'run')]);
    assert.equal(noData.code, 2);
    assert.match(noData.stderr, /^mimic train: --data is required/);

    const both = await runCli(['train', '--data', dir, '--out', join(dir, 'run'), '--fold', '1', '--all']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /choose either --fold or --all/);

    const config = join(dir, 'bad.json');
    await writeFile(config, JSON.stringify({ generatorChannels: [8, 8] }));
    const bad = await runCli(['train', '--data', dir, '--out', join(dir, 'run'), '--config', config]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /model config: generatorChannels must be four positive integers/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');

    const notCache = await runCli(['train', '--data', dir, '--out', join(dir, 'run')]);
    assert.equal(notCache.code, 3);
    assert.match(notCache.stderr, /not a prepared data set/);
  } finally {
    await cleanup();
  }
});
