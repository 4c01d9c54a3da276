import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root, found by walking up to package.json: the same code runs from
 * `pipeline/` under vitest and from `dist/pipeline/` once compiled.
 */
function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'sql'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`package root not found above ${start}`);
    dir = up;
  }
}

export const packageRoot: string = findRoot(dirname(fileURLToPath(import.meta.url)));
export const sqlDir: string = join(packageRoot, 'sql');
export const shippedRegistryDir: string = join(packageRoot, 'warehouse', 'registry');

/** Folders of a warehouse (DESIGN §2, §4). */
export interface WarehousePaths {
  readonly root: string;
  readonly lake: string;
  readonly snapshots: string;
  readonly staging: string;
  readonly registry: string;
  readonly database: string;
  /** Per-period downloads as immutable Parquet, one file per period, read through the database's view. */
  readonly periodDownloads: string;
  readonly lock: string;
}

export function warehousePaths(root: string): WarehousePaths {
  const abs = resolve(root);
  return {
    root: abs,
    lake: join(abs, 'lake'),
    snapshots: join(abs, 'lake', 'snapshots'),
    staging: join(abs, 'lake', '.staging'),
    registry: join(abs, 'registry'),
    database: join(abs, 'hubtrends.duckdb'),
    periodDownloads: join(abs, 'period_downloads'),
    lock: join(abs, '.lock'),
  };
}

export function snapshotDir(paths: WarehousePaths, date: string): string {
  return join(paths.snapshots, `snapshot=${date}`);
}

/** Folder of an imported download series (`import --format timeseries`). */
export function seriesDir(paths: WarehousePaths, series: string): string {
  return join(paths.lake, 'series', `series=${series}`);
}
