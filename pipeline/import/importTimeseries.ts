import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { Database, readSql, sqlLiteral } from '../duckdb.js';
import { UsageError } from '../errors.js';
import { fsyncPath, writeFileDurable } from '../storage/durable.js';
import { manifestJson } from '../storage/manifest.js';
import { sha256File } from '../storage/sha256.js';
import type { Logger } from '../log.js';
import { seriesDir, warehousePaths } from '../paths.js';
import { VERSION } from '../version.js';
import { globLiteral } from '../globLiteral.js';
import { inputFiles } from './inputFiles.js';

/** `manifest.json` of an imported download series (`lake/series/series=NAME/`). */
export interface SeriesManifest {
  series: string;
  source: { files: { name: string; sha256: string }[]; format: 'timeseries' };
  started_at: string;
  finished_at: string;
  rows: number;
  periods: number;
  first_period_start: string | null;
  last_period_end: string | null;
  sum_downloads: number;
  sha256: string;
  version: string;
  duplicates_dropped: number;
}

export interface TimeseriesOptions {
  readonly files: readonly string[];
  /** Name of the series in the lake. Default: the first file's name without extension. */
  readonly series?: string;
  /** Columns by field: `id=…,period_start=…,period_end=…,downloads=…`. */
  readonly map?: string;
  readonly replace: boolean;
}

const FIELDS = ['id', 'period_start', 'period_end', 'downloads'] as const;
type Field = (typeof FIELDS)[number];
/** Header names each field is found under, compared lower-cased with only letters and digits. */
const DEFAULTS: Record<Field, readonly string[]> = {
  id: ['modelid', 'id', 'model', 'repoid', 'modelurl'],
  period_start: ['periodstart', 'start', 'weekstart', 'from', 'startdate'],
  period_end: ['periodend', 'end', 'weekend', 'to', 'enddate'],
  downloads: ['downloads', 'count', 'weeklydownloads'],
};
const SERIES_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

function parseMap(spec: string | undefined): Partial<Record<Field, string>> {
  const map: Partial<Record<Field, string>> = {};
  for (const part of (spec ?? '').split(',').filter((p) => p.trim() !== '')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, Math.max(0, eq)).trim() as Field;
    if (eq < 0 || !FIELDS.includes(key)) {
      throw new UsageError(`--map ${JSON.stringify(part)}: expected field=column with a field of ${FIELDS.join(', ')}`);
    }
    map[key] = part.slice(eq + 1).trim();
  }
  return map;
}

/**
 * `import --format timeseries`: per-model downloads per period, the long shape in which studies
 * publish download histories (`model_id, period_start, period_end, downloads`), read with DuckDB
 * (CSV or Parquet) and written as one series of the lake, atomically. `build` turns its rows into
 * period downloads flagged `imported`.
 */
