import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../duckdb.js';
import { sqlLiteral } from '../duckdb.js';
import type { SkipCounts } from '../hub/modelRow.js';
import type { SnapshotStage } from '../lake/SnapshotStage.js';
import { fsyncDir } from '../lake/durable.js';

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
 * `relation` must have the columns of a staged page (those of `sql/lake/staged_models.sql`,
 * `_s` included) and number `_s` from `getvariable('row_offset')`, which is set here to the
 * stage's row count. DuckDB writes files of about `PAGE_BYTES`; each becomes the next page of the
 * stage through `appendPage` (an empty page, so the checkpoint names it, then replaced by DuckDB's
 * file). The stage's row count is then advanced by `rows`, so the manifest's `duplicates_dropped`
 * stays right; imports are never resumed, so the checkpoint on disk only needs the page count
 * until `publish` writes it again.
 */
export async function appendQueryPage(stage: SnapshotStage, db: Database, relation: string, rows: number, skipped: SkipCounts): Promise<void> {
  const cp = stage.checkpoint;
  const out = join(stage.dir, 'query-pages');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  try {
    await db.setVariable('row_offset', cp.rows);
    await db.run(`COPY ${relation} TO ${sqlLiteral(out)} (FORMAT json, FILE_SIZE_BYTES ${sqlLiteral(PAGE_BYTES)}, OVERWRITE true)`);
    const files = readdirSync(out)
      .filter((f) => f.endsWith('.json'))
      .sort((a, b) => Number.parseInt(a.replace(/\D/g, ''), 10) - Number.parseInt(b.replace(/\D/g, ''), 10));
    let first = true;
    for (const f of files) {
      await stage.appendPage([], first ? skipped : {}, null);
      first = false;
      const page = join(stage.dir, 'pages', `${String(cp.pages).padStart(6, '0')}.jsonl`);
      if (!existsSync(page)) throw new Error(`SnapshotStage no longer names its pages ${page}; appendQueryPage must follow it`);
      renameSync(join(out, f), page);
    }
    if (first) await stage.appendPage([], skipped, null);
    fsyncDir(join(stage.dir, 'pages'));
    cp.rows += rows;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
