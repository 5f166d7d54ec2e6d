/**
 * Entry point of the `mimic` command: dispatches to the command modules and turns every error into a one-line
 * message with a non-zero exit code (see errorReport.ts).
 */
import { createRequire } from 'node:module';
import { installCliErrorHandlers, printError } from './errorReport.js';
import { nearestOption } from './optionHint.js';
import { commands, type CommandEntry } from './registry.js';

/** The package's version (package.json two folders up, from src/cli and from dist/cli alike). */
function version(): string {
  const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
  return pkg.version;
}

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
  if (name === '--version' || name === '-v' || name === 'version') {
    console.log(`mimic ${version()}`);
    return 0;
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
    if (
      error instanceof TypeError &&
      (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    ) {
      const typed = /'(-[^']*)'/.exec(error.message)?.[1];
      const near = typed === undefined ? undefined : nearestOption(typed, command.usage);
      console.error(
        typed === undefined
          ? `mimic ${command.name}: ${error.message}\n\n${command.usage}`
          : `mimic ${command.name}: unknown option ${typed}${near ? ` (did you mean ${near}?)` : ''}; \`mimic ${command.name} --help\` lists the options`,
      );
      return 2;
    }
    if ((error as NodeJS.ErrnoException | undefined)?.code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`mimic ${command.name}: ${(error as Error).message}`);
      return 2;
    }
    return printError(error, `mimic ${command.name}`);
  }
}

/** Runs the CLI as a process: one-line reports also for errors thrown outside main's await chain. */
export async function runAsProcess(argv: string[]): Promise<void> {
  installCliErrorHandlers();
  process.exitCode = await main(argv);
}
