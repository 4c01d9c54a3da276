import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { LocalHub } from '../../pipeline/localhub/LocalHub.js';
import { SyntheticHub } from '../../pipeline/localhub/SyntheticHub.js';
import { collect } from '../../pipeline/collect/collect.js';
import { configFor, deps, queryWarehouse, tempDir } from '../helpers.js';
import { Database } from '../../pipeline/duckdb.js';
import { snapshotDir, warehousePaths } from '../../pipeline/paths.js';
import { EXPAND_FIELDS } from '../../pipeline/hub/modelRow.js';
import { UsageError } from '../../pipeline/errors.js';

const orgs = [
  { org: 'Qwen', country: 'CN', kind: 'company' as const, source: 'test' },
  { org: 'meta-llama', country: 'US', kind: 'company' as const, source: 'test' },
  { org: 'unsloth', country: 'US', kind: 'intermediary' as const, source: 'test' },
];
const asOf = Date.parse('2025-06-02T00:00:00Z');

describe('collect against the local hub over HTTP', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse');
  const source = new SyntheticHub({ models: 2500, seed: 7, orgs });
  const hub = new LocalHub({ source, asOfMs: asOf });
  let served: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const url = await hub.start();
    // What the hub serves, read over HTTP in one go, to compare with what collect wrote.
    const res = await fetch(`${url}/api/models?limit=1000&sort=createdAt&${EXPAND_FIELDS.map((f) => `expand=${f}`).join('&')}`);
    expect(res.headers.get('link')).toMatch(/rel="next"/);
    served = [];
    let next: string | null = `${url}/api/models?limit=1000&sort=createdAt&${EXPAND_FIELDS.map((f) => `expand=${f}`).join('&')}`;
    while (next) {
      const r: Response = await fetch(next);
      served.push(...((await r.json()) as Record<string, unknown>[]));
      next = /<([^>]+)>;\s*rel="next"/.exec(r.headers.get('link') ?? '')?.[1] ?? null;
    }
  });
  afterAll(async () => {
    await hub.stop();
    tmp.cleanup();
  });

  it('writes every served model once, with its counters and lineage, over at least 3 pages', async () => {
    const config = configFor(wh, { hubUrl: hub.url, pageSize: 400 });
    const { manifest } = await collect(config, { snapshot: '2025-06-02', replace: false, fresh: false }, deps);
    expect(manifest.pages).toBeGreaterThanOrEqual(3);
    expect(manifest.rows).toBe(served.length);
    expect(served.length).toBeGreaterThan(1000);
    const parquet = join(snapshotDir(warehousePaths(wh), '2025-06-02'), 'models.parquet');
    const rows = await Database.with(':memory:', {}, (db) =>
      db.rows<{ model_id: string; downloads_all_time: string; downloads_30d: string; base_models: string[] | null; base_relation: string | null; created_at: string }>(
        `SELECT model_id, downloads_all_time, downloads_30d, base_models, base_relation, strftime(created_at, '%Y-%m-%dT%H:%M:%S.%g') AS created_at FROM read_parquet('${parquet}') ORDER BY model_id`,
      ),
    );
    const byId = new Map(served.map((o) => [o.id as string, o]));
    expect(new Set(rows.map((r) => r.model_id)).size).toBe(rows.length);
    expect(rows.length).toBe(byId.size);
    for (const r of rows) {
      const o = byId.get(r.model_id)!;
      expect(o, r.model_id).toBeDefined();
      expect(Number(r.downloads_all_time)).toBe(o.downloadsAllTime);
      expect(Number(r.downloads_30d)).toBe(o.downloads);
      expect(`${r.created_at}Z`).toBe(o.createdAt);
      const bm = o.baseModels as { models: { id: string }[]; relation: string } | undefined;
      expect(r.base_models).toEqual(bm ? bm.models.map((m) => m.id) : null);
      expect(r.base_relation).toBe(bm ? bm.relation : null);
    }
    const m = JSON.parse(readFileSync(join(snapshotDir(warehousePaths(wh), '2025-06-02'), 'manifest.json'), 'utf8'));
    expect(m.sum_downloads_all_time).toBe(served.reduce((s, o) => s + (o.downloadsAllTime as number), 0));
    expect(m.synthetic).toBe(true);
    expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a date that exists unless --replace, and replaces it with --replace', async () => {
    const config = configFor(wh, { hubUrl: hub.url, pageSize: 1000 });
    await expect(collect(config, { snapshot: '2025-06-02', replace: false, fresh: false }, deps)).rejects.toThrow(/--replace/);
    await expect(collect(config, { snapshot: '2025-06-02', replace: false, fresh: false }, deps)).rejects.toBeInstanceOf(UsageError);
    const { manifest } = await collect(config, { snapshot: '2025-06-02', replace: true, fresh: false }, deps);
    expect(manifest.rows).toBe(served.length);
    const n = await Database.with(':memory:', {}, (db) =>
      db.rows<{ n: string }>(`SELECT count(*) AS n FROM read_parquet('${join(warehousePaths(wh).snapshots, '*', 'models.parquet')}')`),
    );
    expect(Number(n[0]!.n)).toBe(served.length);
  });

  it('a partial crawl by downloads stops below the threshold and records it', async () => {
    const config = configFor(join(tmp.dir, 'partial'), { hubUrl: hub.url, pageSize: 100 });
    const threshold = 50;
    const { manifest } = await collect(config, { snapshot: '2025-06-02', minDownloads: threshold, replace: false, fresh: false }, deps);
    const expected = served.filter((o) => (o.downloads as number) >= threshold).length;
    expect(manifest.rows).toBe(expected);
    expect(manifest.min_downloads).toBe(threshold);
    expect(manifest.pages).toBeLessThan(Math.ceil(served.length / 100));
  });

  it('a build over the collected snapshot sees every row', async () => {
    const { build } = await import('../../pipeline/build/build.js');
    await build(wh, { full: false }, deps);
    const [r] = await queryWarehouse<{ n: string }>(wh, 'SELECT count(*) AS n FROM models_latest');
    expect(Number(r!.n)).toBe(served.length);
  });
});
