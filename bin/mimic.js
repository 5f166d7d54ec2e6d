#!/usr/bin/env node
// The `mimic` command. Runs the compiled CLI from dist/ (built by `npm install` through the prepare script).
import { existsSync, readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('mimic: dist/ is missing; run `npm install` (or `npm run build`) in the project folder first.');
  process.exit(2);
}

/** Newest modification time of the .ts files under `dir` (0 when there is no such folder). */
function newestSource(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (item.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

// In a checkout, sources edited after the last build would otherwise run (and be measured) as the old code.
const built = statSync(fileURLToPath(entry)).mtimeMs;
if (newestSource(fileURLToPath(new URL('../src', import.meta.url))) > built)
  console.error('mimic: warning: src/ is newer than dist/; run `npm run build` to use the current sources.');

// Node 22.1 and later keep V8's compiled code of the modules in a cache on disk (in the system's temporary folder)
// and reuse it on the next start, instead of compiling TF.js's and face-api's bundles again every time: about 60 ms
// of CPU at each command's start on Node 22 (README, "Speed"). TypeScript's tsc does the same. Node 20 has no such
// cache: nothing happens there. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache?.();

const { runAsProcess } = await import(entry.href);
await runAsProcess(process.argv.slice(2));
