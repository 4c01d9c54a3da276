import { DuckDBDataChunk, DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { Database, sqlLiteral } from '../duckdb.js';
import type { TypedColumns } from './arrowFormat.js';

/** Rows per appended chunk: DuckDB's vector size. */
const CHUNK_ROWS = 2048;

/**
 * Write a query result to a Parquet file (zstd) with DuckDB's own writer, in a separate in-memory
 * database: the query's sandbox forbids writing files, and this one runs no user SQL. Column types
 * are the query's, so dates, decimals, lists and JSON stay what they are.
 */
export async function writeParquet(result: TypedColumns, file: string): Promise<void> {
  const db = await Database.open(':memory:');
  try {
    const names = uniqueNames(result.columns);
    const columns = names.map((n, i) => `${quoteIdent(n)} ${sqlType(result.types[i]!)}`);
    await db.run(`CREATE TABLE result (${columns.join(', ')})`);
    const appender = await db.connection.createAppender('result');
    try {
      const rows = result.values[0]?.length ?? 0;
      for (let start = 0; start < rows; start += CHUNK_ROWS) {
        const length = Math.min(CHUNK_ROWS, rows - start);
        const chunk = DuckDBDataChunk.create(result.types, length);
        chunk.setColumns(result.values.map((v) => v.slice(start, start + length)));
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await db.run(`COPY result TO ${sqlLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`);
  } finally {
    db.close();
  }
}

/** The type a column is created with: JSON keeps its name, so Parquet readers see a JSON column. */
function sqlType(t: DuckDBType): string {
  if (t.alias === 'JSON') return 'JSON';
  // A column that is NULL throughout has no type of its own; DuckDB's clients show it as INTEGER.
  if (t.typeId === DuckDBTypeId.SQLNULL) return 'INTEGER';
  return t.toString();
}

/** A table cannot hold two columns of one name, as `SELECT 1 AS a, 2 AS a` gives: the later ones get `_1`, `_2`, … */
function uniqueNames(columns: readonly string[]): string[] {
  const seen = new Set<string>();
  return columns.map((c) => {
    let name = c;
    for (let i = 1; seen.has(name.toLowerCase()); i++) name = `${c}_${i}`;
    seen.add(name.toLowerCase());
    return name;
  });
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
