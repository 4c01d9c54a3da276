import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { shippedRegistryDir } from '../../pipeline/paths.js';
import { join } from 'node:path';
import { LocalHub } from '../../pipeline/localhub/LocalHub.js';
import { syntheticHub } from '../../pipeline/localhub/syntheticFromRegistry.js';
import { collect } from '../../pipeline/collect/collect.js';
import { build } from '../../pipeline/build/build.js';
import { sqlDir, warehousePaths } from '../../pipeline/paths.js';
import { configFor, deps, fullBuildOfCopy, publishSnapshot, queryWarehouse, row, tempDir } from '../helpers.js';

const dates = ['2025-05-05', '2025-05-12', '2025-05-19', '2025-05-26', '2025-06-02', '2025-06-09'];

/** Every table and view of a warehouse as sorted rows, numbers to 12 significant digits. */
async function dump(warehouse: string): Promise<Record<string, unknown[]>> {
  const objects = await queryWarehouse<{ name: string }>(
    warehouse,
    "SELECT table_name AS name FROM duckdb_tables() WHERE NOT temporary UNION SELECT view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary ORDER BY 1",
  );
  const out: Record<string, unknown[]> = {};
  for (const { name } of objects) {
    if (name === 'build_info') continue; // holds the warehouse's own paths
    // name the period files by the build that wrote them; period_downloads and data_quality compare their rows
    if (name === 'period_files' || name === 'period_flags' || name === 'scope_period_done') continue;
    // class ids are given in the order classes first appear: classes compare by their attribution
    const sql =
      name === 'attribution_state'
        ? 'SELECT s.model_id, u.attribution AS uploader, l.attribution AS lineage FROM attribution_state s LEFT JOIN attribution_classes u ON u.class_id = s.uploader_class LEFT JOIN attribution_classes l ON l.class_id = s.lineage_class ORDER BY ALL'
        : name === 'attribution_classes'
          ? 'SELECT attribution FROM attribution_classes ORDER BY ALL'
          : name === 'attribution_terms'
            ? 'SELECT c.attribution, t.subject, t.mode, t.key, t.weight FROM attribution_terms t JOIN attribution_classes c USING (class_id) ORDER BY ALL'
            : `SELECT * FROM ${name} ORDER BY ALL`;
    const rows = await queryWarehouse(warehouse, sql);
    out[name] = JSON.parse(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v)));
  }
  return out;
}

