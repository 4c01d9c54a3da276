import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { warehousePaths } from '../paths.js';
import { silentLogger, type Logger } from '../log.js';
import { systemClock } from '../clock.js';
import { interruptedReplaces } from './interruptedReplace.js';
import { WarehouseLock } from './WarehouseLock.js';

/**
 * Dates of the complete snapshots of a warehouse's lake (both files present), oldest first. A
 * `--replace` cut short by a crash is ended first (under the warehouse lock, which finishes it), so
 * no caller ever sees the lake with that snapshot missing; while another process holds the lock
 * the replace is in progress, not interrupted, and this exits 3.
 */
export function publishedSnapshots(warehouse: string, logger: Logger = silentLogger()): string[] {
  const paths = warehousePaths(warehouse);
  const { snapshots } = paths;
  if (interruptedReplaces(paths).length > 0) WarehouseLock.acquire(paths.lock, 'recover', logger, systemClock).release();
  if (!existsSync(snapshots)) return [];
  return readdirSync(snapshots)
    .filter((n) => /^snapshot=\d{4}-\d{2}-\d{2}$/.test(n) && existsSync(join(snapshots, n, 'models.parquet')) && existsSync(join(snapshots, n, 'manifest.json')))
    .map((n) => n.slice('snapshot='.length))
    .sort();
}
