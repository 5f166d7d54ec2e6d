import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { commands } from '../../src/cli/registry.js';
import { REPO_ROOT, sample, tempDir } from '../helpers/paths.js';

test('the registry lists every command with the summary its module gives', async () => {
  for (const entry of commands) {
    const command = await entry.load();
    assert.equal(command.name, entry.name);
    assert.equal(command.summary, entry.summary, entry.name);
  }
});

/** The npm packages a CLI run loaded (see test/helpers/loadedPackages.ts). */
function loadedPackages(args: string[]): Promise<{ code: number; packages: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'test/helpers/loadedPackages.ts'), ...args],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const last = stdout.trim().split('\n').pop() ?? '';
      resolve(JSON.parse(last) as { code: number; packages: string[] });
    });
  });
}

test('mimic --help loads none of the heavy packages (TF.js, face-api, sharp, the video encoder)', async () => {
  const { code, packages } = await loadedPackages(['--help']);
  assert.equal(code, 0);
  for (const heavy of [
    '@tensorflow/tfjs',
    '@tensorflow/tfjs-core',
    '@vladmandic/face-api',
    'sharp',
    'h264-mp4-encoder',
  ])
    assert.ok(!packages.includes(heavy), `--help loaded ${heavy}`);
});

test('mimic landmarks loads face-api but not the video or GIF encoders', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { code, packages } = await loadedPackages([
      'landmarks',
      sample('canada-019f.jpg'),
      '--out',
      join(dir, 'overlay.png'),
    ]);
    assert.equal(code, 0);
    assert.ok(packages.includes('@vladmandic/face-api'), packages.join(' '));
    for (const unused of ['h264-mp4-encoder', 'gifenc', 'delaunator'])
      assert.ok(!packages.includes(unused), `landmarks loaded ${unused}`);
  } finally {
    await cleanup();
  }
});
