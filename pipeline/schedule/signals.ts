import { constants } from 'node:os';
import type { Logger } from '../log.js';

export interface SignalStop {
  /** Aborted by the first SIGINT or SIGTERM; its reason names the signal. */
  readonly signal: AbortSignal;
  /** Remove the handlers (call when the command is done). */
  dispose(): void;
}

/**
 * Graceful stop for a long-running command: the first SIGINT or SIGTERM aborts the returned
 * signal (the scheduler stops, a crawl stops at a page boundary, the lock is released; `schedule`
 * then exits 0, `collect`, `import` and `run` exit 130 as resumable); a second one exits at once with 128 + the signal's number (130, 143), leaving
 * any staged crawl to be resumed and the lock to be taken over by the next run.
 */
export function stopOnSignals(logger: Logger, opts: { exit?: (code: number) => void; signals?: readonly NodeJS.Signals[] } = {}): SignalStop {
  const controller = new AbortController();
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const signals = opts.signals ?? (['SIGINT', 'SIGTERM'] as const);
  const handler = (sig: NodeJS.Signals): void => {
    if (!controller.signal.aborted) {
      logger.warn({ signal: sig }, 'stopping at the next safe point (a crawl at its next page boundary); send the signal again to exit at once');
      controller.abort(new Error(`stopped by ${sig}`));
      return;
    }
    logger.warn({ signal: sig }, 'second signal: exiting at once');
    exit(signalExitCode(sig));
  };
  for (const s of signals) process.on(s, handler);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const s of signals) process.off(s, handler);
    },
  };
}

/** A signal name's conventional exit status, 128 + its number (SIGINT 130, SIGTERM 143). */
function signalExitCode(sig: NodeJS.Signals): number {
  return 128 + (constants.signals[sig] ?? 0);
}
