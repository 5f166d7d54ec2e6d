/**
 * The local server behind `mimic serve`: node:http only, GET/HEAD only, files from a fixed list of folders.
 *
 * Everything the page needs comes from here (the built app, the Mimic model folder, face-api's weights, the
 * TF.js WASM binaries, the bundled sample photos), so the page works with no network and no photo ever leaves
 * the machine: detection and generation run in the page.
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { createGzip } from 'node:zlib';
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
  /**
   * The bare prefix answers with the names of the files it serves at its top level, as JSON { "files": [...] }:
   * the page learns which optional model files exist without asking for missing ones (each a 404 in the console).
   */
  listing?: boolean;
}

export interface WebServerOptions {
  mounts: Mount[];
  /** Interface to listen on. Loopback by default: the editor is a local tool. */
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Limits on clients; defaults in DEFAULT_LIMITS. */
  limits?: Partial<ServerLimits>;
  /**
   * Send the page's script, styles, JSON and WASM gzipped to browsers that accept it (COMPRESSED_EXTENSIONS). By
   * default only when the server is reachable from the network: over a real link the script and the WASM binary
   * arrive in a third of the bytes, while on loopback bytes cost nothing and compressing costs the machine's cores,
   * which the page's start waits on.
   */
  compress?: boolean;
}

/**
 * What one client may take of the server. The page makes a few dozen GET requests at load time and streams
 * files of at most tens of megabytes, so these are far from what it needs and close to what a stuck or hostile
 * client gets.
 */
export interface ServerLimits {
  /** Simultaneous connections; more wait in the listen queue of the kernel. */
  maxConnections: number;
  /** The request line and headers must arrive within this. */
  headersTimeoutMs: number;
  /** The whole request must arrive within this (a GET has no body; a slow one is cut off). */
  requestTimeoutMs: number;
  /** A connection with no traffic for this long (a client that stopped reading) is closed. */
  idleTimeoutMs: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxConnections: 64,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  idleTimeoutMs: 30_000,
};

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

/** Interfaces that only this machine reaches. */
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
/** The names a browser on this machine puts in the Host header for a loopback server. */
const LOOPBACK_HOST_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Whether the server listens on loopback only (so the Host guard applies). */
export function isLoopbackAddress(host: string): boolean {
  return LOOPBACK_ADDRESSES.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The Host headers a loopback server answers: exactly a loopback name with the server's port (without it only on
 * port 80, where browsers leave it out). Anything else, "127.0.0.1.evil.com:8765" included, is refused.
 */
export function allowedHostHeaders(port: number, boundHost = DEFAULT_HOST): Set<string> {
  const names = new Set([...LOOPBACK_HOST_NAMES, boundHost.includes(':') ? `[${boundHost}]` : boundHost]);
  const allowed = new Set([...names].map((name) => `${name}:${port}`));
  if (port === 80) for (const name of names) allowed.add(name);
  return allowed;
}

/** Headers every response carries, errors included. */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  // The page is the only client; never let a shared cache keep the user's model.
  'cache-control': 'no-store',
} as const;

/** Files never served even inside a mounted folder: source maps would hand out the whole app's source. */
const NEVER_SERVED = new Set(['.map']);

function send(
  res: ServerResponse,
  status: number,
  text: string,
  extraHeaders: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...extraHeaders,
  });
  res.end(text);
}

/** Whether the request announces a body (GET and HEAD requests of the page never have one). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The files worth gzipping: text and the WASM binary (the page's script 1.47 MB → 0.39 MB, the WASM backend 0.42 →
 * 0.14 MB). Not the networks' weights or the photos: float weights shrink by a tenth, which does not pay for the
 * time compressing them takes before the first byte, and JPEG and PNG are compressed already.
 */
const COMPRESSED_EXTENSIONS = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.svg',
  '.wasm',
  '.txt',
  '.map',
]);

/** Whether the request's Accept-Encoding allows gzip (listed, and not with q=0). */
function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

