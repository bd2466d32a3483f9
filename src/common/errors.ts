/**
 * One error family for the whole project. Every error has a stable `code` (for programs) and a message that says
 * what was wrong and what to do about it (for people). CLI exit codes are derived from `exitCode`.
 */
export class SweReviewError extends Error {
  readonly code: string;
  /** Process exit code the CLI uses when this error ends a command. 3 = bad input or configuration. */
  readonly exitCode: number;

  constructor(code: string, message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Bad input: a file, flag, configuration value or dataset row that cannot be used as given. */
export class InputError extends SweReviewError {
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: 3 });
  }
}

/** The message of anything thrown: an `Error`'s message, anything else as a string. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
