/**
 * The fetch the page hands to the model loader (tf.loadLayersModel's fetchFunc) and to face-api: a missing or
 * refused file fails with its name and HTTP status, instead of reaching the weight parser, which would then
 * complain about byte lengths or tensor sizes ("tensor should have 864 values but has 9").
 */
export class FileLoadError extends Error {}

/** The path of `url` relative to the page's folder (e.g. "model/generator/weights.bin"). */
export function pageRelativePath(url: string): string {
  const base = new URL('.', document.baseURI).pathname;
  const path = new URL(url, document.baseURI).pathname;
  return path.startsWith(base) ? path.slice(base.length) : path;
}

export async function checkedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  let response: Response;
  try {
    response = await fetch(input, init);
  } catch (error) {
    throw new FileLoadError(`${pageRelativePath(url)}: ${(error as Error).message}`);
  }
  if (!response.ok)
    throw new FileLoadError(
      `${pageRelativePath(url)}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
    );
  return response;
}
