/**
 * TF.js for every module of Mimic: `import tf from '../engine/tfjs.cjs'`.
 *
 * Why not `import * as tf from '@tensorflow/tfjs'`: the package is CommonJS, and an ES import of it makes Node scan
 * the source of its bundle and of every bundle it re-exports (core, layers, converter, data, the backends: several
 * megabytes) for the names they export, before running them: 550–780 ms against 170–220 ms for `require`, on every
 * start of the CLI (face-api requires the same package anyway). This CommonJS module requires it and exports the
 * namespace whole; the assignment through a variable is what keeps Node from scanning further. The page's bundle
 * has no `require`: web/vite.config.ts points this module at tfjsPage.ts, an ES import of the same package.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a require is the point of this module (above)
import tf = require('@tensorflow/tfjs');
export = tf;
