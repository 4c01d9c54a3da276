import { existsSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { warehousePaths } from '../paths.js';
import { BINARY_FORMATS, type QueryFormat } from './formats.js';
import type { QueryResult } from './query.js';

export interface QueryOutputOptions {
  readonly format: QueryFormat;
  /** Absolute path of `--out`, or undefined for stdout. */
  readonly out?: string;
  /** `--replace`: overwrite an existing `--out` file. */
  readonly replace: boolean;
  /** The warehouse queried: `--out` may not point inside it. */
  readonly warehouse: string;
}

/**
 * Write a query result in the chosen format to stdout or to `--out`. A file is written beside its
 * final name and renamed into place, so a reader never sees half of it and a failed write leaves
 * an earlier file as it was.
 */
export async function writeQueryOutput(result: QueryResult, options: QueryOutputOptions, stdout: Stdout): Promise<void> {
  checkQueryOutput(options, stdout);
  const { format, out } = options;
  if (out === undefined) {
    // Parquet without --out was refused above.
    if (format !== 'parquet') stdout.write(await encode(result, format));
    return;
  }
  const temp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
  try {
    if (format === 'parquet') await (await import('./parquetFormat.js')).writeParquet(result, temp);
    else writeFileSync(temp, await encode(result, format));
    renameSync(temp, out);
  } finally {
    rmSync(temp, { force: true });
  }
}

type Stdout = NodeJS.WritableStream & { isTTY?: boolean };

/** Refuse a bad output before the query runs, not after a long one. */
export function checkQueryOutput(options: QueryOutputOptions, stdout: Stdout): void {
  const { format, out } = options;
  if (out !== undefined) return checkOutPath(out, options);
  if (format === 'parquet') throw new UsageError('--format parquet: a Parquet file needs --out FILE');
  // Binary on a terminal garbles it; the user surely meant to pipe it.
  if (BINARY_FORMATS.has(format) && stdout.isTTY) throw new UsageError(`--format ${format}: not written to a terminal; pipe it to a program or add --out FILE`);
}

async function encode(result: QueryResult, format: Exclude<QueryFormat, 'parquet'>): Promise<string | Uint8Array> {
  switch (format) {
    case 'table':
      return (await import('./formatTable.js')).formatTable(result.columns, result.rows);
    case 'csv':
      return (await import('../report/csv.js')).toCsv(result.columns, result.rows).replaceAll('\r\n', '\n');
    case 'json':
      return (await import('./jsonFormat.js')).toJson(result);
    case 'ndjson':
      return (await import('./jsonFormat.js')).toNdjson(result);
    case 'arrow':
      return (await import('./arrowFormat.js')).arrowIpcStream(result);
  }
}

/**
 * `--out` must name a file in an existing folder outside the warehouse (the lake and the database
 * are the build's to write), and an existing file is overwritten only with `--replace`.
 */
function checkOutPath(out: string, options: QueryOutputOptions): void {
  const folder = dirname(out);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`--out: no folder ${folder} to write ${basename(out)} into`);
  const warehouse = warehousePaths(options.warehouse).root;
  const target = join(realpathSync(folder), basename(out));
  const root = existsSync(warehouse) ? realpathSync(warehouse) : warehouse;
  const inside = relative(root, target);
  if (inside === '' || (inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside))) {
    throw new UsageError(`--out: ${out} is inside the warehouse ${warehouse}; write query results elsewhere`);
  }
  if (existsSync(out)) {
    if (statSync(out).isDirectory()) throw new UsageError(`--out: ${out} is a folder; name a file`);
    if (!options.replace) throw new UsageError(`--out: ${out} exists; add --replace to overwrite it`);
  }
}
