/**
 * The page's stand-in for tfjs.cts (web/vite.config.ts resolves that module here): the bundler imports TF.js as an
 * ES module, and the shared modules get the same namespace as their default import.
 */
import * as tf from '@tensorflow/tfjs';
export default tf;
