import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import { snapshotDir, type WarehousePaths } from '../paths.js';
import { fsyncPath } from './durable.js';

/**
 * Dates whose `--replace` publish was cut between its renames: the old snapshot still sits in
 * `lake/.staging/snapshot=DATE/replaced`, aside from the lake.
 */
export function interruptedReplaces(paths: WarehousePaths): string[] {
  if (!existsSync(paths.staging)) return [];
  return readdirSync(paths.staging)
    .filter((n) => /^snapshot=\d{4}-\d{2}-\d{2}$/.test(n) && existsSync(join(paths.staging, n, 'replaced')))
    .map((n) => n.slice('snapshot='.length))
    .sort();
}

/**
 * Bring every interrupted replace to an end, so no command ever runs on a lake with a snapshot
 * missing. The caller must hold the warehouse lock. When the new snapshot was complete (both files
 * written before the swap began) the replace is finished; otherwise the old snapshot is put back.
 * Returns what was done per date.
 */
export function finishInterruptedReplaces(paths: WarehousePaths, logger: Logger): { snapshot: string; outcome: 'finished' | 'rolled back' | 'cleaned' }[] {
  const done: { snapshot: string; outcome: 'finished' | 'rolled back' | 'cleaned' }[] = [];
  for (const date of interruptedReplaces(paths)) {
    const stage = join(paths.staging, `snapshot=${date}`);
    const old = join(stage, 'replaced');
    const out = join(stage, 'out');
    const target = snapshotDir(paths, date);
    let outcome: 'finished' | 'rolled back' | 'cleaned';
    if (existsSync(target)) {
      outcome = 'cleaned'; // the swap was done; only the old copy was left behind
    } else if (existsSync(join(out, 'models.parquet')) && existsSync(join(out, 'manifest.json'))) {
      renameSync(out, target);
      outcome = 'finished';
    } else {
      renameSync(old, target);
      outcome = 'rolled back';
    }
    fsyncPath(paths.snapshots);
    // The staged pages were published (or belong to a replace that cannot go on): drop them all.
    rmSync(stage, { recursive: true, force: true });
    logger.warn({ snapshot: date, outcome }, outcome === 'rolled back' ? 'an interrupted --replace was rolled back: the old snapshot is in place again' : 'an interrupted --replace was finished');
    done.push({ snapshot: date, outcome });
  }
  return done;
}