interface HandlerContext {
  compress: boolean;
  mounts: Mount[];
  /** Allowed Host headers, or undefined when the server is reachable from the network anyway. */
  allowedHosts: Set<string> | undefined;
}

/** Whether a mount serves a file of this name (by its extension). */
function servesName(mount: Mount, name: string): boolean {
  const extension = extname(name).toLowerCase();
  return (
    !NEVER_SERVED.has(extension) && (mount.extensions === undefined || mount.extensions.includes(extension))
  );
}

/** The files the mount would serve at its top level (Mount.listing): no folders, hidden names or other types. */
async function sendListing(req: IncomingMessage, res: ServerResponse, mount: Mount): Promise<void> {
  let names: string[];
  try {
    names = await readdir(mount.root);
  } catch {
    send(res, 404, 'not found\n');
    return;
  }
  const files: string[] = [];
  for (const name of names.sort())
    if (
      safeSegments(encodeURIComponent(name))?.length === 1 &&
      servesName(mount, name) &&
      (await resolveInside(mount.root, [name])) !== undefined
    )
      files.push(name);
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' });
  res.end(req.method === 'HEAD' ? undefined : JSON.stringify({ files }) + '\n');
}

async function handle(req: IncomingMessage, res: ServerResponse, options: HandlerContext): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'method not allowed\n', { allow: 'GET, HEAD', connection: 'close' });
    return;
  }
  // A body is never read: answer at once and close, instead of letting the client stream gigabytes into the socket.
  if (hasBody(req)) {
    send(res, 413, 'request bodies are not accepted\n', { connection: 'close' });
    return;
  }
  // A server on loopback answers only to loopback names: a web page elsewhere cannot reach it through a DNS name
  // that it rebinds to 127.0.0.1 (DNS rebinding) and read the model or the user's files through the browser.
  if (
    options.allowedHosts !== undefined &&
    !options.allowedHosts.has((req.headers.host ?? '').toLowerCase())
  ) {
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
  if (segments.length === 0 && mount.listing === true) {
    await sendListing(req, res, mount);
    return;
  }
  if (segments.length === 0 && mount.index !== undefined) segments.push(mount.index);
  const name = segments[segments.length - 1];
  if (name === undefined || !servesName(mount, name)) {
    send(res, 404, 'not found\n');
    return;
  }
  const file = await resolveInside(mount.root, segments);
  if (file === undefined) {
    send(res, 404, 'not found\n');
    return;
  }
  const compressible = options.compress && COMPRESSED_EXTENSIONS.has(extname(file).toLowerCase());
  const gzip = compressible && acceptsGzip(req);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': contentTypeOf(file),
    ...(compressible ? { vary: 'accept-encoding' } : {}),
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  if (!gzip) {
    stream.pipe(res);
    return;
  }
  // Streamed: compression overlaps the sending, and a file is never held whole in memory.
  const zipped = createGzip({ level: 6 });
  zipped.on('error', () => res.destroy());
  stream.pipe(zipped).pipe(res);
}

/** Starts listening; resolves once the port is bound. */
export function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const host = options.host ?? DEFAULT_HOST;
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  // Until the port is known (a loopback server knows its port once bound), no Host header is allowed.
  const context: HandlerContext = {
    compress: options.compress ?? !isLoopbackAddress(host),
    mounts: options.mounts,
    allowedHosts: isLoopbackAddress(host) ? new Set() : undefined,
  };
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node checks the two timeouts above only this often (30 s by default, which would stretch them).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, limits.headersTimeoutMs / 4)),
    },
    (req, res) => {
      handle(req, res, context).catch(() => {
        if (!res.headersSent) send(res, 500, 'internal error\n');
        else res.destroy();
      });
    },
  );
  server.maxConnections = limits.maxConnections;
  // Idle sockets (a client that stopped reading a response, or never sends a request) are destroyed.
  server.setTimeout(limits.idleTimeoutMs, (socket) => socket.destroy());
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      if (isLoopbackAddress(host)) context.allowedHosts = allowedHostHeaders(address.port, host);
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
