import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { LockedError, UsageError } from '../errors.js';
import { warehousePaths } from '../paths.js';
import { sqlLiteral } from '../duckdb.js';

export { QUERY_FORMATS, type QueryFormat } from './formats.js';

export interface QueryResult {
  readonly columns: string[];
  readonly rows: Record<string, unknown>[];
  /** Each column's DuckDB type: the Arrow, Parquet and JSON outputs keep dates, decimals and JSON as what they are. */
  readonly types: DuckDBType[];
  /** The values column by column, exact as DuckDB holds them (microsecond timestamps, decimals). */
  readonly values: DuckDBValue[][];
}

/**
 * Statement types a read-only query may run. Only SELECT: EXPLAIN ANALYZE executes the statement it
 * wraps (a COPY … TO, say) and PRAGMAs can change settings.
 */
const READ_ONLY_TYPES = new Set(['SELECT']);

/**
 * Run one SQL statement against the warehouse, read-only three ways over: the database is opened
 * READ_ONLY, only SELECT-like statements are prepared, and file access is limited to the lake so
 * COPY … TO and reads of arbitrary files are refused.
 */
export async function runQuery(warehouse: string, sql: string): Promise<QueryResult> {
  const paths = warehousePaths(warehouse);
  if (!existsSync(paths.database)) {
    // Right after the Quick start only the demo's warehouse exists.
    const demo = warehousePaths(join(paths.root, 'demo'));
    const hint = existsSync(demo.database) ? `, or query the demo's with --warehouse ${demo.root}` : '';
    throw new UsageError(`no warehouse database at ${paths.database}; run "hubtrends build" first${hint}`);
  }
  const instance = await DuckDBInstance.create(paths.database, {
    access_mode: 'READ_ONLY',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  }).catch((err: Error) => {
    // DuckDB allows one writer or many readers: a running build holds the file.
    if (/lock/i.test(err.message)) throw new LockedError(`the warehouse database is being written (by build?); try again when it is done: ${paths.database}`);
    throw err;
  });
  try {
    const conn = await instance.connect();
    try {
      const allowed = [paths.lake + '/'];
      await conn.run(`SET allowed_directories = [${allowed.map(sqlLiteral).join(', ')}]`);
      await conn.run('SET enable_external_access = false');
      await conn.run('SET lock_configuration = true');
      // DuckDB's refusal of a file names the file but not where reading is allowed.
      const refused = (err: unknown): UsageError => {
        const [first = '', ...rest] = (err as Error).message.split('\n');
        const where = /^Permission Error/.test(first) ? `; hubtrends query reads files only under ${allowed.join(', ')}` : '';
        return new UsageError([`query: ${first}${where}`, ...rest].join('\n'));
      };
      const extracted = await conn.extractStatements(sql).catch((err: Error) => {
        throw new UsageError(`query: ${err.message}`);
      });
      if (extracted.count !== 1) throw new UsageError(`query: expected exactly one SQL statement, got ${extracted.count}`);
      let prepared;
      try {
        prepared = await extracted.prepare(0);
      } catch (err) {
        throw refused(err);
      }
      const { StatementType } = await import('@duckdb/node-api');
      const typeName = StatementType[prepared.statementType] ?? String(prepared.statementType);
      if (!READ_ONLY_TYPES.has(typeName)) throw new UsageError(`query is read-only: a ${typeName} statement is refused`);
      let reader;
      try {
        reader = await prepared.runAndReadAll();
      } catch (err) {
        throw refused(err);
      }
      const columns = reader.columnNames();
      // Each output reads the result one way; converting it both ways would double the work. The
      // reader already holds every chunk it fetched, so both still work once the database is closed.
      let rows: Record<string, unknown>[] | undefined;
      let values: DuckDBValue[][] | undefined;
      return {
        columns,
        types: reader.columnTypes(),
        get rows() {
          return (rows ??= reader.getRowObjectsJS() as Record<string, unknown>[]);
        },
        get values() {
          return (values ??= reader.getColumns());
        },
      };
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** JSON-safe value: integers as numbers when safe, big ones as strings, dates ISO. */
export function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : isoDateOrTimestamp(v);
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]));
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

function isoDateOrTimestamp(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}
