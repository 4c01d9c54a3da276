import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database, readSql } from '../duckdb.js';
import { UsageError } from '../errors.js';
import { globLiteral } from '../globLiteral.js';
import { snapshotDir, type WarehousePaths } from '../paths.js';
import { snapshotSha256 } from '../storage/snapshotSha256.js';

/** Fields every snapshot's manifest.json must have (DESIGN §4); nothing can stand in for them. */
export const REQUIRED_FIELDS = ['snapshot', 'source'] as const;

/** Fields the build computes from `models.parquet` when a manifest lacks them. */
export const COMPUTED_FIELDS = ['sha256', 'rows', 'sum_downloads_30d', 'sum_downloads_all_time'] as const;

/** Optional fields and the JSON type each must have when present. */
const OPTIONAL_TYPES: Readonly<Record<string, 'string' | 'integer' | 'boolean' | 'object'>> = {
  started_at: 'string',
  finished_at: 'string',
  rows: 'integer',
  pages: 'integer',
  sum_downloads_30d: 'integer',
  sum_downloads_all_time: 'integer',
  sha256: 'string',
  version: 'string',
  skipped: 'object',
  duplicates_dropped: 'integer',
  min_downloads: 'integer',
  sort: 'string',
  synthetic: 'boolean',
};

function hasType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isSafeInteger(value);
  if (type === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
  return typeof value === type;
}

function refuse(file: string, field: string, problem: string): never {
  throw new UsageError(`${file}: ${problem}; write "${field}" into this manifest (DESIGN §4, warehouse/README.md "manifest.json"), or re-import the snapshot with "hubtrends import … --replace"`);
}

/** Check one manifest against the lake contract; returns it parsed. */
function checkedManifest(file: string, date: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON (${(err as Error).message}); fix the file, or re-import the snapshot with "hubtrends import … --replace"`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`${file}: expected a JSON object; fix the file, or re-import the snapshot with "hubtrends import … --replace"`);
  }
  const m = parsed as Record<string, unknown>;
  for (const field of REQUIRED_FIELDS) {
    if (m[field] === undefined || m[field] === null) refuse(file, field, `the required field "${field}" is missing`);
  }
  if (m.snapshot !== date) refuse(file, 'snapshot', `"snapshot" is ${JSON.stringify(m.snapshot)}, expected "${date}", the date of its folder`);
  for (const [field, type] of Object.entries(OPTIONAL_TYPES)) {
    const v = m[field];
    if (v !== undefined && v !== null && !hasType(v, type)) {
      throw new UsageError(`${file}: "${field}" is ${JSON.stringify(v)}, expected ${type === 'integer' ? 'a whole number' : `a JSON ${type}`} or no field at all; fix or remove it`);
    }
  }
  return m;
}

/**
 * The manifests of the published snapshots, checked and completed, written as NDJSON to `out`
 * for `sql/020_snapshots.sql`. A lake written by another tool may leave out every field but
 * `snapshot` and `source`: sha256 and the counter sums are computed from `models.parquet`, and
 * each row's `computed` lists what was, so the warehouse records it.
 */
export async function completeManifests(db: Database, paths: WarehousePaths, dates: readonly string[], out: string): Promise<{ computed: number }> {
  const summary = readSql('stage/parquet_summary.sql');
  const lines: string[] = [];
  let computed = 0;
  for (const date of dates) {
    const dir = snapshotDir(paths, date);
    const m = checkedManifest(join(dir, 'manifest.json'), date);
    const missing = COMPUTED_FIELDS.filter((f) => m[f] === undefined || m[f] === null);
    if (missing.includes('sha256')) m.sha256 = await snapshotSha256(paths, date, undefined);
    if (missing.some((f) => f !== 'sha256')) {
      await db.setVariable('parquet_path', globLiteral(join(dir, 'models.parquet')));
      const [s] = await db.rows<Record<string, string>>(summary);
      for (const f of missing) if (f !== 'sha256') m[f] = Number(s![f]);
    }
    if (missing.length > 0) computed++;
    lines.push(JSON.stringify({ ...m, computed: missing }));
  }
  writeFileSync(out, `${lines.join('\n')}\n`);
  return { computed };
}
