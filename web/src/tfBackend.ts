/**
 * Starts TF.js in the page: WebGL when the browser has a hardware GL, else WASM (binaries from the local server),
 * else the pure-JS cpu backend. `?backend=wasm|webgl|cpu` forces one (for comparing and for tests).
 *
 * A software GL (SwiftShader, llvmpipe: what Chromium falls back to without a GPU) runs the generator about ten
 * times slower than WASM (bench/webEditor.ts: 194 vs 21 ms per face), so "auto" skips WebGL there.
 * setBackend('webgl') can also succeed and the first real kernel still fail, so each candidate must run a small
 * computation correctly before it is kept.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from '../../src/engine/registerKernels.js';
import { urlOf, URLS } from './urls.js';

export type PageBackend = 'webgl' | 'wasm' | 'cpu';
const ORDER: PageBackend[] = ['webgl', 'wasm', 'cpu'];

export interface StartedBackend {
  name: PageBackend;
  /** Why WebGL was passed over in auto mode, when it was. */
  skippedWebGl?: string;
}

/** The GL renderer's name, or undefined when the browser has no WebGL at all. */
export function webGlRenderer(): string | undefined {
  const gl = document.createElement('canvas').getContext('webgl');
  if (gl === null) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return String(name);
}

export function isSoftwareRenderer(renderer: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software/i.test(renderer);
}

async function works(name: PageBackend): Promise<boolean> {
  try {
    if (!(await tf.setBackend(name))) return false;
    await tf.ready();
    // The engine's WASM transposed convolution (src/engine/wasm) instead of the stock scalar loop.
    if (name === 'wasm') registerWasmKernels();
    const result = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.eye(2)).add(1));
    const values = await result.data();
    result.dispose();
    return values[0] === 2 && values[3] === 5;
  } catch {
    return false;
  }
}

/** Starts the first backend that works. `wanted` (from ?backend=) narrows the list to one. */
export async function startBackend(wanted?: string | null): Promise<StartedBackend> {
  setWasmPaths(urlOf(URLS.wasm));
  if (ORDER.includes(wanted as PageBackend)) {
    const name = wanted as PageBackend;
    if (await works(name)) return { name };
    throw new Error(`the ${name} backend does not work in this browser`);
  }
  let skippedWebGl: string | undefined;
  const renderer = webGlRenderer();
  if (renderer !== undefined && isSoftwareRenderer(renderer)) skippedWebGl = `software GL (${renderer})`;
  for (const name of ORDER) {
    if (name === 'webgl' && skippedWebGl !== undefined) continue;
    if (await works(name)) return { name, skippedWebGl };
  }
  throw new Error(`no TF.js backend works in this browser (tried ${ORDER.join(', ')})`);
}
