import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { sample, tempDir } from '../helpers/paths.js';

const PHOTO = sample('canada-019f.jpg');

/** One clear line on stderr, no stack trace, the given exit code, and no output file. */
function assertCleanFailure(
  result: { code: number | null; stderr: string },
  code: number,
  message: RegExp,
  out?: string,
): void {
  assert.equal(result.code, code, result.stderr);
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  if (out) assert.ok(!existsSync(out), `${out} must not exist`);
}

test('transfer: usage mistakes fail fast with one line and nothing written', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const out = join(dir, 'out.png');
    const emptyModel = join(dir, 'no-model');
    const run = (...args: string[]) => runCli(['transfer', PHOTO, '--model', emptyModel, ...args]);
    assertCleanFailure(await run('--expression', 'smile'), 2, /--out is required/);
    assertCleanFailure(await run('--out', out), 2, /a target is required/, out);
    assertCleanFailure(
      await run('--out', out, '--expression', 'smile', '--like', PHOTO),
      2,
      /choose one target, not --like and --expression/,
      out,
    );
    assertCleanFailure(
      await run('--out', out, '--expression', 'smile', '--intensity', '1.6'),
      2,
      /--intensity must be a number from 0 to 1\.5/,
      out,
    );
    assertCleanFailure(
      await run('--out', out, '--expression', 'surprise@2'),
      2,
      /--expression "surprise@2": intensity must be a number from 0 to 1\.5/,
      out,
    );
    assertCleanFailure(
      await run('--out', out, '--expression', 'surprise@0.5', '--intensity', '0.5'),
      2,
      /give the intensity once/,
      out,
    );
    assertCleanFailure(
      await run('--out', out, '--au', '12=2'),
      2,
      /action unit 12: intensity must be a number from 0 to 1\.5/,
      out,
    );
    assertCleanFailure(
      await run('--out', out, '--au', 'smile=1'),
      2,
      /unknown action unit "smile" \(known: 1, 2, 4/,
      out,
    );
    assertCleanFailure(await run('--out', out, '--au', '12:0.5'), 2, /"12:0\.5" must look like 12=0\.8/, out);
    assertCleanFailure(
      await run('--out', join(dir, 'out.bmp'), '--expression', 'smile'),
      2,
      /unsupported image extension/,
    );
    assertCleanFailure(await run('--out', out, '--edit', 'grin=+2'), 2, /unknown landmark edit "grin"/, out);
    assertCleanFailure(
      await run('--out', '/etc/passwd/out.png', '--expression', 'smile'),
      2,
      /cannot write \/etc\/passwd\/out\.png: \/etc\/passwd is not a folder/,
    );
    const wrongShape = join(dir, 'wrong.json');
    await writeFile(
      wrongShape,
      JSON.stringify({
        scheme: 'ibug68',
        space: 'normalized',
        imageSize: { width: 64, height: 64 },
        points: [[0, 0]],
      }),
    );
    assertCleanFailure(
      await run('--out', out, '--landmarks', wrongShape),
      2,
      /must hold 68 points \(got 1\)/,
      out,
    );
    assertCleanFailure(
      await run('--out', out, '--expression', 'smile'),
      3,
      /no model at .*mimic-model\.json is missing/,
      out,
    );
  } finally {
    await cleanup();
  }
});

test('animate: bad keys, edits and outputs are refused before any work', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const out = join(dir, 'anim.gif');
    const run = (...args: string[]) => runCli(['animate', PHOTO, '--model', join(dir, 'none'), ...args]);
    assertCleanFailure(await run('--keys', 'smile', '--out', out), 2, /at least two keys/, out);
    assertCleanFailure(
      await run('--keys', 'input,smile', '--out', join(dir, 'a.avi')),
      2,
      /unsupported animation extension/,
    );
    assertCleanFailure(
      await run('--keys', 'input,smile', '--out', out, '--edit', '2:brows=+1'),
      2,
      /there is no key 2 \(keys count from 0; 2 keys\)/,
      out,
    );
    assertCleanFailure(
      await run('--keys', 'input,smile@3', '--out', out),
      2,
      /intensity must be a number from 0 to 1\.5/,
      out,
    );
    assertCleanFailure(
      await run('--keys', 'input,surprise', '--out', out, '--au', '1:12=0.5,grin=1'),
      2,
      /unknown action unit "grin" \(known: 1, 2, 4/,
      out,
    );
    assertCleanFailure(
      await run('--keys', 'input,surprise', '--out', out, '--au', '3:12=0.5'),
      2,
      /--au "3:12=0\.5": there is no key 3/,
      out,
    );
    assertCleanFailure(
      await run('--keys', 'input,smile', '--out', out, '--frames', '0'),
      2,
      /--frames must be a whole number/,
      out,
    );
  } finally {
    await cleanup();
  }
});

// The early preset-name check (unknown names fail before face detection) must know the action-unit presets too,
// not only the data presets of presets.json: a merge once left `--expression surprise` refused as unknown.
test('transfer: an action-unit preset passes the early name check and writes the photo', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const out = join(dir, 'surprised.jpg');
    const result = await runCli(['transfer', PHOTO, '--expression', 'surprise@0.7', '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(out), 'the photo is written');
  } finally {
    await cleanup();
  }
});
