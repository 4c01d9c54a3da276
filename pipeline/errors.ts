/**
 * Typed errors. Each carries the process exit code of DESIGN §9, so the CLI's single
 * top-level catch can map any failure to the contract without knowing where it came from.
 */
export class HubtrendsError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad usage or bad input: the message names the value and what was expected. Exit 2. */
export class UsageError extends HubtrendsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 2, options);
  }
}

/** Another run holds the warehouse lock. Exit 3. */
export class LockedError extends HubtrendsError {
  constructor(message: string) {
    super(message, 3);
  }
}

/** The hub failed after all retries, or answered in a way we must not follow. Exit 4. */
export class HubError extends HubtrendsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 4, options);
  }
}

/** Stopped by SIGINT or SIGTERM at a safe point; the work can be resumed by running it again. Exit 130. */
export class InterruptedError extends HubtrendsError {
  constructor(message: string) {
    super(message, 130);
  }
}

export function exitCodeOf(err: unknown): number {
  return err instanceof HubtrendsError ? err.exitCode : 1;
}
