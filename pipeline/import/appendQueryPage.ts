import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../duckdb.js';
import { sqlLiteral } from '../duckdb.js';
import type { SkipCounts } from '../hub/modelRow.js';
import type { SnapshotStage } from '../storage/SnapshotStage.js';

/**
 * Bytes per page file DuckDB writes: about 10,000 rows of a Hub dump, small enough for
 * `SnapshotStage.publish` to read back within its memory limit.
 */
const PAGE_BYTES = '4MB';

/**
 * Stage the rows of a DuckDB relation as pages of `stage`, written by DuckDB itself rather than
 * row by row through JavaScript: a Hub-scale Parquet file (two million rows) stays in DuckDB from
 * `read_parquet` to the staged NDJSON pages that `SnapshotStage.publish` reads back.
 *
 * `relation` must have the columns of a staged page (those of `sql/stage/staged_models.sql`,
 * `_s` included) and number `_s` from `getvariable('row_offset')`, which is set here to the
 * stage's row count. DuckDB writes files of about `PAGE_BYTES`; the stage adopts them as its next
 * pages, in order.
 */
export async function appendQueryPage(stage: SnapshotStage, db: Database, relation: string, rows: number, skipped: SkipCounts): Promise<void> {
  const out = join(stage.dir, 'query-pages');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  try {
    await db.setVariable('row_offset', stage.checkpoint.rows);
    await db.run(`COPY ${relation} TO ${sqlLiteral(out)} (FORMAT json, FILE_SIZE_BYTES ${sqlLiteral(PAGE_BYTES)}, OVERWRITE true)`);
    const files = readdirSync(out)
      .filter((f) => f.endsWith('.json'))
      .sort((a, b) => Number.parseInt(a.replace(/\D/g, ''), 10) - Number.parseInt(b.replace(/\D/g, ''), 10))
      .map((f) => join(out, f));
    stage.adoptPages(files, rows, skipped);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
