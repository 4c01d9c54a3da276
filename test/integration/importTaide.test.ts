import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { build } from '../../pipeline/build/build.js';
import { importFiles } from '../../pipeline/import/importFiles.js';
import type { SnapshotManifest } from '../../pipeline/storage/manifest.js';
import { sha256Text } from '../../pipeline/storage/sha256.js';
import { Database } from '../../pipeline/duckdb.js';
import { snapshotDir, warehousePaths } from '../../pipeline/paths.js';
import { configFor, deps, queryWarehouse, tempDir, writeRegistry } from '../helpers.js';

// The TAIDE monthly tracker (test/fixtures/taide/, see its README): 19 monthly CSV files of one
// organisation's models with both the 30-day and the all-time counter.
const dir = join(import.meta.dirname, '..', 'fixtures', 'taide');
const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort();

interface CsvRow { model_url: string; downloads: string; downloadsAllTime: string; date: string }
const csv = new Map<string, CsvRow[]>(files.map((f) => [f.slice(0, 10), parse(readFileSync(join(dir, f)), { columns: true }) as CsvRow[]]));
const dates = [...csv.keys()];

describe('import tracker-csv: the TAIDE monthly tracker', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse');
  let manifests: SnapshotManifest[] = [];

  beforeAll(async () => {
    writeRegistry(wh, ['taide,TW,lab,test']);
    manifests = await importFiles(configFor(wh), { files: [dir], format: 'tracker-csv', replace: false }, deps);
    await build(wh, { full: false }, deps);
  });
  afterAll(() => tmp.cleanup());

  it('makes every month a snapshot, dated by the file, with the file and its sha256 in the manifest', () => {
    expect(files).toHaveLength(19);
    expect(manifests.map((m) => m.snapshot)).toEqual(dates);
    for (const [i, m] of manifests.entries()) {
      expect(m.source).toEqual({ files: [{ name: `taide/${files[i]}`, sha256: sha256Text(readFileSync(join(dir, files[i]!))) }], format: 'tracker-csv' });
      expect(m.rows).toBe(csv.get(m.snapshot)!.length);
      expect(m.duplicates_dropped).toBe(0);
      expect(m.skipped).toEqual({});
      expect(m.min_downloads).toBeNull();
    }
  });

  it('sums per snapshot equal the CSV sums, in the manifest and in the Parquet', async () => {
    for (const m of manifests) {
      const rows = csv.get(m.snapshot)!;
      const d30 = rows.reduce((s, r) => s + Number(r.downloads), 0);
      const all = rows.reduce((s, r) => s + Number(r.downloadsAllTime), 0);
      expect([m.sum_downloads_30d, m.sum_downloads_all_time], m.snapshot).toEqual([d30, all]);
      const parquet = join(snapshotDir(warehousePaths(wh), m.snapshot), 'models.parquet');
      const [lake] = await Database.with(':memory:', {}, (db) =>
        db.rows<{ n: string; d30: string; a: string; authors: string[] }>(
          `SELECT count(*) AS n, sum(downloads_30d) AS d30, sum(downloads_all_time) AS a, list(DISTINCT author) AS authors FROM read_parquet('${parquet}')`,
        ),
      );
      expect([Number(lake!.n), Number(lake!.d30), Number(lake!.a), lake!.authors]).toEqual([rows.length, d30, all, ['taide']]);
    }
  });

  it('after build, period downloads between months are the differences of downloadsAllTime', async () => {
    const got = await queryWarehouse<{ period_end: string; model_id: string; downloads: number; flag: string }>(
      wh,
      "SELECT strftime(period_end, '%Y-%m-%d') AS period_end, model_id, downloads::INTEGER AS downloads, flag FROM period_downloads",
    );
    const key = (end: string, id: string) => `${end} ${id}`;
    const actual = new Map(got.map((r) => [key(r.period_end, r.model_id), r]));
    const seen = new Set<string>();
    for (const id of csv.get(dates[0]!)!.map((r) => r.model_url)) seen.add(id);
    let compared = 0;
    let returned = 0;
    for (let k = 1; k < dates.length; k++) {
      const prev = new Map(csv.get(dates[k - 1]!)!.map((r) => [r.model_url, Number(r.downloadsAllTime)]));
      for (const r of csv.get(dates[k]!)!) {
        const a = Number(r.downloadsAllTime);
        const row = actual.get(key(dates[k]!, r.model_url));
        if (prev.has(r.model_url)) {
          // in both months: A_k − A_{k−1} (rows of models whose counter did not move are not stored)
          expect(row?.downloads ?? 0, `${dates[k]} ${r.model_url}`).toBe(a - prev.get(r.model_url)!);
          compared++;
        } else if (!seen.has(r.model_url)) {
          // first appearance of a model with no createdAt after a complete snapshot: all of A_k
          expect(row, `${dates[k]} ${r.model_url}`).toMatchObject({ downloads: a, flag: 'new' });
          compared++;
        } else {
          // seen before, gone a while, back again: never its whole counter a second time
          expect(row?.flag, `${dates[k]} ${r.model_url}`).toBe('late_seen');
          expect(row!.downloads).toBeLessThan(a);
          returned++;
        }
        seen.add(r.model_url);
      }
    }
    expect(compared).toBeGreaterThan(180);
    expect(returned).toBeGreaterThan(0); // taide/llava_llama3_8b_clip336_e, gone on 2025-01-02
    // Between consecutive months the counter never fell in this tracker.
    expect(got.filter((r) => r.flag === 'counter_decrease')).toEqual([]);
  });

  it('every month is a snapshot of the warehouse, and all-time shares add up to the CSV sums', async () => {
    const snaps = await queryWarehouse<{ snapshot: string; sum_downloads_all_time: number }>(
      wh,
      "SELECT strftime(snapshot, '%Y-%m-%d') AS snapshot, sum_downloads_all_time::BIGINT AS sum_downloads_all_time FROM snapshots ORDER BY snapshot",
    );
    expect(snaps.map((s) => s.snapshot)).toEqual(dates);
    const allTime = await queryWarehouse<{ window_end: string; downloads: number }>(
      wh,
      "SELECT strftime(window_end, '%Y-%m-%d') AS window_end, sum(downloads) AS downloads FROM origin_shares WHERE metric = 'all_time' AND mode = 'uploader' GROUP BY ALL ORDER BY window_end",
    );
    expect(allTime).toEqual(manifests.map((m) => ({ window_end: m.snapshot, downloads: m.sum_downloads_all_time })));
  });
});
