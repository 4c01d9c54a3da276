import { existsSync } from 'node:fs';
import { Database, readSql } from '../duckdb.js';
import { UsageError } from '../errors.js';
import { warehousePaths } from '../paths.js';
import type { QueryResult } from '../query/query.js';

export const QUEUE_METRICS = ['trailing', 'period', 'cumulative', 'all_time', 'window30'] as const;
export type QueueMetric = (typeof QUEUE_METRICS)[number];
/** `org`, `user`, `not_found` (neither overview endpoint knew it) or `none` (never looked up). */
export const QUEUE_KINDS = ['org', 'user', 'not_found', 'none'] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

export interface QueueOptions {
  /** The window the downloads are summed over. Default `trailing` (the last 52 weeks). */
  readonly metric: QueueMetric;
  /** The snapshot the window ends at, YYYY-MM-DD. Default: the newest. */
  readonly asOf?: string;
  /** Only namespaces of this kind; default all. Example: `org`, to take organisations first. */
  readonly kind?: QueueKind;
  /** Rows at most. Default 20. */
  readonly limit: number;
}

/**
 * `hubtrends registry queue`: the namespaces without a registry country that carry the most
 * downloads in a window, with what the Hub said of them and a lineage hint (sql/registry/queue.sql),
 * read from the built warehouse, read-only.
 */
export async function registryQueue(warehouse: string, opts: QueueOptions): Promise<QueryResult> {
  const paths = warehousePaths(warehouse);
  if (!existsSync(paths.database)) throw new UsageError(`no warehouse database at ${paths.database}; run "hubtrends build" first`);
  return Database.with(paths.database, { readOnly: true }, async (db) => {
    const [newest] = await db.rows<{ d: string | null }>("SELECT strftime(max(snapshot), '%Y-%m-%d') AS d FROM snapshots");
    const asOf = opts.asOf ?? newest?.d ?? null;
    if (asOf === null) throw new UsageError('the warehouse holds no snapshot yet; run "hubtrends collect" and "hubtrends build" first');
    await db.setVariable('as_of', asOf);
    const [known] = /^\d{4}-\d{2}-\d{2}$/.test(asOf)
      ? await db.rows<{ n: string }>("SELECT count(*) AS n FROM snapshots WHERE strftime(snapshot, '%Y-%m-%d') = getvariable('as_of')")
      : [{ n: '0' }];
    if (Number(known?.n ?? 0) === 0) {
      throw new UsageError(`--as-of: ${JSON.stringify(asOf)} is not a snapshot of this warehouse (the newest is ${newest?.d ?? 'none'})`);
    }
    await db.setVariable('metric', opts.metric);
    await db.setVariable('kind', opts.kind ?? null);
    await db.setVariable('lim', String(opts.limit));
    const reader = await db.connection.runAndReadAll(readSql('registry/queue.sql'));
    return { columns: reader.columnNames(), rows: reader.getRowObjectsJS() as Record<string, unknown>[], types: reader.columnTypes(), values: reader.getColumns() };
  });
}
