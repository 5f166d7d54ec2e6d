/** What a user sees for `--version`, a mistyped option and a bare `mimic presets`: one line each, a hint, exit codes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { editDistance, nearestOption } from '../../src/cli/optionHint.js';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

test('mimic --version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  const result = await runCli(['--version']);
  assert.equal(result.code, 0);
  assert.equal(result.stdout.trim(), `mimic ${version}`);
});

test('a mistyped option names the nearest real one, in one line, exit 2', async () => {
  const result = await runCli(['transfer', 'photo.jpg', '--expresion', 'sad']);
  assert.equal(result.code, 2);
  const lines = result.stderr
    .trim()
    .split('\n')
    .filter((l) => !l.includes('src/ is newer than dist/'));
  assert.deepEqual(lines, [
    'mimic transfer: unknown option --expresion (did you mean --expression?); `mimic transfer --help` lists the options',
  ]);
  const bare = await runCli(['presets']);
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /`mimic presets --list` lists the presets/);
});

test('nearestOption: within two edits, or nothing', () => {
  assert.equal(editDistance('--expresion', '--expression'), 1);
  const usage = 'Usage: … --expression NAME --intensity T --out FILE --out-dir DIR';
  assert.equal(nearestOption('--expresion', usage), '--expression');
  assert.equal(nearestOption('--outdir', usage), '--out-dir');
  assert.equal(nearestOption('--colour', usage), undefined);
});
