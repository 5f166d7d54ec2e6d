/**
 * Runs the CLI's main() in this process with the arguments given on the command line, then prints (as JSON on the
 * last line of stdout) the npm packages whose CommonJS files were loaded: TF.js, face-api, sharp and the video
 * encoder are CommonJS, so Node's module cache tells which of them a command pulled in.
 *   node --import tsx test/helpers/loadedPackages.ts --help
 */
import { createRequire } from 'node:module';
import { main } from '../../src/cli/main.js';

const code = await main(process.argv.slice(2));
const require = createRequire(import.meta.url);
const packages = new Set<string>();
for (const file of Object.keys(require.cache)) {
  const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
  if (match) packages.add(match[1]!.replace('\\', '/'));
}
console.log(JSON.stringify({ code, packages: [...packages].sort() }));
