/** Runs the CLI straight from the TypeScript sources (development): node --import tsx src/cli/run-dev.ts <cmd> … */
import { runAsProcess } from './main.js';

await runAsProcess(process.argv.slice(2));
