import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SnapshotStage } from '../../pipeline/storage/SnapshotStage.js';
import { Database } from '../../pipeline/duckdb.js';
import { snapshotDir, warehousePaths } from '../../pipeline/paths.js';
import { deps, row, tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('SnapshotStage', () => {
  it('keeps the last row seen of a model staged twice and counts the duplicate', async () => {
    const paths = warehousePaths(join(tmp.dir, 'wh'));
    const stage = SnapshotStage.open({ paths, snapshot: '2025-02-03', job: { kind: 'test' }, startedAt: '2025-02-03T00:00:00.000Z', replace: false, fresh: false, logger: deps.logger });
    await stage.appendPage([row({ model_id: 'a/x', downloads_30d: 1 }), row({ model_id: 'a/y', downloads_30d: 2 })], { bad_counter: 1 }, 'next');
    await stage.appendPage([row({ model_id: 'a/x', downloads_30d: 9 }), row({ model_id: 'a/z', downloads_30d: 3 })], { missing_id: 2 }, null);
    const m = await stage.publish({ source: { hub: 't' }, finishedAt: '2025-02-03T00:10:00.000Z', minDownloads: 1, sort: 'downloads', replace: false });
    expect(m).toMatchObject({ rows: 3, pages: 2, duplicates_dropped: 1, sum_downloads_30d: 14, skipped: { bad_counter: 1, missing_id: 2 }, min_downloads: 1 });
    const file = join(snapshotDir(paths, '2025-02-03'), 'models.parquet');
    const rows = await Database.with(':memory:', {}, (db) => db.rows<{ model_id: string; downloads_30d: string }>(`SELECT model_id, downloads_30d FROM read_parquet('${file}') ORDER BY model_id`));
    expect(rows).toEqual([
      { model_id: 'a/x', downloads_30d: '9' },
      { model_id: 'a/y', downloads_30d: '2' },
      { model_id: 'a/z', downloads_30d: '3' },
    ]);
    // Only the two published files are in the snapshot folder, and the staging area is gone.
    expect(readdirSync(snapshotDir(paths, '2025-02-03')).sort()).toEqual(['manifest.json', 'models.parquet']);
    expect(existsSync(join(paths.staging, 'snapshot=2025-02-03'))).toBe(false);
  });

  it('a created_at that looks canonical but does not exist is published as NULL, not a failure', async () => {
    const paths = warehousePaths(join(tmp.dir, 'feb30'));
    const stage = SnapshotStage.open({ paths, snapshot: '2025-02-03', job: { kind: 'test' }, startedAt: '2025-02-03T00:00:00.000Z', replace: false, fresh: false, logger: deps.logger });
    await stage.appendPage([row({ model_id: 'a/x', created_at: '2024-02-30T00:00:00.000Z' }), row({ model_id: 'a/y', created_at: '2024-02-28T00:00:00.000Z' })], {}, null);
    await stage.publish({ source: { hub: 't' }, finishedAt: '2025-02-03T00:10:00.000Z', minDownloads: null, sort: 'createdAt', replace: false });
    const file = join(snapshotDir(paths, '2025-02-03'), 'models.parquet');
    const rows = await Database.with(':memory:', {}, (db) => db.rows<{ model_id: string; c: string | null }>(`SELECT model_id, strftime(created_at, '%Y-%m-%d') AS c FROM read_parquet('${file}') ORDER BY model_id`));
    expect(rows).toEqual([
      { model_id: 'a/x', c: null },
      { model_id: 'a/y', c: '2024-02-28' },
    ]);
  });

  it('publishes an empty crawl as a valid, empty Parquet file', async () => {
    const paths = warehousePaths(join(tmp.dir, 'empty'));
    const stage = SnapshotStage.open({ paths, snapshot: '2025-02-03', job: { kind: 'test' }, startedAt: '2025-02-03T00:00:00.000Z', replace: false, fresh: false, logger: deps.logger });
    const m = await stage.publish({ source: { hub: 't' }, finishedAt: '2025-02-03T00:10:00.000Z', minDownloads: null, sort: 'createdAt', replace: false });
    expect(m.rows).toBe(0);
    const file = join(snapshotDir(paths, '2025-02-03'), 'models.parquet');
    const columns = await Database.with(':memory:', {}, (db) => db.rows<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM read_parquet('${file}', hive_partitioning = false)`));
    expect(columns.map((c) => `${c.column_name} ${c.column_type}`)).toEqual([
      'model_id VARCHAR', 'author VARCHAR', 'created_at TIMESTAMP', 'downloads_30d BIGINT', 'downloads_all_time BIGINT', 'likes BIGINT',
      'pipeline_tag VARCHAR', 'library_name VARCHAR', 'tags VARCHAR[]', 'base_models VARCHAR[]', 'base_relation VARCHAR',
    ]);
  });
});
