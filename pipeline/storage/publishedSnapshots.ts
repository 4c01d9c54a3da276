import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { warehousePaths } from '../paths.js';

/** Dates of the complete snapshots of a warehouse's lake (both files present), oldest first. */
export function publishedSnapshots(warehouse: string): string[] {
  const { snapshots } = warehousePaths(warehouse);
  if (!existsSync(snapshots)) return [];
  return readdirSync(snapshots)
    .filter((n) => /^snapshot=\d{4}-\d{2}-\d{2}$/.test(n) && existsSync(join(snapshots, n, 'models.parquet')) && existsSync(join(snapshots, n, 'manifest.json')))
    .map((n) => n.slice('snapshot='.length))
    .sort();
}