export async function importTimeseries(config: Config, opts: TimeseriesOptions, deps: { logger: Logger; clock: Clock }): Promise<SeriesManifest> {
  const paths = warehousePaths(config.warehouse);
  const files = await inputFiles(opts.files, { extensions: ['.csv', '.tsv', '.csv.gz', '.tsv.gz', '.parquet'], folderDates: false, logger: deps.logger });
  if (files.length === 0) throw new UsageError('import: no .csv, .tsv or .parquet file among the names given');
  const series = opts.series ?? basename(files[0]!.path).replace(/\.(csv|tsv|parquet)(\.gz)?$/i, '');
  if (!SERIES_RE.test(series)) throw new UsageError(`--series: ${JSON.stringify(series)} is not a series name (letters, digits, . _ -)`);
  const target = seriesDir(paths, series);
  if (existsSync(target) && !opts.replace) throw new UsageError(`series ${series} already exists in ${paths.lake}; pass --replace to replace it`);
  const map = parseMap(opts.map);
  const startedAt = deps.clock.now().toISOString();
  const stage = join(paths.staging, `series=${series}`);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  try {
    const parquet = join(stage, 'periods.parquet');
    const summary = await Database.with(':memory:', { memoryLimit: '1GB', tempDirectory: join(stage, 'duckdb-tmp') }, async (db) => {
      await db.run('CREATE TEMP TABLE ts_raw (file_no INTEGER, row_no BIGINT, id VARCHAR, period_start VARCHAR, period_end VARCHAR, downloads VARCHAR)');
      for (const [k, file] of files.entries()) {
        const reader = file.path.endsWith('.parquet')
          ? `read_parquet(${sqlLiteral(globLiteral(file.path))})`
          : `read_csv(${sqlLiteral(globLiteral(file.path))}, header = true, all_varchar = true)`;
        let columns: string[];
        try {
          columns = (await db.rows<{ column_name: string }>(`DESCRIBE SELECT * FROM ${reader}`)).map((c) => c.column_name);
        } catch (err) {
          throw new UsageError(`${file.name}: unreadable (${(err as Error).message.split('\n')[0]})`);
        }
        const pick = (field: Field): string => {
          const named = map[field];
          const found = named !== undefined ? columns.find((c) => c === named || c.trim().toLowerCase() === named.toLowerCase()) : columns.find((c) => DEFAULTS[field].includes(squash(c)));
          if (found === undefined) {
            throw new UsageError(`${file.name}: no ${field} column${named ? ` named ${JSON.stringify(named)}` : ''} (columns: ${columns.join(', ')}); name it with --map ${field}=COLUMN`);
          }
          return `CAST(${JSON.stringify(found)} AS VARCHAR)`;
        };
        await db.run(
          `INSERT INTO ts_raw SELECT ${k}, row_number() OVER (), ${pick('id')}, ${pick('period_start')}, ${pick('period_end')}, ${pick('downloads')} FROM ${reader}`,
        ).catch((err: Error) => {
          throw new UsageError(`${file.name}: unreadable (${err.message.split('\n')[0]})`);
        });
      }
      const [bad] = await db.rows<{ file_no: number; row_no: string; reason: string }>(readSql('import/timeseries_checks.sql'));
      if (bad) {
        const file = files[Number(bad.file_no)]!;
        const line = Number(bad.row_no) + (file.path.endsWith('.parquet') ? 0 : 1);
        throw new UsageError(`${file.name}:${line}: ${bad.reason}`);
      }
      await db.run(readSql('import/timeseries_rows.sql'));
      await db.run(`COPY (FROM ts_rows ORDER BY period_end, period_start, model_id) TO ${sqlLiteral(parquet)} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 9)`);
      const [s] = await db.rows<{ raw: string; rows: string; periods: string; first: string | null; last: string | null; total: string | null }>(
        `SELECT (SELECT count(*) FROM ts_raw) AS raw, count(*) AS rows, count(DISTINCT (period_start, period_end)) AS periods,
                strftime(min(period_start), '%Y-%m-%d') AS first, strftime(max(period_end), '%Y-%m-%d') AS last, sum(downloads) AS total
         FROM read_parquet(${sqlLiteral(globLiteral(parquet))})`,
      );
      return s!;
    });
    if (Number(summary.rows) === 0) throw new UsageError(`${files.map((f) => f.name).join(', ')}: no rows to import`);
    const manifest: SeriesManifest = {
      series,
      source: { files: files.map((f) => ({ name: f.name, sha256: f.sha256 })), format: 'timeseries' },
      started_at: startedAt,
      finished_at: deps.clock.now().toISOString(),
      rows: Number(summary.rows),
      periods: Number(summary.periods),
      first_period_start: summary.first,
      last_period_end: summary.last,
      sum_downloads: Number(summary.total ?? 0),
      sha256: await sha256File(parquet),
      version: VERSION,
      duplicates_dropped: Number(summary.raw) - Number(summary.rows),
    };
    rmSync(join(stage, 'duckdb-tmp'), { recursive: true, force: true });
    writeFileDurable(join(stage, 'manifest.json'), manifestJson(manifest));
    mkdirSync(join(paths.lake, 'series'), { recursive: true });
    const old = `${stage}.replaced`;
    if (existsSync(target)) renameSync(target, old);
    renameSync(stage, target);
    fsyncPath(join(paths.lake, 'series'));
    rmSync(old, { recursive: true, force: true });
    deps.logger.info({ series, rows: manifest.rows, periods: manifest.periods, path: target }, 'series imported');
    return manifest;
  } catch (err) {
    rmSync(stage, { recursive: true, force: true });
    throw err;
  }
}
