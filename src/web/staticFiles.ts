/**
 * Maps a request path onto a file inside one folder, refusing anything that could leave it: `..` segments (also
 * percent-encoded), encoded slashes and backslashes, NUL bytes, hidden files, and symbolic links that point out of
 * the folder. The server only ever answers with files it was told to serve.
 */
import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The path segments of a URL path relative to a mount point, or undefined when the path is not acceptable.
 * `relative` is the raw (still percent-encoded) part after the mount prefix.
 */
export function safeSegments(relative: string): string[] | undefined {
  const raw = relative.split('/').filter((s) => s !== '');
  const segments: string[] = [];
  for (const encoded of raw) {
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return undefined;
    }
    // A decoded segment must be a plain file or folder name: no separators smuggled in as %2F or %5C, no NUL,
    // no "." or "..", and no hidden names (dotfiles are never part of what the server is meant to publish).
    if (segment.includes('/') || segment.includes('\\') || segment.includes('\0')) return undefined;
    if (segment.startsWith('.')) return undefined;
    segments.push(segment);
  }
  return segments;
}

/**
 * The real path of a regular file under `root` named by `segments`, or undefined when there is none or when it
 * resolves (through symbolic links) to somewhere outside `root`.
 */
export async function resolveInside(root: string, segments: string[]): Promise<string | undefined> {
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return undefined;
  }
  const candidate = join(realRoot, ...segments);
  if (candidate !== realRoot && !candidate.startsWith(realRoot + sep)) return undefined;
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return undefined;
  }
  if (real !== realRoot && !real.startsWith(realRoot + sep)) return undefined;
  try {
    const info = await stat(real);
    return info.isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}
