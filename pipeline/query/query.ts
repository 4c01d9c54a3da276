import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, StatementType, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
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

export interface QueryOptions {
  /** Stop the statement after this many seconds (exit 2); 0 for no limit. Default {@link DEFAULT_QUERY_TIMEOUT_SECONDS}. */
  readonly timeoutSeconds?: number;
}

/**
 * A reader holds DuckDB's file lock, and a build cannot start while one does: an unbounded query
 * would make the weekly build fail, so queries stop after five minutes unless told otherwise.
 */
export const DEFAULT_QUERY_TIMEOUT_SECONDS = 300;

/** `EXPLAIN`, `EXPLAIN ANALYZE` or `EXPLAIN (options)` in front of the statement it explains. */
const EXPLAIN_PREFIX = /^\s*EXPLAIN\s*(?:ANALY[SZ]E\b\s*|\([^)]*\)\s*)?/i;

/**
 * Whether `sql` parses as exactly one SELECT, asked of DuckDB's parser alone. Binding a statement
 * (preparing it) is not side-effect free: preparing `EXPORT DATABASE 'dir'` or `COPY … TO`
 * creates folders before any check on the prepared statement could refuse it, so nothing but a
 * SELECT may ever be prepared.
 */
async function isSelect(conn: DuckDBConnection, sql: string): Promise<boolean> {
  const reader = await conn.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS j', [sql]);
  const [row] = reader.getRowObjectsJson() as { j: string }[];
  const parsed = JSON.parse(row!.j) as { error?: boolean; statements?: unknown[] };
  return parsed.error !== true && parsed.statements?.length === 1;
}

/** The first word of a statement, for a message that says what was refused. */
function leadingKeyword(sql: string): string {
  return (/[A-Za-z]+/.exec(sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, ''))?.[0] ?? 'empty').toUpperCase();
}

/**
 * Run one SQL statement against the warehouse without changing any file of it: only a SELECT (or
 * EXPLAIN of a SELECT) is ever prepared, and that is checked by the parser before DuckDB binds
 * anything; the database is opened READ_ONLY; file access is limited to reading the lake and the per-period Parquet; and
 * DuckDB's spill files go to a private temporary folder outside the warehouse, removed afterwards.
 */
export async function runQuery(warehouse: string, sql: string, opts: QueryOptions = {}): Promise<QueryResult> {
  const timeoutSeconds = opts.timeoutSeconds ?? DEFAULT_QUERY_TIMEOUT_SECONDS;
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) {
    throw new UsageError(`--timeout: expected a number of seconds (0 for no limit), got ${JSON.stringify(timeoutSeconds)}`);
  }
  const paths = warehousePaths(warehouse);
  if (!existsSync(paths.database)) {
    // Right after the Quick start only the demo's warehouse exists.
    const demo = warehousePaths(join(paths.root, 'demo'));
    const hint = existsSync(demo.database) ? `, or query the demo's with --warehouse ${demo.root}` : '';
    throw new UsageError(`no warehouse database at ${paths.database}; run "hubtrends build" first${hint}`);
  }
  const spill = mkdtempSync(join(tmpdir(), 'hubtrends-query-'));
  try {
    const instance = await DuckDBInstance.create(paths.database, {
      access_mode: 'READ_ONLY',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      // Left to itself a read-only instance spills into `hubtrends.duckdb.tmp/` beside the database.
      temp_directory: spill,
    }).catch((err: Error) => {
      // DuckDB allows one writer or many readers: a running build holds the file.
      if (/lock/i.test(err.message)) throw new LockedError(`the warehouse database is being written (by build?); try again when it is done: ${paths.database}`);
      throw err;
    });
    try {
      const conn = await instance.connect();
      try {
        return await runOne(conn, [paths.lake, paths.periodDownloads], sql, timeoutSeconds);
      } finally {
        conn.closeSync();
      }
    } finally {
      instance.closeSync();
    }
  } finally {
    rmSync(spill, { recursive: true, force: true });
  }
}

async function runOne(conn: DuckDBConnection, readable: readonly string[], sql: string, timeoutSeconds: number): Promise<QueryResult> {
  const extracted = await conn.extractStatements(sql).catch((err: Error) => {
    throw new UsageError(`query: ${err.message}`);
  });
  if (extracted.count !== 1) throw new UsageError(`query: expected exactly one SQL statement, got ${extracted.count}`);
  const explained = sql.replace(EXPLAIN_PREFIX, '');
  if (!(await isSelect(conn, explained))) {
    throw new UsageError(`query is read-only: a ${leadingKeyword(sql)} statement is refused (only SELECT, or EXPLAIN of a SELECT, is run)`);
  }
  const allowed = readable.map((dir) => `${dir}/`);
  await conn.run(`SET allowed_directories = [${allowed.map(sqlLiteral).join(', ')}]`);
  await conn.run('SET enable_external_access = false');
  await conn.run('SET lock_configuration = true');
  // DuckDB's refusal of a file names the file but not where reading is allowed.
  const refused = (err: unknown): UsageError => {
    const [first = '', ...rest] = (err as Error).message.split('\n').map(terminalSafe);
    const where = /^Permission Error/.test(first) ? `; hubtrends query reads files only under ${allowed.join(', ')}` : '';
    return new UsageError([`query: ${first}${where}`, ...rest].join('\n'));
  };
  let prepared;
  try {
    prepared = await extracted.prepare(0);
  } catch (err) {
    throw refused(err);
  }
  // A second check on what DuckDB bound, in case its parser and binder ever disagree.
  const typeName = StatementType[prepared.statementType] ?? String(prepared.statementType);
  if (typeName !== 'SELECT' && typeName !== 'EXPLAIN') throw new UsageError(`query is read-only: a ${typeName} statement is refused`);
  let timedOut = false;
  const timer = timeoutSeconds > 0 ? setTimeout(() => ((timedOut = true), conn.interrupt()), timeoutSeconds * 1000) : undefined;
  try {
    const reader = await prepared.runAndReadAll();
    // Each output reads the result one way; converting it both ways would double the work. The
    // reader already holds every chunk it fetched, so both still work once the database is closed.
    let rows: Record<string, unknown>[] | undefined;
    let values: DuckDBValue[][] | undefined;
    return {
      columns: reader.columnNames(),
      types: reader.columnTypes(),
      get rows() {
        return (rows ??= reader.getRowObjectsJS() as Record<string, unknown>[]);
      },
      get values() {
        return (values ??= reader.getColumns());
      },
    };
  } catch (err) {
    if (timedOut) throw new UsageError(`query: stopped after the time limit of ${timeoutSeconds} s; pass --timeout SECONDS for more (0 for none)`);
    // DuckDB quotes the offending value in its messages, and that value may be hostile text.
    throw refused(err);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Control characters (C0, DEL, C1) and bidirectional overrides shown as `\x1b`-style escapes, so
 * that text from the Hub or an imported file printed to a terminal can neither move the cursor,
 * recolour, retitle the window nor reorder what is shown.
 */
export function terminalSafe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A result with every text made {@link terminalSafe}: column names (a PIVOT makes them from data),
 * and values, list elements and struct fields included.
 */
export function terminalSafeResult(result: QueryResult): QueryResult {
  const safe = (v: unknown): unknown => {
    if (typeof v === 'string') return terminalSafe(v);
    if (Array.isArray(v)) return v.map(safe);
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [terminalSafe(k), safe(x)]));
    return v;
  };
  return { columns: result.columns.map(terminalSafe), rows: result.rows.map((r) => safe(r) as Record<string, unknown>),
    types: result.types,
    get values() {
      return result.values;
    },
  };
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
