/**
 * A named point where a test can freeze the process, to kill it at exactly that moment instead of
 * racing a timer. Only the environment variable `HUBTRENDS_PAUSE_AT` (set by tests, never by
 * users) turns it on: the process then says `paused at NAME` on stderr and blocks for good, so a
 * SIGKILL is the only way on.
 */
export function pauseAt(name: string): void {
  if (process.env.HUBTRENDS_PAUSE_AT !== name) return;
  process.stderr.write(`paused at ${name}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
