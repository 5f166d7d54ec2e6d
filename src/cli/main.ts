/**
 * Entry point of the `mimic` command: dispatches to the command modules and turns user errors (MimicError)
 * into one-line messages with a non-zero exit code.
 */
import { isMimicError } from '../util/errors.js';
import { commands, type CommandEntry } from './registry.js';

function helpText(list: CommandEntry[]): string {
  const width = Math.max(...list.map((c) => c.name.length));
  const lines = list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: mimic <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`mimic <command> --help\` for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(helpText(commands));
    return name === undefined ? 2 : 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (entry === undefined) {
    console.error(`mimic: unknown command "${name}"\n\n${helpText(commands)}`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (isMimicError(error)) {
      console.error(`mimic ${command.name}: ${error.message}`);
      return error.exitCode;
    }
    if (
      error instanceof TypeError &&
      (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    ) {
      console.error(`mimic ${command.name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    if ((error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`mimic ${command.name}: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
}
