/** Every command of the `mimic` CLI, in the order `mimic --help` lists them. Add new command modules here. */
import type { CliCommand } from './command.js';

export const commands: CliCommand[] = [];
