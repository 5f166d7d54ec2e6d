/**
 * A CLI command: one module per command under src/cli/commands/, registered in src/cli/registry.ts.
 * Argument parsing uses node's util.parseArgs (strict: unknown flags are errors).
 */
export interface CliCommand {
  name: string;
  /** One line for `mimic --help`. */
  summary: string;
  /** Full usage text for `mimic <name> --help`. */
  usage: string;
  /** Runs the command; returns the exit code. Throw MimicError for user errors. */
  run(argv: string[]): Promise<number>;
}
