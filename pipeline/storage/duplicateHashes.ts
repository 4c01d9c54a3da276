import type { Database } from '../duckdb.js';

/**
 * The values that occur more than once among the UBIGINT first column of `sql`, streamed out of
 * DuckDB into a typed array and sorted: 8 bytes a row (18 MB for 2.2 million models), where a
 * DuckDB hash aggregate of the same costs several times that. A second, BOOLEAN column, when the
 * query has one, is counted into `flagged.rows` on the same pass.
 */
export async function duplicateHashes(db: Database, sql: string, flagged?: { rows: number }): Promise<bigint[]> {
  let values = new BigUint64Array(1 << 16);
  let n = 0;
  const result = await db.connection.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const column = chunk.getColumnValues(0) as bigint[];
    if (n + column.length > values.length) {
      const grown = new BigUint64Array(Math.max(values.length * 2, n + column.length));
      grown.set(values.subarray(0, n));
      values = grown;
    }
    for (const v of column) values[n++] = v;
    if (flagged && chunk.columnCount > 1) for (const f of chunk.getColumnValues(1)) if (f === true) flagged.rows++;
  }
  const sorted = values.subarray(0, n).sort();
  const dups: bigint[] = [];
  for (let i = 1; i < n; i++) {
    if (sorted[i] === sorted[i - 1] && dups.at(-1) !== sorted[i]) dups.push(sorted[i]!);
  }
  return dups;
}
