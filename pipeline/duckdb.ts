import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqlDir } from './paths.js';
import { LockedError } from './errors.js';

export type { DuckDBConnection };

export interface OpenOptions {
  readonly readOnly?: boolean;
  /** e.g. `'512MB'`; DuckDB spills to `tempDirectory` beyond it. */
  readonly memoryLimit?: string;
  readonly tempDirectory?: string;
  readonly threads?: number;
}

/**
 * A DuckDB instance and one connection, with settings every part of the tool needs: nothing
 * may try the network for extensions, and time is UTC so dates never shift with the host.
 */
export class Database {
  private constructor(
    readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string, opts: OpenOptions = {}): Promise<Database> {
    const config: Record<string, string> = {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    };
    if (opts.readOnly) config.access_mode = 'READ_ONLY';
    if (opts.memoryLimit) config.memory_limit = opts.memoryLimit;
    if (opts.tempDirectory) config.temp_directory = opts.tempDirectory;
    if (opts.threads) config.threads = String(opts.threads);
    const instance = await DuckDBInstance.create(path, config).catch((err: Error) => {
      // One writer or many readers per database file, across processes.
      if (/could not set lock|conflicting lock/i.test(err.message)) {
        throw new LockedError(`the database ${path} is in use by another process (a build?); try again when it is done`);
      }
      throw err;
    });
    try {
      const connection = await instance.connect();
      // ICU is built in; set after connecting, since config-time settings cannot load it.
      await connection.run("SET TimeZone = 'UTC'");
      return new Database(instance, connection);
    } catch (err) {
      instance.closeSync();
      throw err;
    }
  }

  /** Open, run `fn`, and close in every case. */
  static async with<T>(path: string, opts: OpenOptions, fn: (db: Database) => Promise<T>): Promise<T> {
    const db = await Database.open(path, opts);
    try {
      return await fn(db);
    } finally {
      db.close();
    }
  }

  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  /** Rows as JSON-safe objects (BIGINT as string, DATE as `YYYY-MM-DD`). */
  async rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as T[];
  }

  async setVariable(name: string, value: string | number | null | readonly string[]): Promise<void> {
    await this.connection.run(`SET VARIABLE ${name} = ${sqlLiteral(value)}`);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** A SQL literal for a value we control; strings are quoted with '' doubling. */
export function sqlLiteral(value: string | number | null | readonly string[]): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => sqlLiteral(v as string)).join(', ')}]::VARCHAR[]`;
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** The text of a file under `sql/`. */
export function readSql(relative: string): string {
  return readFileSync(join(sqlDir, relative), 'utf8');
}
