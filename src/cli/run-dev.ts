/** Runs the CLI straight from the TypeScript sources (development): node --import tsx src/cli/run-dev.ts <cmd> … */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
