// The editor's server against hostile and broken clients: Host headers that only look like loopback (DNS
// rebinding), request bodies, clients that send slowly or never read, too many connections, and files that must
// never be served. Each answer must be the refusal, with the security headers, in bounded time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY, startWebServer, type RunningWebServer } from '../../src/web/server.js';
import { tempDir } from '../helpers/paths.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

function get(
  server: RunningWebServer,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method, headers, setHost: headers.host === undefined },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A raw connection; resolves with what the server sent and how long until it closed the connection. */
function rawExchange(
  server: RunningWebServer,
  send: (socket: Socket) => void,
  timeoutMs = 10_000,
): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(server.port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closedAfterMs: Date.now() - started });
    });
    socket.on('connect', () => send(socket));
  });
}

function assertSecurityHeaders(reply: Reply): void {
  assert.equal(reply.headers['x-content-type-options'], 'nosniff');
  assert.equal(reply.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
  assert.equal(reply.headers['cache-control'], 'no-store');
}

const { dir, cleanup } = await tempDir('mimic-robust-web-');
const app = join(dir, 'app');
const model = join(dir, 'model');
await mkdir(app);
await mkdir(model);
await writeFile(join(app, 'index.html'), '<!doctype html><title>t</title>');
await writeFile(join(app, 'app.js'), 'console.log(1)');
await writeFile(join(app, 'app.js.map'), '{"version":3,"sources":["secret.ts"]}');
await writeFile(join(model, 'mimic-model.json'), '{}');
await writeFile(join(model, 'weights.bin'), Buffer.alloc(32 * 1024 * 1024, 7)); // larger than any socket buffer
const mounts = [
  { prefix: '/', root: app, index: 'index.html' },
  { prefix: '/model/', root: model, extensions: ['.json', '.bin'] },
];
const server = await startWebServer({
  mounts,
  port: 0,
  limits: { headersTimeoutMs: 400, requestTimeoutMs: 600, idleTimeoutMs: 400, maxConnections: 50 },
});
test.after(async () => {
  await server.close();
  await cleanup();
});

test('Host headers: exactly a loopback name with the port, nothing that only starts like one', async (t) => {
  const p = server.port;
  const hostile = [
    `127.0.0.1.evil.com:${p}`,
    `127.0.0.1.evil.com`,
    `localhost.evil.com:${p}`,
    `127.evil.com:${p}`,
    `127.0.0.1:${p}.evil.com`,
    `127.0.0.1:${p}@evil.com`,
    `[::1].evil.com:${p}`,
    `[::1]evil:${p}`,
    `evil.com:${p}`,
    `0.0.0.0:${p}`,
    `127.0.0.1:${p + 1}`,
    `localhost:1`,
    `127.0.0.1`,
    `localhost`,
    `192.168.1.10:${p}`,
    ` `,
  ];
  for (const host of hostile)
    await t.test(`refused: "${host}"`, async () => {
      const reply = await get(server, '/model/mimic-model.json', { host });
      assert.equal(reply.status, 403);
      assertSecurityHeaders(reply);
    });
  for (const host of [`127.0.0.1:${p}`, `localhost:${p}`, `[::1]:${p}`, `LOCALHOST:${p}`])
    await t.test(`served: "${host}"`, async () => {
      assert.equal((await get(server, '/model/mimic-model.json', { host })).status, 200);
    });
});

test('error answers carry the security headers; source maps are never served', async (t) => {
  for (const [path, status] of [
    ['/app.js.map', 404],
    ['/APP.JS.MAP', 404],
    ['/nothing-here.js', 404],
    ['/model/../app/index.html', 400],
    ['/%2e%2e/etc/passwd', 400],
  ] as const)
    await t.test(`${path} → ${status}`, async () => {
      const reply = await get(server, path);
      assert.equal(reply.status, status);
      assertSecurityHeaders(reply);
    });
  await t.test('POST → 405', async () => {
    const reply = await get(server, '/', {}, 'POST');
    assert.equal(reply.status, 405);
    assertSecurityHeaders(reply);
  });
});

test('request bodies are refused at once and the connection closed, whatever size they announce', async (t) => {
  const host = `127.0.0.1:${server.port}`;
  await t.test('a GET announcing 10 GB', async () => {
    const { text, closedAfterMs } = await rawExchange(server, (s) =>
      s.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 10000000000\r\n\r\nxxxx`),
    );
    assert.match(text, /^HTTP\/1\.1 413 /);
    assert.match(text, /x-content-type-options: nosniff/i);
    assert.ok(closedAfterMs < 3000, `closed after ${closedAfterMs} ms`);
  });
  await t.test('a chunked body trickling in', async () => {
    const { text, closedAfterMs } = await rawExchange(server, (s) => {
      s.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n`);
      const trickle = setInterval(() => s.writable && s.write('1\r\nx\r\n'), 50);
      s.on('close', () => clearInterval(trickle));
    });
    assert.match(text, /^HTTP\/1\.1 413 /);
    assert.ok(closedAfterMs < 3000, `closed after ${closedAfterMs} ms`);
  });
  await t.test('a POST with a body', async () => {
    const { text } = await rawExchange(server, (s) =>
      s.write(`POST / HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 5\r\n\r\nhello`),
    );
    assert.match(text, /^HTTP\/1\.1 405 /);
  });
});

test('slow clients are cut off after the (here shortened) timeouts', async (t) => {
  const host = `127.0.0.1:${server.port}`;
  await t.test('headers that never finish', async () => {
    const { closedAfterMs } = await rawExchange(server, (s) =>
      s.write(`GET / HTTP/1.1\r\nHost: ${host}\r\n`),
    );
    assert.ok(closedAfterMs >= 300 && closedAfterMs < 5000, `closed after ${closedAfterMs} ms`);
  });
  await t.test('a connection that never sends anything', async () => {
    const { text, closedAfterMs } = await rawExchange(server, () => undefined);
    assert.equal(text.replace(/^HTTP\/1\.1 408 [^]*$/, ''), '', 'nothing but a timeout answer');
    assert.ok(closedAfterMs < 5000, `closed after ${closedAfterMs} ms`);
  });
  await t.test('a client that asks for a large file and never reads it', async () => {
    const started = Date.now();
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((r) => socket.on('connect', () => r()));
    socket.pause(); // never read: the server's writes stall once the socket buffers are full
    socket.write(`GET /model/weights.bin HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    const count = () => new Promise<number>((r) => server.server.getConnections((_, n) => r(n)));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await count(), 1, 'the request is being served');
    while ((await count()) > 0) {
      if (Date.now() - started > 8000) assert.fail('the server still holds the stalled connection after 8 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    socket.destroy();
  });
});

test('connections beyond the cap are closed at once; those within it are served', async () => {
  const capped = await startWebServer({ mounts, port: 0, limits: { maxConnections: 2 } });
  const sockets: Socket[] = [];
  try {
    for (let k = 0; k < 2; k++) {
      const s = connect(capped.port, '127.0.0.1');
      s.on('error', () => undefined);
      await new Promise<void>((r) => s.on('connect', () => r()));
      sockets.push(s);
    }
    await new Promise((r) => setTimeout(r, 100));
    const third = await rawExchange(
      capped,
      (s) => s.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${capped.port}\r\n\r\n`),
      5000,
    );
    assert.equal(third.text, '', 'the third connection gets no answer');
    assert.ok(third.closedAfterMs < 2000);
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await get(capped, '/')).status, 200, 'served again once the others left');
  } finally {
    sockets.forEach((s) => s.destroy());
    await capped.close();
  }
});
