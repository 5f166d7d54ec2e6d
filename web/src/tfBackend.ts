/**
 * Starts TF.js in the page: WebGL when the browser can run it, else WASM (binaries from the local server), else the
 * pure-JS cpu backend. `?backend=wasm|webgl|cpu` forces one (for comparing and for tests).
 *
 * setBackend('webgl') can succeed and the first real kernel still fail (a blocklisted or software GL), so each
 * candidate must also run a small computation correctly before it is kept.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { urlOf, URLS } from './urls.js';

export type PageBackend = 'webgl' | 'wasm' | 'cpu';
const ORDER: PageBackend[] = ['webgl', 'wasm', 'cpu'];

async function works(name: PageBackend): Promise<boolean> {
  try {
    if (!(await tf.setBackend(name))) return false;
    await tf.ready();
    const result = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.eye(2)).add(1));
    const values = await result.data();
    result.dispose();
    return values[0] === 2 && values[3] === 5;
  } catch {
    return false;
  }
}

/** Starts the first backend that works; returns its name. `wanted` narrows the list to one. */
export async function startBackend(wanted?: string | null): Promise<PageBackend> {
  setWasmPaths(urlOf(URLS.wasm));
  const candidates = ORDER.includes(wanted as PageBackend) ? [wanted as PageBackend] : ORDER;
  for (const name of candidates) if (await works(name)) return name;
  throw new Error(`no TF.js backend works in this browser (tried ${candidates.join(', ')})`);
}
