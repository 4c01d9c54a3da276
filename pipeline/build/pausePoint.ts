import { existsSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A named point where a build can be held, for tests that must kill or observe it at an exact
 * moment instead of racing a timer. Unset in production: HUBTRENDS_TEST_PAUSE_AT names the
 * point, HUBTRENDS_TEST_PAUSE_FILE a file the build creates on arrival (holding its pid) and
 * waits for someone to delete.
 */
export async function pausePoint(name: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const at = env.HUBTRENDS_TEST_PAUSE_AT;
  const file = env.HUBTRENDS_TEST_PAUSE_FILE;
  if (!at || !file || at !== name) return;
  writeFileSync(file, `${process.pid}\n`);
  while (existsSync(file)) await sleep(20);
}