describe('incremental build equals a full build', () => {
  const tmp = tempDir();
  const inc = join(tmp.dir, 'incremental');
  const full = join(tmp.dir, 'full');
  const source = syntheticHub(4000, 99);
  const hub = new LocalHub({ source, asOfMs: 0 });

  beforeAll(async () => {
    await hub.start();
  });
  afterAll(async () => {
    await hub.stop();
    tmp.cleanup();
  });

  const collectAt = async (date: string, asOf: string, replace = false) => {
    hub.asOfMs = Date.parse(`${asOf}T00:00:00Z`);
    await collect(configFor(inc, { hubUrl: hub.url, pageSize: 500 }), { snapshot: date, replace, fresh: true }, deps);
  };
  const fullCopy = () => fullBuildOfCopy(inc, full);

  it('adding one week at a time computes one period each and ends where --full does', async () => {
    for (const [k, date] of dates.entries()) {
      await collectAt(date, date);
      const r = await build(inc, { full: false }, deps);
      expect(r.periodsComputed).toBe(k === 0 ? 0 : 1);
    }
    await fullCopy();
    expect(await dump(inc)).toEqual(await dump(full));
  });

  it('keeps each week of a large table in row groups of its own, and each small kept table in one row group', async () => {
    // The state the first test left: six weeks, each added by an incremental build.
    const rowGroups = async (table: string) =>
      Number((await queryWarehouse<{ n: number }>(inc, `SELECT count(DISTINCT row_group_id) AS n FROM pragma_storage_info('${table}')`))[0]!.n);
    // six weekly appends of a few hundred rows each: DuckDB would merge them into one row group
    expect(await rowGroups('window_measures')).toBeGreaterThanOrEqual(dates.length - 1);
    const small = [...readFileSync(join(sqlDir, '180_compact_small_tables.sql'), 'utf8').matchAll(/^CREATE OR REPLACE TABLE (\w+)/gm)].map((m) => m[1]!);
    expect(small).toContain('origin_shares');
    for (const table of small) expect({ table, rowGroups: await rowGroups(table) }).toEqual({ table, rowGroups: (await queryWarehouse(inc, `SELECT 1 FROM ${table} LIMIT 1`)).length });
  });

  it('a replaced snapshot and one inserted between two others recompute only the periods they touch', async () => {
    await collectAt('2025-05-26', '2025-05-27', true); // replaced: touches two periods
    const r = await build(inc, { full: false }, deps);
    expect(r.periodsComputed).toBe(2);
    await collectAt('2025-06-05', '2025-06-05'); // inserted between 06-02 and 06-09
    const r2 = await build(inc, { full: false }, deps);
    expect(r2.periodsComputed).toBe(2);
    await fullCopy();
    const a = await dump(inc);
    const b = await dump(full);
    expect(Object.keys(a)).toEqual(Object.keys(b));
    for (const name of Object.keys(a)) expect(a[name], name).toEqual(b[name]);
  });

  it('a registry edit between builds changes attribution: the kept measures are recomputed', async () => {
    cpSync(shippedRegistryDir, warehousePaths(inc).registry, { recursive: true });
    await build(inc, { full: false }, deps);
    const before = await queryWarehouse<{ share: number }>(inc, "SELECT share FROM origin_shares WHERE metric = 'trailing' AND mode = 'uploader' AND origin = 'unknown' ORDER BY window_end DESC LIMIT 1");
    // The busiest unknown uploader becomes a Korean organisation.
    const [top] = await queryWarehouse<{ namespace: string }>(inc, 'SELECT namespace FROM unmapped_namespaces LIMIT 1');
    appendFileSync(join(warehousePaths(inc).registry, 'orgs.csv'), `${top!.namespace},KR,company,test\n`);
    const r = await build(inc, { full: false }, deps);
    expect(r.periodsComputed).toBe(0);
    const after = await queryWarehouse<{ share: number }>(inc, "SELECT share FROM origin_shares WHERE metric = 'trailing' AND mode = 'uploader' AND origin = 'unknown' ORDER BY window_end DESC LIMIT 1");
    expect(after[0]!.share).toBeLessThan(before[0]!.share);
    await fullCopy();
    const a = await dump(inc);
    const b = await dump(full);
    for (const name of Object.keys(a)) expect(a[name], name).toEqual(b[name]);
  });
});

describe('a snapshot backfilled before the newest one', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('recomputes later periods that depend on what was seen before (models without created_at)', async () => {
    const wh = join(tmp.dir, 'wh');
    const x = (a: number) => row({ model_id: 'someone/x', downloads_all_time: a, downloads_30d: 10 });
    const y = (a: number) => row({ model_id: 'someone/y', downloads_all_time: a, downloads_30d: a });
    await publishSnapshot(wh, '2025-01-13', [y(1)]);
    await publishSnapshot(wh, '2025-01-20', [y(2), x(500)]);
    await build(wh, { full: false }, deps);
    const flag = async (w: string) =>
      (await queryWarehouse<{ flag: string; downloads: number }>(w, "SELECT flag, downloads::INTEGER AS downloads FROM period_downloads WHERE model_id = 'someone/x' AND period_end = DATE '2025-01-20'"))[0];
    expect(await flag(wh)).toEqual({ flag: 'new', downloads: 500 });
    // An older dump shows x existed before: it is not new on 2025-01-20 but back after a gap.
    await publishSnapshot(wh, '2025-01-06', [y(0), x(400)]);
    await build(wh, { full: false }, deps);
    expect((await flag(wh))!.flag).toBe('late_seen');
    const copy = join(tmp.dir, 'copy');
    cpSync(warehousePaths(wh).lake, warehousePaths(copy).lake, { recursive: true });
    await build(copy, { full: true }, deps);
    expect(await flag(copy)).toEqual(await flag(wh));
  });
});

