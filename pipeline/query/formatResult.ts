import { toCsv } from '../report/csv.js';
import { formatTable } from './formatTable.js';
import type { QueryFormat } from './formats.js';
import { jsonValue, type QueryResult } from './query.js';

/**
 * A query result as `query --format` prints it: one JSON array of row objects, RFC 4180 CSV with
 * LF line ends (for pipes), or an aligned table for people. Commands that print warehouse rows
 * use it so that every format means the same everywhere.
 */
export function formatResult(format: QueryFormat, { columns, rows }: QueryResult): string {
  if (format === 'json') return `${JSON.stringify(rows.map((r) => jsonValue(r)))}\n`;
  if (format === 'csv') return toCsv(columns, rows).replaceAll('\r\n', '\n');
  return formatTable(columns, rows);
}
