/**
 * What `mimic serve` publishes, and where each part lives on disk. The app folder is the Vite build output
 * (`npm run build:web`); the other folders come from the package itself and its dependencies.
 */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL_DIR } from '../transfer/defaultModel.js';
import type { Mount } from './server.js';

const require = createRequire(import.meta.url);

/** The package root: this module sits two levels down (src/web or dist/web). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where `npm run build:web` writes the app. */
export const WEB_APP_DIR = join(PACKAGE_ROOT, 'dist', 'web-app');

export const SAMPLES_DIR = join(PACKAGE_ROOT, 'assets', 'samples');

function packageFolder(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** URL prefixes the page uses (web/src/urls.ts holds the same strings). */
export const URL_PREFIXES = {
  app: '/',
  model: '/model/',
  faceApi: '/face-api/',
  wasm: '/wasm/',
  samples: '/samples/',
} as const;

export interface MountFolders {
  appDir?: string;
  modelDir?: string;
}

export function editorMounts(folders: MountFolders = {}): Mount[] {
  return [
    { prefix: URL_PREFIXES.app, root: folders.appDir ?? WEB_APP_DIR, index: 'index.html' },
    {
      prefix: URL_PREFIXES.model,
      root: folders.modelDir ?? DEFAULT_MODEL_DIR,
      // .png: the mouth bank's sprite (mouth-bank.png).
      extensions: ['.json', '.bin', '.png'],
      // Which optional files (mouth bank, ratio images) the folder has (web/src/modelExtras.ts).
      listing: true,
    },
    {
      prefix: URL_PREFIXES.faceApi,
      root: join(packageFolder('@vladmandic/face-api'), 'model'),
      extensions: ['.json', '.bin'],
    },
    {
      prefix: URL_PREFIXES.wasm,
      root: join(packageFolder('@tensorflow/tfjs-backend-wasm'), 'dist'),
      extensions: ['.wasm'],
    },
    { prefix: URL_PREFIXES.samples, root: SAMPLES_DIR, extensions: ['.jpg', '.jpeg', '.png'] },
  ];
}
