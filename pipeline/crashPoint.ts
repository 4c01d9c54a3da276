/**
 * Named points where a test can kill the process for real (SIGKILL, no cleanup), to check what a
 * crash at that exact moment leaves behind. Set `HUBTRENDS_CRASH_AT=<name>` in a child process;
 * unset, this is a no-op. Deterministic where a timed kill would race.
 */
export function crashPoint(name: string): void {
  if (process.env.HUBTRENDS_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
