/** Paths to the bundled photos and helpers for temporary folders, shared by tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SAMPLES = join(REPO_ROOT, 'assets', 'samples');
export const sample = (name: string): string => join(SAMPLES, name);

/** A fresh temporary folder, removed by the returned cleanup. */
export async function tempDir(
  prefix = 'mimic-test-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
