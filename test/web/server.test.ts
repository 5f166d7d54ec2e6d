/**
 * The `mimic serve` server: serves exactly its mounts (the app, the model folder, face-api weights, WASM binaries,
 * sample photos), refuses every way out of them, answers 404 to anything else, and listens on loopback only
 * unless told otherwise.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { editorMounts, WEB_APP_DIR } from '../../src/web/mounts.js';
import { startWebServer, type RunningWebServer } from '../../src/web/server.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';

interface Reply {
  status: number;
  type: string | undefined;
  csp: string | undefined;
  body: string;
}

/** A request with the path sent exactly as written (fetch would normalize "..", which is what we want to try). */
function rawGet(
  server: RunningWebServer,
  path: string,
  options: { method?: string; host?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? `127.0.0.1:${server.port}` },
      },
      (res) => {
        let body = '';
        res.setEncoding('latin1');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: res.headers['content-type'],
            csp: [res.headers['content-security-policy'] ?? ''].flat().join(', '),
            body,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const SECRET = 'top secret: must never be served';

describe('web server', () => {
  let cleanup: () => Promise<void>;
  let server: RunningWebServer;
  let root: string;

  before(async () => {
    const temp = await tempDir('mimic-web-');
    cleanup = temp.cleanup;
    root = temp.dir;
    const app = join(root, 'app');
    const model = join(root, 'model');
    await mkdir(join(app, 'assets'), { recursive: true });
    await mkdir(join(model, 'generator'), { recursive: true });
    await writeFile(join(app, 'index.html'), '<!doctype html><title>editor</title>');
    await writeFile(join(app, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(app, '.env'), SECRET);
    await writeFile(join(model, 'mimic-model.json'), '{"format":"mimic-model"}');
    await writeFile(join(model, 'generator', 'model.json'), '{}');
    await writeFile(join(model, 'notes.txt'), SECRET);
    await writeFile(join(root, 'secret.json'), SECRET);
    // A link inside a served folder that points out of it.
    await symlink(join(root, 'secret.json'), join(model, 'escape.json'));
    server = await startWebServer({ mounts: editorMounts({ appDir: app, modelDir: model }) });
  });

  after(async () => {
    await server?.close();
    await cleanup?.();
  });

  test('listens on 127.0.0.1 unless told otherwise', async () => {
    assert.equal(server.host, '127.0.0.1');
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const everywhere = await startWebServer({ mounts: [], host: '0.0.0.0' });
    try {
      assert.equal(everywhere.host, '0.0.0.0');
    } finally {
      await everywhere.close();
    }
  });

  test('serves the app, the model folder, face-api weights, WASM binaries and the sample photos', async () => {
    const index = await rawGet(server, '/');
    assert.equal(index.status, 200);
    assert.match(index.type ?? '', /text\/html/);
    assert.match(index.body, /editor/);
    // The browser is told to let the page talk to this server only.
    assert.match(index.csp ?? '', /default-src 'self'/);
    assert.match(index.csp ?? '', /connect-src 'self' blob: data:(;|$)/);
    assert.equal((await rawGet(server, '/assets/app.js')).status, 200);
    const manifest = await rawGet(server, '/model/mimic-model.json');
    assert.deepEqual([manifest.status, JSON.parse(manifest.body).format], [200, 'mimic-model']);
    assert.equal((await rawGet(server, '/model/generator/model.json')).status, 200);
    const weights = await rawGet(server, '/face-api/ssd_mobilenetv1_model-weights_manifest.json');
    assert.equal(weights.status, 200);
    const wasm = await rawGet(server, '/wasm/tfjs-backend-wasm-simd.wasm');
    assert.deepEqual([wasm.status, wasm.type], [200, 'application/wasm']);
    assert.equal(wasm.body.slice(0, 4), '\0asm');
    const photo = await rawGet(server, '/samples/canada-019f.jpg');
    assert.deepEqual([photo.status, photo.type], [200, 'image/jpeg']);
  });

  test('the model folder lists the files it serves (the page finds the optional ones without a 404)', async () => {
    const model = join(root, 'model');
    await writeFile(join(model, 'mouth-bank.png'), 'sprite');
    await writeFile(join(model, '.hidden.json'), SECRET);
    const listing = await rawGet(server, '/model/');
    assert.equal(listing.status, 200);
    assert.match(listing.type ?? '', /application\/json/);
    // Not notes.txt (not served), .hidden.json (hidden), escape.json (a link out of the folder) or generator/.
    assert.deepEqual(JSON.parse(listing.body), { files: ['mimic-model.json', 'mouth-bank.png'] });
    assert.equal((await rawGet(server, '/model/mouth-bank.png')).status, 200);
    // Other folders are not listed.
    assert.equal((await rawGet(server, '/model/generator/')).status, 404);
    assert.equal((await rawGet(server, '/samples/')).status, 404);
  });

  test('reachable from the network, it gzips the script and the WASM for browsers that accept it; not on loopback', async () => {
    const get = (port: number, path: string, acceptEncoding?: string) =>
      new Promise<{ encoding: string | undefined; vary: string | undefined; body: Buffer }>(
        (resolve, reject) => {
          const req = request(
            {
              host: '127.0.0.1',
              port,
              path,
              headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
            },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (chunk: Buffer) => chunks.push(chunk));
              res.on('end', () =>
                resolve({
                  encoding: res.headers['content-encoding'],
                  vary: res.headers.vary,
                  body: Buffer.concat(chunks),
                }),
              );
            },
          );
          req.on('error', reject);
          req.end();
        },
      );
    const wasmPath = '/wasm/tfjs-backend-wasm-simd.wasm';
    const wasmFile = await readFile(
      join(REPO_ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'),
    );
    const model = join(root, 'model');
    await writeFile(join(model, 'weights.bin'), Buffer.alloc(4000, 7));
    const network = await startWebServer({
      mounts: editorMounts({ appDir: join(root, 'app'), modelDir: model }),
      host: '0.0.0.0',
    });
    try {
      const zipped = await get(network.port, wasmPath, 'gzip, deflate, br');
      assert.equal(zipped.encoding, 'gzip');
      assert.equal(zipped.vary, 'accept-encoding');
      assert.ok(zipped.body.length < 0.5 * wasmFile.length, `${zipped.body.length} bytes gzipped`);
      assert.deepEqual(gunzipSync(zipped.body), wasmFile);
      assert.equal(
        gunzipSync((await get(network.port, '/assets/app.js', 'gzip')).body).toString(),
        'console.log(1)',
      );
      // A browser that does not accept gzip gets the file as it is.
      for (const accept of [undefined, 'identity', 'gzip;q=0, br']) {
        const plain = await get(network.port, wasmPath, accept);
        assert.equal(plain.encoding, undefined, `Accept-Encoding ${accept}`);
        assert.deepEqual(plain.body, wasmFile);
      }
      // Weights and photos go as they are.
      assert.equal((await get(network.port, '/model/weights.bin', 'gzip')).encoding, undefined);
      assert.equal((await get(network.port, '/samples/canada-019f.jpg', 'gzip')).encoding, undefined);
    } finally {
      await network.close();
    }
    // On loopback (the default) nothing is compressed.
    assert.equal((await get(server.port, wasmPath, 'gzip')).encoding, undefined);
  });

  test('path traversal is refused however it is spelled', async () => {
    const attempts = [
      '/../secret.json',
      '/model/../../secret.json',
      '/model/%2e%2e/%2e%2e/secret.json',
      '/model/..%2f..%2fsecret.json',
      '/model/%2E%2E%2F%2E%2E%2Fsecret.json',
      '/%2e%2e%5csecret.json',
      '/model/..\\..\\secret.json',
      '/model/%252e%252e/secret.json',
      '/model/escape.json',
      '/model/notes.txt',
      '/.env',
      '/%2eenv',
      '/model/%00/../secret.json',
      '/wasm/../../package.json',
      '/wasm/tf-backend-wasm.js',
      '/samples/../../package.json',
      '/face-api/../package.json',
      '//etc/passwd',
      '/model//../../secret.json',
    ];
    for (const path of attempts) {
      const reply = await rawGet(server, path);
      assert.ok([400, 404].includes(reply.status), `${path} answered ${reply.status}`);
      assert.ok(!reply.body.includes(SECRET), `${path} leaked the secret`);
      assert.ok(!reply.body.includes('"name": "mimic"'), `${path} leaked package.json`);
      assert.ok(!reply.body.includes('root:'), `${path} leaked /etc/passwd`);
    }
  });

  test('unknown routes are 404, other methods 405, foreign Host names 403', async () => {
    assert.equal((await rawGet(server, '/nope')).status, 404);
    assert.equal((await rawGet(server, '/api/generate')).status, 404);
    // The bare model prefix lists its files (tested above); other folders have no listing.
    assert.equal((await rawGet(server, '/face-api/')).status, 404);
    assert.equal((await rawGet(server, '/model/missing.json')).status, 404);
    assert.equal((await rawGet(server, '/', { method: 'POST' })).status, 405);
    assert.equal((await rawGet(server, '/', { method: 'PUT' })).status, 405);
    // A DNS-rebinding page reaches a loopback server under its own name: refused.
    assert.equal((await rawGet(server, '/', { host: 'attacker.example:80' })).status, 403);
    assert.equal((await rawGet(server, '/', { host: `localhost:${server.port}` })).status, 200);
  });
});

describe('mimic serve', () => {
  test('prints a loopback address that serves the page, and stops on SIGINT', async (t) => {
    if (!existsSync(join(WEB_APP_DIR, 'index.html'))) {
      assert.fail(`the web app is not built (${WEB_APP_DIR}); run npm run build:web`);
    }
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO_ROOT, 'src/cli/run-dev.ts'),
        'serve',
        '--port',
        '0',
        '--model',
        REPO_ROOT,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    t.after(() => child.kill('SIGKILL'));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const match = /http:\/\/[^\s]+\//.exec(out);
        if (match) resolve(match[0]);
      });
      child.on('close', (code) => reject(new Error(`mimic serve exited with ${code}`)));
    });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Mimic/);
    const code = await new Promise<number | null>((resolve) => {
      child.on('close', resolve);
      child.kill('SIGINT');
    });
    assert.equal(code, 0);
  });

  test('refuses a bad port with a one-line message', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'src/cli/run-dev.ts'), 'serve', '--port', 'abc'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 2);
    assert.equal(stderr.trim(), 'mimic serve: --port must be an integer from 0 to 65535 (got "abc")');
  });
});
