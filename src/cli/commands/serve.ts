/**
 * `mimic serve`: the web editor on a local server. Detection and generation run in the page, so the server only
 * hands out files; it stays up until the process is interrupted.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MODEL_MANIFEST } from '../../model/manifest.js';
import { MimicError } from '../../util/errors.js';
import { numberFromText } from '../../util/numbers.js';
import { DEFAULT_MODEL_DIR, DEFAULT_MODEL_FOLDER } from '../../transfer/defaultModel.js';
import { editorMounts, WEB_APP_DIR } from '../../web/mounts.js';
import { DEFAULT_HOST, isLoopbackAddress, startWebServer } from '../../web/server.js';
import type { CliCommand } from '../command.js';

const DEFAULT_PORT = 8765;

const usage = `Usage: mimic serve [--port P] [--host H] [--model DIR]

Starts the web editor on a local server and prints its address.

Options:
  --port P     port to listen on (default ${DEFAULT_PORT}; 0 = any free port)
  --host H     interface to bind (default ${DEFAULT_HOST}, this machine only; 0.0.0.0 exposes it to the network)
  --model DIR  Mimic model folder the page loads (default ${DEFAULT_MODEL_FOLDER})`;

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT;
  const port = numberFromText(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new MimicError(`--port must be an integer from 0 to 65535 (got "${text}")`);
  return port;
}

export const command: CliCommand = {
  name: 'serve',
  summary: 'start the web editor on a local server',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, host: { type: 'string' }, model: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    const port = parsePort(values.port);
    const host = values.host ?? DEFAULT_HOST;
    if (!existsSync(join(WEB_APP_DIR, 'index.html')))
      throw new MimicError(`the web app is not built (${WEB_APP_DIR} is missing): run npm run build:web`, 3);
    const modelDir = values.model === undefined ? DEFAULT_MODEL_DIR : resolve(values.model);
    if (!existsSync(join(modelDir, MODEL_MANIFEST)))
      console.warn(
        `mimic serve: no model at ${modelDir} (${MODEL_MANIFEST} missing); the page will say so. Pass --model DIR.`,
      );
    let running;
    try {
      running = await startWebServer({ mounts: editorMounts({ modelDir }), host, port });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE')
        throw new MimicError(`port ${port} is already in use; pick another with --port`);
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
        throw new MimicError(`cannot listen on ${host}: no such local address`);
      throw error;
    }
    console.log(`Mimic editor: ${running.url}  (model: ${modelDir}; Ctrl+C to stop)`);
    if (!isLoopbackAddress(host))
      console.warn(
        `mimic serve: warning: listening on ${host}, so anyone who can reach this machine over the network can open the editor and download the model (use the default --host ${DEFAULT_HOST} to keep it local)`,
      );
    await new Promise<void>((done) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void running.close().then(done, done);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  },
};
