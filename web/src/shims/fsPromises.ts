/** Browser stand-in for node:fs/promises: the page fetches files over HTTP instead of reading them. */
export async function readFile(): Promise<never> {
  throw new Error('reading files is not available in the browser');
}
