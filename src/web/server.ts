/**
 * The local server behind `mimic serve`: node:http only, GET/HEAD only, files from a fixed list of folders.
 *
 * Everything the page needs comes from here (the built app, the Mimic model folder, face-api's weights, the
 * TF.js WASM binaries, the bundled sample photos), so the page works with no network and no photo ever leaves
 * the machine: detection and generation run in the page.
 */
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { contentTypeOf, resolveInside, safeSegments } from './staticFiles.js';

/** One URL prefix served from one folder. */
export interface Mount {
  /** URL prefix, starting and ending with "/" ("/" = the app itself). */
  prefix: string;
  root: string;
  /** Only files with these extensions (lower case, with the dot) are served; undefined = any. */
  extensions?: readonly string[];
  /** Served for the bare prefix (e.g. index.html for "/"). */
  index?: string;
}

export interface WebServerOptions {
  mounts: Mount[];
  /** Interface to listen on. Loopback by default: the editor is a local tool. */
  host?: string;
  /** 0 = any free port. */
  port?: number;
}

export interface RunningWebServer {
  url: string;
  host: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';

/**
 * The browser itself enforces that the page talks to this server only: no script, fetch, image or style from
 * anywhere else, so a photo cannot leave the machine even through a bug. 'wasm-unsafe-eval' lets TF.js compile
 * its WASM backend; blob: and data: cover the downloads and canvases the page makes itself.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self' blob: data:",
  "img-src 'self' blob: data:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || host.startsWith('127.');
}

function send(
  res: ServerResponse,
  status: number,
  text: string,
  extraHeaders: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...extraHeaders,
  });
  res.end(text);
}

/** The Host header without its port ("[::1]:80" → "[::1]"). */
function hostName(header: string | undefined): string {
  if (header === undefined) return '';
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  return header.split(':')[0] ?? '';
}

async function handle(req: IncomingMessage, res: ServerResponse, options: WebServerOptions): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'method not allowed\n', { allow: 'GET, HEAD' });
    return;
  }
  // A server on loopback answers only to loopback names: a web page elsewhere cannot reach it through a DNS name
  // that it rebinds to 127.0.0.1 (DNS rebinding) and read the model or the user's files through the browser.
  if (isLoopback(options.host ?? DEFAULT_HOST) && !isLoopback(hostName(req.headers.host))) {
    send(res, 403, 'forbidden host\n');
    return;
  }
  const rawPath = (req.url ?? '/').split('?')[0]!.split('#')[0]!;
  // Longest prefix first so that "/model/" wins over "/".
  const mount = [...options.mounts]
    .sort((a, b) => b.prefix.length - a.prefix.length)
    .find((m) => rawPath.startsWith(m.prefix));
  if (mount === undefined) {
    send(res, 404, 'not found\n');
    return;
  }
  const segments = safeSegments(rawPath.slice(mount.prefix.length));
  if (segments === undefined) {
    send(res, 400, 'bad path\n');
    return;
  }
  if (segments.length === 0 && mount.index !== undefined) segments.push(mount.index);
  const name = segments[segments.length - 1];
  if (
    name === undefined ||
    (mount.extensions !== undefined && !mount.extensions.includes(extname(name).toLowerCase()))
  ) {
    send(res, 404, 'not found\n');
    return;
  }
  const file = await resolveInside(mount.root, segments);
  if (file === undefined) {
    send(res, 404, 'not found\n');
    return;
  }
  res.writeHead(200, {
    'content-type': contentTypeOf(file),
    // The page is the only client; never let a shared cache keep the user's model.
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': CONTENT_SECURITY_POLICY,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** Starts listening; resolves once the port is bound. */
export function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const host = options.host ?? DEFAULT_HOST;
  const server = createServer((req, res) => {
    handle(req, res, { ...options, host }).catch(() => {
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolvePromise({
        url: `http://${urlHost}:${address.port}/`,
        host: address.address,
        port: address.port,
        server,
        close: () =>
          new Promise<void>((done, fail) => {
            server.closeAllConnections();
            server.close((error) => (error ? fail(error) : done()));
          }),
      });
    });
  });
}
