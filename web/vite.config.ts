/**
 * Builds the web editor (web/) into dist/web-app/, which `mimic serve` publishes.
 *
 * The page imports the project's pure modules from src/ (alignment, landmarks, presets, edits, paste, key-frame
 * interpolation) instead of keeping copies. A few of those modules also import Node-only helpers (sharp for
 * resizing, node:fs for reading and writing files) for the CLI's sake; here those imports are redirected to
 * browser versions under web/src/shims, so one implementation serves both the CLI and the page.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const webDir = dirname(fileURLToPath(import.meta.url));
const repoDir = resolve(webDir, '..');
const shim = (name: string): string => resolve(webDir, 'src/shims', name);

/** Node-only module (absolute path without extension, or a bare specifier) → its browser shim. */
const SHIMS: Record<string, string> = {
  [resolve(repoDir, 'src/image/io')]: shim('imageIo.ts'),
  [resolve(repoDir, 'src/util/atomic')]: shim('atomic.ts'),
  'node:fs/promises': shim('fsPromises.ts'),
};

function nodeShims(): Plugin {
  return {
    name: 'mimic-node-shims',
    enforce: 'pre',
    resolveId(source, importer) {
      const bare = SHIMS[source];
      if (bare !== undefined) return bare;
      if (importer === undefined || !source.startsWith('.')) return null;
      const target = resolve(dirname(importer), source).replace(/\.(js|ts)$/, '');
      return SHIMS[target] ?? null;
    },
  };
}

export default defineConfig({
  root: webDir,
  base: './',
  plugins: [nodeShims()],
  build: {
    outDir: resolve(repoDir, 'dist/web-app'),
    emptyOutDir: true,
    // TF.js and face-api are large by nature; the page loads once from localhost.
    chunkSizeWarningLimit: 4000,
    sourcemap: true,
  },
  server: { fs: { allow: [repoDir] } },
});
