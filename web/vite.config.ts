/**
 * Builds the web editor (web/) into dist/web-app/, which `mimic serve` publishes.
 *
 * The page imports the project's platform-neutral modules from src/ (alignment, landmarks, the model loader and
 * generator, presets, edits, paste, key-frame interpolation, the GIF writer) instead of keeping copies; file access
 * and image scaling are passed into them, so no Node module reaches the bundle (test/architecture checks it).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webDir = dirname(fileURLToPath(import.meta.url));
const repoDir = resolve(webDir, '..');
export default defineConfig({
  root: webDir,
  base: './',
  build: {
    outDir: resolve(repoDir, 'dist/web-app'),
    emptyOutDir: true,
    // TF.js and face-api are large by nature; the page loads once from localhost.
    chunkSizeWarningLimit: 4000,
    sourcemap: true,
  },
  resolve: {
    // The shared modules load TF.js through src/engine/tfjs.cts, a CommonJS module for Node's sake (see there); the
    // page takes the ES module in its place.
    alias: [
      {
        find: /^(?:\.\.?\/)+(?:engine\/)?tfjs\.cjs$/,
        replacement: resolve(repoDir, 'src/engine/tfjsPage.ts'),
      },
    ],
  },
  server: { fs: { allow: [repoDir] } },
});