describe('the catalog of models that vanish and come back', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('gives each model its first and last snapshot, week by week and after snapshots backfilled out of order, as --full does', async () => {
    const wh = join(tmp.dir, 'wh');
    const m = (id: string, a: number) => row({ model_id: `lab/${id}`, downloads_all_time: a, downloads_30d: a });
    const catalog = async (w: string) =>
      Object.fromEntries(
        (
          await queryWarehouse<{ model_id: string; first_seen: string; last_seen: string }>(
            w,
            "SELECT model_id, strftime(first_seen, '%m-%d') AS first_seen, strftime(last_seen, '%m-%d') AS last_seen FROM model_catalog ORDER BY model_id",
          )
        ).map((r) => [r.model_id.slice(4), `${r.first_seen}..${r.last_seen}`]),
      );
    await publishSnapshot(wh, '2025-01-13', [m('a', 1), m('b', 1), m('c', 1)]);
    await build(wh, { full: false }, deps);
    await publishSnapshot(wh, '2025-01-20', [m('a', 2), m('b', 2)]);
    await build(wh, { full: false }, deps);
    expect(await catalog(wh)).toEqual({ a: '01-13..01-20', b: '01-13..01-20', c: '01-13..01-13' });
    // c is described anew in the last snapshot that holds it: a full build must take that row
    await publishSnapshot(wh, '2025-01-27', [m('a', 3), { ...m('c', 3), author: 'other', base_models: ['lab/a'], base_relation: 'finetune' }]);
    await build(wh, { full: false }, deps);
    expect(await catalog(wh)).toEqual({ a: '01-13..01-27', b: '01-13..01-20', c: '01-13..01-27' });
    await publishSnapshot(wh, '2025-02-03', [m('a', 4), m('b', 4), m('d', 4)]);
    await build(wh, { full: false }, deps);
    expect(await catalog(wh)).toEqual({ a: '01-13..02-03', b: '01-13..02-03', c: '01-13..01-27', d: '02-03..02-03' });
    // two older snapshots at once: one before the first, one between two merged ones
    await publishSnapshot(wh, '2025-01-06', [m('c', 0), m('e', 0)]);
    await publishSnapshot(wh, '2025-01-23', [m('b', 2), m('f', 2)]);
    await build(wh, { full: false }, deps);
    const expected = { a: '01-13..02-03', b: '01-13..02-03', c: '01-06..01-27', d: '02-03..02-03', e: '01-06..01-06', f: '01-23..01-23' };
    expect(await catalog(wh)).toEqual(expected);
    const copy = join(tmp.dir, 'copy');
    await fullBuildOfCopy(wh, copy);
    expect(await catalog(copy)).toEqual(expected);
    const described = (w: string) => queryWarehouse(w, 'SELECT model_id, author, base_models, base_relation, created_at FROM model_catalog ORDER BY model_id');
    expect(await described(copy)).toEqual(await described(wh));
    expect((await described(copy)).find((r) => r.model_id === 'lab/c')).toMatchObject({ author: 'other', base_models: ['lab/a'] });
    // a newest snapshot that holds no model: every model keeps the date it was last seen
    await publishSnapshot(wh, '2025-02-10', []);
    await build(wh, { full: false }, deps);
    expect(await catalog(wh)).toEqual(expected);
    const emptyNewest = join(tmp.dir, 'empty-newest');
    await fullBuildOfCopy(wh, emptyNewest);
    expect(await catalog(emptyNewest)).toEqual(expected);
  });
});
