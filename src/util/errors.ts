/**
 * Errors a user can act on. The CLI prints `mimic: <message>` for these (no stack trace) and exits non-zero;
 * anything else is a bug and is printed with its stack.
 */
export class MimicError extends Error {
  /** Process exit code the CLI uses for this error. 2 = bad input or usage, 3 = missing/broken files. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'MimicError';
    this.exitCode = exitCode;
  }
}

export function isMimicError(error: unknown): error is MimicError {
  return error instanceof MimicError;
}
