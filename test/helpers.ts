import { cpSync, existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../pipeline/log.js';
import { systemClock } from '../pipeline/clock.js';
import { SnapshotStage } from '../pipeline/storage/SnapshotStage.js';
import { warehousePaths } from '../pipeline/paths.js';
import type { ModelRow } from '../pipeline/hub/modelRow.js';
import { Database } from '../pipeline/duckdb.js';
import { loadConfig, type Config } from '../pipeline/config.js';
import { build } from '../pipeline/build/build.js';

export const deps = { logger: silentLogger(), clock: systemClock };

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'hubtrends-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function configFor(warehouse: string, extra: Partial<Record<keyof Config, string | number>> = {}): Config {
  return loadConfig({ flags: { warehouse, reports: join(warehouse, '..', 'reports'), logLevel: 'silent', ...extra }, env: {}, cwd: warehouse });
}

/** Write a registry folder into a warehouse. */
export function writeRegistry(warehouse: string, orgs: string[], aliases: string[] = [], families: string[] = []): void {
  const dir = join(warehouse, 'registry');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'orgs.csv'), ['org,country,kind,source', ...orgs].join('\n') + '\n');
  writeFileSync(join(dir, 'aliases.csv'), ['from,to', ...aliases].join('\n') + '\n');
  writeFileSync(join(dir, 'families.csv'), ['family,pattern', ...families].join('\n') + '\n');
}

export function row(partial: Partial<ModelRow> & { model_id: string }): ModelRow {
  const slash = partial.model_id.indexOf('/');
  return {
    author: slash > 0 ? partial.model_id.slice(0, slash) : null,
    created_at: null,
    downloads_30d: null,
    downloads_all_time: null,
    likes: 0,
    pipeline_tag: null,
    library_name: null,
    tags: null,
    base_models: null,
    base_relation: null,
    ...partial,
  };
}

/** Publish a snapshot straight into the lake through the same staging path collect uses. */
export async function publishSnapshot(warehouse: string, date: string, rows: ModelRow[]): Promise<void> {
  const stage = SnapshotStage.open({
    paths: warehousePaths(warehouse),
    snapshot: date,
    job: { kind: 'test' },
    startedAt: `${date}T00:00:00.000Z`,
    replace: false,
    fresh: true,
    logger: deps.logger,
  });
  await stage.appendPage(rows, {}, null);
  await stage.publish({ source: { hub: 'test' }, finishedAt: `${date}T00:01:00.000Z`, minDownloads: null, sort: 'createdAt', replace: false });
}

/** Rows of a query against a built warehouse, opened read-only and closed again. */
export async function queryWarehouse<T = Record<string, unknown>>(warehouse: string, sql: string): Promise<T[]> {
  return Database.with(warehousePaths(warehouse).database, { readOnly: true }, (db) => db.rows<T>(sql));
}

/** Replace `copy` with the lake and registry of `warehouse`, built with --full: what incremental builds must equal. */
export async function fullBuildOfCopy(warehouse: string, copy: string): Promise<void> {
  rmSync(copy, { recursive: true, force: true });
  cpSync(warehousePaths(warehouse).lake, warehousePaths(copy).lake, { recursive: true });
  if (existsSync(warehousePaths(warehouse).registry)) cpSync(warehousePaths(warehouse).registry, warehousePaths(copy).registry, { recursive: true });
  await build(copy, { full: true }, deps);
}
