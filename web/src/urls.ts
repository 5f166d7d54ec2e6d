/** Where the page finds its files on the `mimic serve` server (src/web/mounts.ts publishes the same prefixes). */
export const URLS = {
  modelFolder: 'model/',
  faceApiModels: 'face-api/',
  wasm: 'wasm/',
  sample: 'samples/canada-019f.jpg',
} as const;

/** Absolute URL of a server path, relative to the page (the app may be served under any prefix). */
export function urlOf(path: string): string {
  return new URL(path, document.baseURI).href;
}
