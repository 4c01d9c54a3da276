import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importTimeseries } from '../../pipeline/import/importTimeseries.js';
import { build } from '../../pipeline/build/build.js';
import { UsageError } from '../../pipeline/errors.js';
import { seriesDir, warehousePaths } from '../../pipeline/paths.js';
import { configFor, deps, publishSnapshot, queryWarehouse, row, tempDir, writeRegistry } from '../helpers.js';

const tmp = tempDir();
const wh = join(tmp.dir, 'warehouse');
afterAll(() => tmp.cleanup());

// Three imported weeks before the first snapshot, and one that overlaps the collected period.
const csv = [
  '\uFEFFmodel,week_start,week_end,count',
  'acme-us/a,2024-12-16,2024-12-23,10',
  'https://huggingface.co/panda-cn/b,2024-12-16,2024-12-23,5',
  'acme-us/a,2024-12-23,2024-12-30,"1,000"',
  'panda-cn/b,2024-12-23,2024-12-30,7.0',
  'panda-cn/b,2024-12-23,2024-12-30,9', // a second row for the same model and week: the last wins
  'acme-us/a,2024-12-30,2025-01-06,30',
  'panda-cn/b,2024-12-30,2025-01-06,50',
  'panda-cn/b,2025-01-06,2025-01-13,999', // overlaps the collected period: left out
].join('\r\n');

describe('import --format timeseries', () => {
  beforeAll(async () => {
    writeRegistry(wh, ['acme-us,US,company,test', 'panda-cn,CN,company,test'], [], ['Llama,acme-us/%', 'Qwen,panda-cn/%']);
    await publishSnapshot(wh, '2025-01-06', [row({ model_id: 'acme-us/a', downloads_all_time: 100, downloads_30d: 40, created_at: '2024-01-01T00:00:00Z' })]);
    await publishSnapshot(wh, '2025-01-13', [
      row({ model_id: 'acme-us/a', downloads_all_time: 130, downloads_30d: 40, created_at: '2024-01-01T00:00:00Z' }),
      row({ model_id: 'panda-cn/b', downloads_all_time: 70, downloads_30d: 70, created_at: '2025-01-08T00:00:00Z' }),
    ]);
    writeFileSync(join(tmp.dir, 'study-weekly.csv'), csv);
  });

  it('writes the series atomically with its manifest: rows, periods, sums, duplicates', async () => {
    const m = await importTimeseries(configFor(wh), { files: [join(tmp.dir, 'study-weekly.csv')], map: 'id=model,period_start=week_start,period_end=week_end,downloads=count', replace: false }, deps);
    expect(m).toMatchObject({ series: 'study-weekly', rows: 7, periods: 4, first_period_start: '2024-12-16', last_period_end: '2025-01-13', sum_downloads: 10 + 5 + 1000 + 9 + 30 + 50 + 999, duplicates_dropped: 1 });
    expect(existsSync(join(seriesDir(warehousePaths(wh), 'study-weekly'), 'periods.parquet'))).toBe(true);
    await expect(importTimeseries(configFor(wh), { files: [join(tmp.dir, 'study-weekly.csv')], map: 'id=model,period_start=week_start,period_end=week_end,downloads=count', replace: false }, deps)).rejects.toThrow(/--replace/);
  });

  it('feeds every metric like collected periods; collected data wins where both exist', async () => {
    await build(wh, { full: false }, deps);
    const rows = await queryWarehouse<{ metric: string; window_end: string; origin: string; downloads: number }>(
      wh,
      "SELECT metric, strftime(window_end, '%Y-%m-%d') AS window_end, origin, downloads FROM origin_shares WHERE mode = 'uploader' AND metric IN ('period', 'cumulative') AND downloads > 0 ORDER BY metric, window_end, origin",
    );
    const get = (metric: string, end: string, origin: string) => rows.find((r) => r.metric === metric && r.window_end === end && r.origin === origin)?.downloads;
    expect(get('period', '2024-12-23', 'US')).toBe(10);
    expect(get('period', '2024-12-30', 'US')).toBe(1000);
    expect(get('period', '2024-12-30', 'CN')).toBe(9);
    expect(get('period', '2025-01-06', 'CN')).toBe(50);
    // The collected period 2025-01-06 → 2025-01-13: a 30, b 70 (new); the imported 999 is not added.
    expect(get('period', '2025-01-13', 'CN')).toBe(70);
    expect(get('cumulative', '2025-01-13', 'CN')).toBe(5 + 9 + 50 + 70);
    expect(get('cumulative', '2025-01-13', 'US')).toBe(10 + 1000 + 30 + 30);
    const quality = await queryWarehouse<{ item: string; models: string }>(wh, "SELECT item, sum(models)::VARCHAR AS models FROM data_quality WHERE kind = 'series' GROUP BY item ORDER BY item");
    expect(quality).toEqual([
      { item: 'imported', models: '6' },
      { item: 'imported_overlapping_collected', models: '1' },
    ]);
  });

  it('a replaced series recomputes only what it touches, and equals a full build', async () => {
    writeFileSync(join(tmp.dir, 'v2.csv'), 'model_id,period_start,period_end,downloads\nacme-us/a,2024-12-16,2024-12-23,11\n');
    await importTimeseries(configFor(wh), { files: [join(tmp.dir, 'v2.csv')], series: 'study-weekly', replace: true }, deps);
    const inc = await build(wh, { full: false }, deps);
    expect(inc.periodsComputed).toBe(0);
    const q = "SELECT metric, mode, window_start, window_end, origin, downloads, round(share, 12) AS share FROM origin_shares ORDER BY ALL";
    const incremental = await queryWarehouse(wh, q);
    const copy = join(tmp.dir, 'copy');
    cpSync(wh, copy, { recursive: true });
    rmSync(warehousePaths(copy).database, { force: true });
    await build(copy, { full: true }, deps);
    expect(incremental).toEqual(await queryWarehouse(copy, q));
    const [p] = await queryWarehouse<{ d: number }>(wh, "SELECT downloads AS d FROM origin_shares WHERE metric = 'period' AND mode = 'uploader' AND origin = 'US' AND window_end = DATE '2024-12-23'");
    expect(p!.d).toBe(11);
  });

  it('an unreadable row fails the import with file, line and reason, and nothing lands', async () => {
    writeFileSync(join(tmp.dir, 'bad.csv'), 'model_id,period_start,period_end,downloads\nacme-us/a,2024-12-16,2024-12-23,11\nacme-us/a,2024-12-23,2024-12-30,lots\n');
    const err = await importTimeseries(configFor(wh), { files: [join(tmp.dir, 'bad.csv')], replace: false }, deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/bad\.csv:3: downloads "lots" is not a non-negative whole number/);
    expect(existsSync(seriesDir(warehousePaths(wh), 'bad'))).toBe(false);
    writeFileSync(join(tmp.dir, 'backwards.csv'), 'model_id,period_start,period_end,downloads\nacme-us/a,2024-12-23,2024-12-16,1\n');
    await expect(importTimeseries(configFor(wh), { files: [join(tmp.dir, 'backwards.csv')], replace: false }, deps)).rejects.toThrow(/backwards\.csv:2: period_end is not after period_start/);
  });
});
