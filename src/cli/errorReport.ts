/**
 * Turns any error that reaches the top of the CLI into one line and an exit code. User errors (MimicError) carry
 * their own message and code; a file-system error that escaped a command names its path and code; anything else is
 * a bug, reported as one line with a hint to rerun with MIMIC_DEBUG=1 for the stack (never a dump of code).
 */
import { isMimicError } from '../util/errors.js';

/** Exit code for an unexpected error (a bug in Mimic or a dependency). */
export const INTERNAL_ERROR_EXIT = 1;
/** Exit code for a file-system error that no command turned into a message (disk full, permissions, I/O). */
export const FILE_SYSTEM_EXIT = 3;

const MAX_LINE = 300;

/** The first line of a message, cut to a readable length. */
export function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line;
}

export function debugEnabled(): boolean {
  const flag = process.env.MIMIC_DEBUG;
  return flag !== undefined && flag !== '' && flag !== '0';
}

export interface ErrorReport {
  /** What to print (may hold several lines only for usage errors that append the usage text). */
  message: string;
  exitCode: number;
}

export function reportError(error: unknown, prefix: string): ErrorReport {
  if (isMimicError(error)) return { message: `${prefix}: ${error.message}`, exitCode: error.exitCode };
  const errno = error as NodeJS.ErrnoException | undefined;
  if (errno && typeof errno.code === 'string' && /^E[A-Z]+$/.test(errno.code) && errno.path !== undefined)
    return {
      message: `${prefix}: ${errno.syscall === 'open' || errno.syscall === undefined ? 'cannot use' : `cannot ${errno.syscall}`} ${errno.path}: ${errno.code}`,
      exitCode: FILE_SYSTEM_EXIT,
    };
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    message: `${prefix}: unexpected error: ${firstLine(text)} (this is a bug; rerun with MIMIC_DEBUG=1 to see the stack)`,
    exitCode: INTERNAL_ERROR_EXIT,
  };
}

/** Prints the report (and, with MIMIC_DEBUG=1, the stack) on stderr; returns the exit code. */
export function printError(error: unknown, prefix: string): number {
  const { message, exitCode } = reportError(error, prefix);
  console.error(message);
  if (debugEnabled() && error instanceof Error && error.stack) console.error(error.stack);
  return exitCode;
}

/**
 * For the CLI process only (never the library): errors thrown outside `main`'s own await chain (a timer, a stream
 * callback) are reported the same way instead of Node's stack dump.
 */
export function installCliErrorHandlers(): void {
  const fail = (error: unknown): void => {
    process.exitCode = printError(error, 'mimic');
    process.exit();
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
}
