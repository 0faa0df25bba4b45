/** Exit codes shared by every command, so scripts can tell outcomes apart. */
export const EXIT_OK = 0;
/** The input was bad (malformed/invalid wasm, failed spec commands, a failed compile). */
export const EXIT_FAILURE = 1;
/** The command line itself was wrong. */
export const EXIT_USAGE = 2;
/** A compiled program trapped (matches the runtime's `wasm trap:` exit status). */
export const EXIT_TRAP = 134;

/** Commands set this instead of calling process.exit, so buffered output is flushed. */
export interface CommandResult {
  exitCode: number;
}

/** A failure a command reports as one line (no stack trace) with the given exit code. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
