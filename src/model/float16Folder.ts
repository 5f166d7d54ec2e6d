/**
 * Rewrites networks of a model folder on disk with float16 weights (float16.ts): half the bytes, read by the same
 * loader. The folder is replaced whole and atomically, and its checksums are refreshed; the rest of its files are
 * copied as they are. scripts/model-float16.ts runs it and measures what it costs in generated faces.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDirAtomic } from '../util/atomic.js';
import { MimicError } from '../util/errors.js';
import { toFloat16 } from './float16.js';
import { LAYERS_MODEL_JSON, WEIGHTS_FILE, type LayersModelJson } from './inference.js';
import { manifestWithChecksums } from './io.js';
import { MODEL_MANIFEST } from './manifest.js';

/**
 * Stores the networks in the sub-folders `networks` of the model folder `dir` as float16. Returns the ones it
 * changed: a network already stored so is left as it is. Only folders as Mimic writes them (float32 weights in one
 * weights.bin) are converted; anything else is a MimicError and the folder stays untouched.
 */
export async function storeNetworksAsFloat16(dir: string, networks: string[]): Promise<string[]> {
  const changed: string[] = [];
  await writeDirAtomic(dir, async (tmp) => {
    await cp(dir, tmp, { recursive: true });
    for (const network of networks)
      if (await halveNetwork(join(tmp, network), join(dir, network))) changed.push(network);
    const manifestPath = join(tmp, MODEL_MANIFEST);
    const text = await manifestWithChecksums(await readFile(manifestPath, 'utf8'), (file) =>
      readFile(join(tmp, ...file.split('/'))),
    );
    await writeFile(manifestPath, text);
  });
  return changed;
}

/** Rewrites one network folder (`where` names it in messages); false when it is float16 already. */
async function halveNetwork(folder: string, where: string): Promise<boolean> {
  const json = JSON.parse(await readFile(join(folder, LAYERS_MODEL_JSON), 'utf8')) as LayersModelJson;
  const [group, ...others] = json.weightsManifest ?? [];
  const fail = (problem: string): never => {
    throw new MimicError(`${where}: ${problem}; not converted`, 3);
  };
  if (group === undefined || others.length > 0 || group.paths.length !== 1 || group.paths[0] !== WEIGHTS_FILE)
    return fail(`its weights are not one ${WEIGHTS_FILE} as Mimic writes them`);
  if (group.weights.some((spec) => spec.dtype !== 'float32'))
    return fail('it holds weights other than float32');
  if (group.weights.every((spec) => spec.quantization?.dtype === 'float16')) return false;
  if (group.weights.some((spec) => spec.quantization !== undefined))
    return fail('its weights are partly quantised');
  const bytes = await readFile(join(folder, WEIGHTS_FILE));
  const expected = group.weights.reduce((sum, spec) => sum + 4 * spec.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes.byteLength !== expected)
    return fail(`${bytes.byteLength} bytes of weights, expected ${expected}`);
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  for (const spec of group.weights) spec.quantization = { dtype: 'float16' };
  await writeFile(join(folder, WEIGHTS_FILE), toFloat16(floats));
  await writeFile(join(folder, LAYERS_MODEL_JSON), JSON.stringify(json));
  return true;
}
