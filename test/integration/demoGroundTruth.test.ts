import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { packageRoot } from '../../pipeline/paths.js';
import { join } from 'node:path';
import { demo, demoDates, DEMO_DEFAULTS } from '../../pipeline/demo/demo.js';
import { syntheticHub } from '../../pipeline/localhub/syntheticFromRegistry.js';
import { groundTruth } from '../../pipeline/localhub/groundTruth.js';
import { configFor, deps, queryWarehouse, tempDir } from '../helpers.js';

// The whole demo (50,000 models, 26 weekly crawls over HTTP, build, report) against the
// synthetic hub's own exact figures.
describe('demo against the synthetic hub’s ground truth', () => {
  const tmp = tempDir();
  const config = configFor(join(tmp.dir, 'warehouse'), { reports: join(tmp.dir, 'reports') });
  let result: Awaited<ReturnType<typeof demo>>;

  beforeAll(async () => {
    result = await demo(config, DEMO_DEFAULTS, deps);
  }, 180_000);
  afterAll(() => tmp.cleanup());

  it('writes a report labelled synthetic at the very top', () => {
    const md = readFileSync(join(result.dir, 'report.md'), 'utf8');
    expect(md.startsWith('> **Synthetic data.**')).toBe(true);
    expect(result.dir).toBe(join(tmp.dir, 'reports', 'demo', DEMO_DEFAULTS.lastDate));
    expect(existsSync(join(tmp.dir, 'warehouse', 'demo', 'hubtrends.duckdb'))).toBe(true);
  });

  it('keeps a synthetic report apart: `report` of the demo warehouse lands in reports/demo/, never moves reports/latest.json, and says SYNTHETIC', () => {
    expect(existsSync(join(tmp.dir, 'reports', 'latest.json'))).toBe(false);
    const r = spawnSync(process.execPath, [join(packageRoot, 'dist', 'pipeline', 'cli.js'), 'report', '--warehouse', join(tmp.dir, 'warehouse', 'demo'), '--reports', join(tmp.dir, 'reports')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, TZ: 'UTC' },
      timeout: 120_000,
    });
    expect(r.status).toBe(0);
    const [headline, path] = r.stdout.trim().split('\n');
    expect(headline).toMatch(/^SYNTHETIC DATA — In the trailing year to /);
    expect(path).toBe(join(tmp.dir, 'reports', 'demo', DEMO_DEFAULTS.lastDate, 'report.md'));
    expect(existsSync(join(tmp.dir, 'reports', DEMO_DEFAULTS.lastDate))).toBe(false);
    expect(existsSync(join(tmp.dir, 'reports', 'latest.json'))).toBe(false);
  });

  it('origin shares equal the ground truth for period, cumulative, all_time and window30 in both modes', async () => {
    const truth = groundTruth(syntheticHub(DEMO_DEFAULTS.models), demoDates(DEMO_DEFAULTS));
    const got = await queryWarehouse<{ metric: string; mode: string; window_end: string; origin: string; downloads: number; share: number }>(
      result.warehouse,
      "SELECT metric, mode, strftime(window_end, '%Y-%m-%d') AS window_end, origin, downloads, share FROM origin_shares WHERE metric IN ('period', 'cumulative', 'all_time', 'window30')",
    );
    const key = (r: { metric: string; mode: string; window_end: string; origin: string }) => `${r.metric}|${r.mode}|${r.window_end}|${r.origin}`;
    const gotBy = new Map(got.map((r) => [key(r), r]));
    const expected = truth.filter((r) => r.downloads !== 0 || gotBy.has(key(r)));
    expect(expected.length).toBeGreaterThan(500);
    let compared = 0;
    for (const t of expected) {
      const g = gotBy.get(key(t));
      expect(g, key(t)).toBeDefined();
      expect(Math.abs(g!.share - t.share), key(t)).toBeLessThan(1e-9);
      expect(Math.abs(g!.downloads - t.downloads) / Math.max(1, t.downloads), key(t)).toBeLessThan(1e-9);
      compared++;
    }
    // Nothing in the warehouse that the truth lacks (beyond zero rows of vanished models).
    const truthKeys = new Set(truth.map(key));
    for (const g of got) if (!truthKeys.has(key(g))) expect(g.downloads, key(g)).toBe(0);
    expect(compared).toBe(expected.length);
  });

  it('uploader and lineage attribution differ, and the synthetic hub rises in China', async () => {
    const rows = await queryWarehouse<{ mode: string; window_end: string; share: number }>(
      result.warehouse,
      "SELECT mode, strftime(window_end, '%Y-%m-%d') AS window_end, share FROM origin_shares WHERE metric = 'window30' AND origin = 'CN' ORDER BY window_end",
    );
    const up = rows.filter((r) => r.mode === 'uploader');
    const lin = rows.filter((r) => r.mode === 'lineage');
    expect(lin.at(-1)!.share).toBeGreaterThan(up.at(-1)!.share);
    expect(up.at(-1)!.share).toBeGreaterThan(up[0]!.share);
  });
});
