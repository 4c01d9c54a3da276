import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../../pipeline/build/build.js';
import { Database, sqlLiteral } from '../../pipeline/duckdb.js';
import { runQuery } from '../../pipeline/query/query.js';
import { warehousePaths } from '../../pipeline/paths.js';
import { deps, publishSnapshot, queryWarehouse, row, tempDir, writeRegistry } from '../helpers.js';

const dates = ['2025-04-07', '2025-04-14', '2025-04-21', '2025-04-28'];
const week = (k: number, bump = 0) => [
  row({ model_id: 'Qwen/a', downloads_all_time: 100 + 70 * k + bump, downloads_30d: 60 }),
  row({ model_id: 'meta-llama/b', downloads_all_time: 300 + 20 * k, downloads_30d: 50 }),
  row({ model_id: 'nobody/c', downloads_all_time: 10 + 5 * k, downloads_30d: 5 }),
];

describe('period downloads as one Parquet file per period', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'wh');
  const dir = warehousePaths(wh).periodDownloads;
  afterAll(() => tmp.cleanup());

  const files = () => readdirSync(dir).sort();
  const named = async () => (await queryWarehouse<{ file: string }>(wh, 'SELECT file FROM period_files ORDER BY file')).map((r) => r.file);
  const rows = () => queryWarehouse(wh, "SELECT strftime(period_end, '%Y-%m-%d') AS e, model_id, downloads::INTEGER AS d, flag FROM period_downloads ORDER BY ALL");

  it('holds exactly the files the database names, readable by any Parquet reader without the database', async () => {
    writeRegistry(wh, ['Qwen,CN,company,test', 'meta-llama,US,company,test']);
    for (const [k, date] of dates.slice(0, 3).entries()) await publishSnapshot(wh, date, week(k));
    await build(wh, { full: false }, deps);
    await publishSnapshot(wh, dates[3]!, week(3));
    const r = await build(wh, { full: false }, deps);
    expect(r.periodsComputed).toBe(1);
    expect(files()).toEqual(await named());
    expect(files().map((f) => f.slice(0, 10))).toEqual(dates.slice(1));
    // The glob a notebook would use gives the same rows as the view.
    const glob = await Database.with(':memory:', {}, (db) =>
      db.rows(`SELECT strftime(period_end, '%Y-%m-%d') AS e, model_id, downloads::INTEGER AS d, flag FROM read_parquet(${sqlLiteral(join(dir, '*.parquet'))}) ORDER BY ALL`),
    );
    expect(glob).toEqual(await rows());
    expect(glob.length).toBe(9);
    // hubtrends query may read them (the sandbox allows this folder besides the lake).
    const q = await runQuery(wh, `SELECT count(*)::INTEGER AS n FROM read_parquet(${sqlLiteral(join(dir, '*.parquet'))})`);
    expect(q.rows).toEqual([{ n: 9 }]);
  });

  it('computes a period again when its file was deleted, and a replaced snapshot gets new files while the old ones go', async () => {
    const before = await rows();
    const [first] = files();
    rmSync(join(dir, first!));
    const r = await build(wh, { full: false }, deps);
    expect(r.periodsComputed).toBe(1);
    expect(await rows()).toEqual(before);
    expect(files()).toEqual(await named());

    // Replacing the snapshot of 2025-04-21 changes the two periods it bounds.
    const old = files();
    rmSync(join(warehousePaths(wh).snapshots, `snapshot=${dates[2]}`), { recursive: true });
    await publishSnapshot(wh, dates[2]!, week(2, 5));
    const r2 = await build(wh, { full: false }, deps);
    expect(r2.periodsComputed).toBe(2);
    const now = files();
    expect(now).toEqual(await named());
    expect(now.filter((f) => old.includes(f))).toHaveLength(1); // the first period's file is kept as it was
    const qwen = await queryWarehouse<{ d: number }>(wh, "SELECT downloads::INTEGER AS d FROM period_downloads WHERE model_id = 'Qwen/a' ORDER BY period_end");
    expect(qwen.map((x) => x.d)).toEqual([70, 75, 65]);
  });

  it('a build --full writes every file anew and removes the old ones after publishing', async () => {
    const before = await rows();
    const old = files();
    await build(wh, { full: true }, deps);
    expect(files()).toEqual(await named());
    expect(files().filter((f) => old.includes(f))).toEqual([]);
    expect(await rows()).toEqual(before);
  });

  it('after the build SQL changed, the next build recomputes every period from an empty database', async () => {
    const before = await rows();
    const old = files();
    // What a build of another version of the SQL records.
    await Database.with(warehousePaths(wh).database, {}, (db) => db.run(`UPDATE build_info SET info = json_merge_patch(info, '{"methodology": "older"}')`));
    const r = await build(wh, { full: false }, deps);
    expect(r.periodsComputed).toBe(3);
    expect(files()).toEqual(await named());
    expect(files().filter((f) => old.includes(f))).toEqual([]);
    expect(await rows()).toEqual(before);
    const [info] = await queryWarehouse<{ m: string }>(wh, "SELECT info->>'methodology' AS m FROM build_info");
    expect(info!.m).toMatch(/^[0-9a-f]{64}$/);
  });
});
