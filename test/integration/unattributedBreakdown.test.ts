import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../../pipeline/build/build.js';
import { Database, sqlLiteral } from '../../pipeline/duckdb.js';
import { snapshotDir, warehousePaths } from '../../pipeline/paths.js';
import { deps, fullBuildOfCopy, publishSnapshot, queryWarehouse, row, tempDir, writeRegistry } from '../helpers.js';

/** A namespaces.parquet as collect writes it, put beside a published snapshot's models.parquet. */
async function writeLookups(wh: string, date: string, rows: [string, string, string | null][]): Promise<void> {
  const file = join(snapshotDir(warehousePaths(wh), date), 'namespaces.parquet');
  const values = rows.map(([ns, kind, name]) => `(${sqlLiteral(ns)}, ${sqlLiteral(kind)}, ${sqlLiteral(name)}, TIMESTAMP '${date} 00:05:00')`).join(', ');
  await Database.with(':memory:', {}, (db) =>
    db.run(`COPY (SELECT * FROM (VALUES ${values}) v(namespace, kind, display_name, looked_up_at)) TO ${sqlLiteral(file)} (FORMAT parquet)`),
  );
}

// Week 1 has no lookups; week 2 knows lab-x (an organisation) and jdoe (a user); gone-user was
// never answered. jdoe/ft fine-tunes lab-x/base, so in lineage mode its downloads go to lab-x.
describe('unattributed_breakdown', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse');

  beforeAll(async () => {
    writeRegistry(wh, ['acme-us,US,company,test']);
    const created = '2025-01-01T00:00:00.000Z';
    await publishSnapshot(wh, '2025-01-06', [
      row({ model_id: 'acme-us/a', downloads_all_time: 100, downloads_30d: 100, created_at: created }),
      row({ model_id: 'lab-x/base', downloads_all_time: 50, downloads_30d: 50, created_at: created }),
      row({ model_id: 'jdoe/ft', downloads_all_time: 20, downloads_30d: 20, created_at: created, base_models: ['lab-x/base'], base_relation: 'finetune' }),
      row({ model_id: 'gone-user/m', downloads_all_time: 5, downloads_30d: 5, created_at: created }),
    ]);
    await publishSnapshot(wh, '2025-01-13', [
      row({ model_id: 'acme-us/a', downloads_all_time: 160, downloads_30d: 160, created_at: created }),
      row({ model_id: 'lab-x/base', downloads_all_time: 80, downloads_30d: 80, created_at: created }),
      row({ model_id: 'jdoe/ft', downloads_all_time: 30, downloads_30d: 30, created_at: created, base_models: ['lab-x/base'], base_relation: 'finetune' }),
      row({ model_id: 'gone-user/m', downloads_all_time: 7, downloads_30d: 7, created_at: created }),
    ]);
    await writeLookups(wh, '2025-01-13', [
      ['lab-x', 'org', 'Lab X'],
      ['jdoe', 'user', 'J. Doe'],
    ]);
    await build(wh, { full: false }, deps);
  }, 60_000);
  afterAll(() => tmp.cleanup());

  async function split(metric: string, mode: string, end: string): Promise<Record<string, number>> {
    const rows = await queryWarehouse<{ kind: string; downloads: number }>(
      wh,
      `SELECT kind, downloads FROM unattributed_breakdown WHERE metric = '${metric}' AND mode = '${mode}' AND window_end = DATE '${end}' ORDER BY kind`,
    );
    return Object.fromEntries(rows.map((r) => [r.kind, r.downloads]));
  }

  it('splits the period’s unknown downloads by the kind the Hub gave, in both modes', async () => {
    // period 2: acme 60 (US), lab-x 30, jdoe 10, gone-user 2 → unknown 42
    expect(await split('period', 'uploader', '2025-01-13')).toEqual({ individual: 10, not_looked_up: 2, unmapped_org: 30 });
    expect(await split('period', 'lineage', '2025-01-13')).toEqual({ individual: 0, not_looked_up: 2, unmapped_org: 40 });
    const [share] = await queryWarehouse<{ share: number }>(wh, "SELECT share FROM unattributed_breakdown WHERE metric = 'period' AND mode = 'uploader' AND kind = 'unmapped_org'");
    expect(share!.share).toBeCloseTo(30 / 102, 12);
  });

  it('uses only lookups of snapshots up to the window’s end: the first week’s figures know nothing yet', async () => {
    expect(await split('all_time', 'uploader', '2025-01-06')).toEqual({ individual: 0, not_looked_up: 75, unmapped_org: 0 });
    expect(await split('all_time', 'uploader', '2025-01-13')).toEqual({ individual: 30, not_looked_up: 7, unmapped_org: 80 });
    const before = await queryWarehouse<{ namespace: string; kind: string | null }>(wh, "SELECT namespace, kind FROM unmapped_namespaces_at(DATE '2025-01-06') ORDER BY namespace");
    expect(before.every((r) => r.kind === null)).toBe(true);
    const after = await queryWarehouse<{ namespace: string; kind: string | null; display_name: string | null }>(wh, 'SELECT namespace, kind, display_name FROM unmapped_namespaces ORDER BY namespace');
    expect(after).toEqual([
      { namespace: 'gone-user', kind: null, display_name: null },
      { namespace: 'jdoe', kind: 'user', display_name: 'J. Doe' },
      { namespace: 'lab-x', kind: 'org', display_name: 'Lab X' },
    ]);
  });

  it('has three rows per window of origin_shares, summing to its unknown row', async () => {
    const [r] = await queryWarehouse<{ windows: number; rows: number; worst: number }>(
      wh,
      `WITH b AS (SELECT metric, mode, window_end, count(*) AS n, sum(downloads) AS d FROM unattributed_breakdown GROUP BY ALL),
            w AS (SELECT DISTINCT metric, mode, window_end FROM origin_shares)
       SELECT (SELECT count(*) FROM w)::INTEGER AS windows, (SELECT count(*) FROM unattributed_breakdown)::INTEGER AS rows,
              max(abs(b.d - coalesce(o.downloads, 0)))::DOUBLE AS worst
       FROM b LEFT JOIN origin_shares o ON o.metric = b.metric AND o.mode = b.mode AND o.window_end = b.window_end AND o.origin = 'unknown'`,
    );
    expect(r!.rows).toBe(3 * r!.windows);
    expect(r!.worst).toBe(0);
  });

  it('is kept between builds and equals a full build after a new week, a lookup added to an old snapshot and a registry edit', async () => {
    const rowsOf = (w: string) => queryWarehouse(w, 'SELECT * FROM unattributed_breakdown ORDER BY ALL');
    const full = join(tmp.dir, 'full');
    const sameAsFull = async () => {
      await fullBuildOfCopy(wh, full);
      expect(await rowsOf(wh)).toEqual(await rowsOf(full));
    };
    const created = '2025-01-01T00:00:00.000Z';
    await publishSnapshot(wh, '2025-01-20', [
      row({ model_id: 'acme-us/a', downloads_all_time: 200, downloads_30d: 200, created_at: created }),
      row({ model_id: 'gone-user/m', downloads_all_time: 17, downloads_30d: 17, created_at: created }),
    ]);
    await build(wh, { full: false }, deps);
    await sameAsFull();
    // gone-user answered after all, recorded with the first snapshot: every window from it changes
    await writeLookups(wh, '2025-01-06', [['gone-user', 'user', null]]);
    await build(wh, { full: false }, deps);
    expect(await split('all_time', 'uploader', '2025-01-06')).toEqual({ individual: 5, not_looked_up: 70, unmapped_org: 0 });
    await sameAsFull();
    // lab-x gets a registry row: its downloads leave the unknown ones
    writeRegistry(wh, ['acme-us,US,company,test', 'lab-x,FR,company,test']);
    await build(wh, { full: false }, deps);
    expect(await split('all_time', 'uploader', '2025-01-13')).toEqual({ individual: 37, not_looked_up: 0, unmapped_org: 0 });
    await sameAsFull();
  }, 120_000);
});
