import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Database, readSql } from '../duckdb.js';
import type { SkipCounts } from '../hub/modelRow.js';
import type { Logger } from '../log.js';
import type { WarehousePaths } from '../paths.js';
import type { InputFile } from './inputFiles.js';
import { inputError } from './inputError.js';
import { globLiteral } from '../globLiteral.js';
import type { SnapshotBatch } from './SnapshotBatch.js';

const ID_COLUMNS = ['id', 'modelId', 'model_id'];
const COUNTER_COLUMNS = ['downloads', 'downloads_30d', 'downloadsAllTime', 'downloads_all_time'];

/** DuckDB's message without its `LINE 1: …` excerpt of our own SQL. */
function duckReason(err: unknown): string {
  return (err as Error).message.split('\n')[0]!.trim();
}

/**
 * Read hub-stats Parquet files into the batch, each into the snapshot `dateOf(file)`. The files are
 * read and normalised by DuckDB (`sql/import/hub_stats_rows.sql`) and staged by DuckDB, never row
 * by row in JavaScript. Rows that a crawl would skip are skipped and counted by reason; a file that
 * is not Parquet, holds no model id column or no download counter, or no row at all, fails the
 * import with its name and the reason.
 */
export async function importHubStats(
  files: readonly InputFile[],
  dateOf: (file: InputFile) => string,
  batch: SnapshotBatch,
  deps: { paths: WarehousePaths; logger: Logger },
): Promise<void> {
  const tmp = join(deps.paths.staging, 'duckdb-import-tmp');
  mkdirSync(tmp, { recursive: true });
  try {
    await Database.with(':memory:', { memoryLimit: '1GB', tempDirectory: tmp }, async (db) => {
      for (const file of files) {
        const date = dateOf(file);
        batch.prepare(date, file);
        await db.setVariable('parquet_path', globLiteral(file.path));
        let columns: string[];
        try {
          columns = (await db.rows<{ column_name: string }>(readSql('import/hub_stats_columns.sql'))).map((r) => r.column_name);
        } catch (err) {
          throw inputError(file.name, null, `not a readable Parquet file (${duckReason(err)})`, err);
        }
        if (!ID_COLUMNS.some((c) => columns.includes(c))) {
          throw inputError(file.name, null, `no model id column (${ID_COLUMNS.join(', ')}); the file has ${columns.join(', ')}`);
        }
        if (!COUNTER_COLUMNS.some((c) => columns.includes(c))) {
          throw inputError(file.name, null, `no download counter column (${COUNTER_COLUMNS.join(', ')}); the file has ${columns.join(', ')}`);
        }
        try {
          await db.run(readSql('import/hub_stats_rows.sql'));
        } catch (err) {
          throw inputError(file.name, null, `cannot be read as Hub models (${duckReason(err)})`, err);
        }
        const counts = await db.rows<{ reason: string | null; n: string }>(readSql('import/hub_stats_counts.sql'));
        let kept = 0;
        const skipped: SkipCounts = {};
        for (const c of counts) {
          if (c.reason === null) kept = Number(c.n);
          else skipped[c.reason] = Number(c.n);
        }
        const total = counts.reduce((s, c) => s + Number(c.n), 0);
        if (total === 0) {
          throw inputError(file.name, null, 'empty file: no rows; an empty snapshot would make every model look vanished, so nothing is imported');
        }
        await batch.addQuery(date, file, db, 'hub_stats_page', kept, skipped);
        deps.logger.info({ file: file.name, snapshot: date, rows: kept, skipped }, 'hub-stats file read');
      }
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
