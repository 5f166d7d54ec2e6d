/**
 * A model folder seen through one function that reads a file of it, so the same loading code runs on the Node
 * file system (nodeModelFolder in src/model/io.ts) and over HTTP in the web page (fetchModelFolder below).
 *
 * Every file of a model folder is read through readModelFile: a check of what is read (sizes, checksums) belongs
 * there and then covers the CLI, the library, the evaluation and the page at once.
 */
import { MimicError } from '../util/errors.js';

export interface ModelFolder {
  /** Where a file of the folder is (a path or URL), for messages. */
  where(path: string): string;
  /**
   * The bytes of a file, by its '/'-separated path inside the folder, or undefined when the file does not exist.
   * Rejects when it exists but cannot be read.
   */
  read(path: string): Promise<Uint8Array | undefined>;
}

/** Exit code of a model that cannot be loaded (src/util/errors.ts). */
const MODEL_EXIT_CODE = 3;

/** A file of the folder, or undefined when it does not exist (the one place model files are read). */
export async function readOptionalModelFile(
  folder: ModelFolder,
  path: string,
): Promise<Uint8Array | undefined> {
  try {
    return await folder.read(path);
  } catch (error) {
    throw new MimicError(`${folder.where(path)}: unreadable (${(error as Error).message})`, MODEL_EXIT_CODE);
  }
}

/** A file of the folder; a missing one is a MimicError naming it. */
export async function readModelFile(folder: ModelFolder, path: string): Promise<Uint8Array> {
  const bytes = await readOptionalModelFile(folder, path);
  if (bytes === undefined) throw new MimicError(`${folder.where(path)}: missing`, MODEL_EXIT_CODE);
  return bytes;
}

/** UTF-8 JSON bytes → a value; invalid JSON is a MimicError naming the file. */
export function parseJsonFile(bytes: Uint8Array, where: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch (error) {
    throw new MimicError(`${where}: not valid JSON (${(error as Error).message})`, MODEL_EXIT_CODE);
  }
}

/** A model folder served over HTTP under `baseUrl` (ending in '/'); a 404 is a missing file. */
export function fetchModelFolder(baseUrl: string, fetchFile: typeof fetch = fetch): ModelFolder {
  const urlOf = (path: string): string => new URL(path, baseUrl).href;
  return {
    where: (path) => new URL(urlOf(path)).pathname,
    async read(path) {
      const response = await fetchFile(urlOf(path));
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
