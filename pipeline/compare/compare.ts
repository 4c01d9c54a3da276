import { readSql } from '../duckdb.js';
import { UsageError } from '../errors.js';
import { runQuery, type QueryResult } from '../query/query.js';

export interface CompareOptions {
  /** Only the figures of one study, as named in `references.csv`. Example: `'eoi'`. Default: all. */
  readonly study?: string;
}

/**
 * `hubtrends compare`: the warehouse's `reference_comparison` table, read through the same
 * read-only path as `query`, so it prints in every `query` format.
 */
export async function compare(warehouse: string, opts: CompareOptions = {}): Promise<QueryResult> {
  let result: QueryResult;
  try {
    result = await runQuery(warehouse, readSql('compare/reference_comparison.sql'));
  } catch (err) {
    // A warehouse built by an older hubtrends has no comparison yet.
    if (err instanceof UsageError && /reference_comparison/.test(err.message) && /does not exist/.test(err.message)) {
      throw new UsageError('the warehouse has no reference_comparison table; run "hubtrends build" first', { cause: err });
    }
    throw err;
  }
  if (opts.study === undefined) return result;
  const keep = result.rows.flatMap((r, i) => (r.study === opts.study ? [i] : []));
  const rows = keep.map((i) => result.rows[i]!);
  if (rows.length === 0) {
    const studies = [...new Set(result.rows.map((r) => String(r.study)))].sort();
    throw new UsageError(`--study: no figure of study ${JSON.stringify(opts.study)}; the references hold ${studies.length ? studies.join(', ') : 'none'}`);
  }
  return { columns: result.columns, rows, types: result.types, values: result.values.map((column) => keep.map((i) => column[i]!)) };
}
