import { inspectRegistry } from '../build/registry.js';

export interface CheckResult {
  readonly dir: string;
  /** `file:line: reason`, in file order: malformed rows, duplicates, aliases that loop. */
  readonly problems: string[];
  readonly orgs: number;
  readonly aliases: number;
  readonly families: number;
}

/**
 * `hubtrends registry check`: every problem build would refuse, all at once rather than the
 * first only (build stops at the first). The command exits 2 when there is any.
 */
export function registryCheck(registryDir: string): CheckResult {
  const { registry, problems } = inspectRegistry(registryDir);
  return { dir: registryDir, problems, orgs: registry.orgs.length, aliases: registry.aliases.length, families: registry.families.length };
}
