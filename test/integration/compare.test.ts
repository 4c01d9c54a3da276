import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { importFiles } from '../../pipeline/import/importFiles.js';
import { build } from '../../pipeline/build/build.js';
import { report } from '../../pipeline/report/report.js';
import { readFileSync } from 'node:fs';
import { main } from '../../pipeline/cli.js';
import { systemClock } from '../../pipeline/clock.js';
import { silentLogger } from '../../pipeline/log.js';
import { Database, readSql } from '../../pipeline/duckdb.js';
import { warehousePaths } from '../../pipeline/paths.js';
import { configFor, deps, queryWarehouse, tempDir, writeRegistry } from '../helpers.js';
import { MODELS, WEEKS, allTime, downloadsBetween, snapshotDate, writeWeeklyHubStats, type SyntheticModel } from '../weeklyHubStats.js';

// A lake made for the purpose: 40 models of 11 namespaces, 57 weekly snapshots (2024-08-05 …
// 2025-09-01) written as the public hub_weekly_snapshots dataset lays them out and imported
// through `import --format hub-stats`. Every expected figure is computed here from the generator.

const ORIGIN: Record<string, string> = {
  Qwen: 'CN',
  'deepseek-ai': 'CN',
  THUDM: 'CN', // through the alias THUDM → zai-org
  'meta-llama': 'US',
  google: 'US',
  mistralai: 'FR',
  ai21labs: 'IL',
  bartowski: 'INTL',
  'mlx-community': 'INTL',
};
const originOf = (m: SyntheticModel): string => ORIGIN[m.id.split('/')[0]!] ?? 'unknown';
const rootOrigin = (m: SyntheticModel): string => (m.base ? ORIGIN[m.base.split('/')[0]!]! : originOf(m));

const TRACKED = [
  ...[0, 1, 2, 3, 4].map((i) => `Qwen/Qwen-${i}`),
  'Qwen/Qwen-new',
  ...[0, 1, 2, 3, 4].map((i) => `meta-llama/llama-${i}`),
  'ai21labs/jamba-0',
  'ai21labs/jamba-1',
  'THUDM/glm-4',
  'deepseek-ai/ds-0',
  'Qwen/never-in-the-lake',
];
const tracked = MODELS.filter((m) => TRACKED.includes(m.id));

const REFERENCES = [
  'study,figure,metric,mode,scope,origin,window_start,window_end,value,unit,source_section,source_url,confirmed_at,accessed',
  'paper,cn_year,trailing,uploader,hub,CN,2024-08,2025-08,30.0,percent,Table 1,https://example.org/paper,,2026-12-01',
  'paper,cn_year_lineage,trailing,lineage,hub,CN,2024-08,2025-08,30.0,percent,Table 1,https://example.org/paper,,2026-12-01',
  'paper,us_later,trailing,uploader,hub,US,2025-01,2026-02,10,percent,Figure 2,https://example.org/paper,,2026-12-01',
  'tracked,cn_all_time,all_time,uploader,tracked,CN,,2025-06,1000000,downloads,"Figure 1, panel b",https://example.org/tracked,https://example.org/confirmed,2026-12-01',
  'tracked,cn_year,trailing,uploader,tracked,CN,2024-08,2025-08,50.0,percent,Figure 1,https://example.org/tracked,,2026-12-01',
];

const REFERENCE_REGISTRY = [
  'hf_org,region,notes',
  'Qwen,china,',
  'deepseek-ai,china,',
  'THUDM,china,renamed',
  'zai-org,china,',
  'meta-llama,us,',
  'google,us,',
  'mistralai,eu,',
  'ai21labs,us,',
  'bartowski,unknown,',
  'someone-unmapped,us,',
];

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);

describe('comparison with published figures on a weekly hub_weekly_snapshots lake', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'wh');
  let modelsDir = '';
  let snapshotsImported: string[] = [];
  let comparison: Map<string, Row>;

  beforeAll(async () => {
    writeRegistry(
      wh,
      ['Qwen,CN,company,test', 'deepseek-ai,CN,company,test', 'zai-org,CN,company,test', 'meta-llama,US,company,test', 'google,US,company,test', 'mistralai,FR,company,test', 'ai21labs,IL,company,test', 'bartowski,INTL,intermediary,test', 'mlx-community,INTL,intermediary,test'],
      ['THUDM,zai-org'],
    );
    const registry = join(wh, 'registry');
    mkdirSync(join(registry, 'scopes'));
    writeFileSync(join(registry, 'scopes', 'tracked.csv'), ['model_id', ...TRACKED].join('\n') + '\n');
    mkdirSync(join(registry, 'reference_registries'));
    writeFileSync(join(registry, 'reference_registries', 'tracked.csv'), REFERENCE_REGISTRY.join('\n') + '\n');
    writeFileSync(join(registry, 'references.csv'), REFERENCES.join('\n') + '\n');
    modelsDir = await writeWeeklyHubStats(join(tmp.dir, 'hub_weekly_snapshots'));
    const manifests = await importFiles(configFor(wh), { files: [modelsDir], format: 'hub-stats', replace: false }, deps);
    snapshotsImported = manifests.map((m) => m.snapshot);
    await build(wh, { full: false }, deps);
    comparison = new Map((await queryWarehouse<Row>(wh, 'SELECT * FROM reference_comparison')).map((r) => [`${r.study}/${r.figure}`, r]));
    // 57 imports and a build on a machine shared with other test files: a generous hook timeout.
  }, 240_000);
  afterAll(() => tmp.cleanup());

  it('imports a folder laid out like hub_weekly_snapshots as one snapshot per date', async () => {
    const dates = Array.from({ length: WEEKS }, (_, k) => snapshotDate(k));
    expect(snapshotsImported).toEqual(dates);
    const snaps = await queryWarehouse<{ snapshot: string; rows: number }>(wh, "SELECT strftime(snapshot, '%Y-%m-%d') AS snapshot, rows::INTEGER AS rows FROM snapshots ORDER BY snapshot");
    expect(snaps.map((s) => s.snapshot)).toEqual(dates);
    expect(snaps[0]!.rows).toBe(MODELS.filter((m) => m.from === 0).length);
  });

  it('picks the latest trailing window inside the stated months, and its value under the same scope and mode', () => {
    const r = comparison.get('paper/cn_year')!;
    expect(r.status).toBe('compared');
    // The trailing windows ending on the four Mondays of August 2025 all start in August 2024.
    expect(String(r.window_end)).toContain('2025-08-25');
    expect(String(r.window_start)).toContain('2024-08-26');
    expect(num(r.start_days_apart)).toBe(0);
    expect(num(r.end_days_apart)).toBe(0);
    const a = 3; // 2024-08-26
    const b = 55; // 2025-08-25
    const total = MODELS.reduce((s, m) => s + downloadsBetween(m, a, b), 0);
    const cn = MODELS.filter((m) => originOf(m) === 'CN').reduce((s, m) => s + downloadsBetween(m, a, b), 0);
    expect(num(r.hubtrends_value)).toBeCloseTo((100 * cn) / total, 9);
    expect(num(r.difference)).toBeCloseTo((100 * cn) / total - 30, 9);
    expect(num(r.window_downloads)).toBe(total);
    const unknown = MODELS.filter((m) => originOf(m) === 'unknown').reduce((s, m) => s + downloadsBetween(m, a, b), 0);
    expect(unknown).toBeGreaterThan(0);
    expect(num(r.unattributed_share)).toBeCloseTo(unknown / total, 12);
    // the study publishes no registry: no registry difference to count
    expect(r.registry_difference_share).toBeNull();

    const lineage = comparison.get('paper/cn_year_lineage')!;
    const cnLineage = MODELS.filter((m) => rootOrigin(m) === 'CN').reduce((s, m) => s + downloadsBetween(m, a, b), 0);
    expect(cnLineage).toBeGreaterThan(cn);
    expect(num(lineage.hubtrends_value)).toBeCloseTo((100 * cnLineage) / total, 9);
  });

  it('takes a named scope\'s own total as the denominator', () => {
    const r = comparison.get('tracked/cn_year')!;
    expect(r.status).toBe('compared');
    const total = tracked.reduce((s, m) => s + downloadsBetween(m, 3, 55), 0);
    const cn = tracked.filter((m) => originOf(m) === 'CN').reduce((s, m) => s + downloadsBetween(m, 3, 55), 0);
    expect(num(r.window_downloads)).toBe(total);
    expect(num(r.hubtrends_value)).toBeCloseTo((100 * cn) / total, 9);
    expect(num(r.hubtrends_value)).not.toBeCloseTo(num(comparison.get('paper/cn_year')!.hubtrends_value), 1);
    expect(num(r.unattributed_share)).toBe(0);
  });

  it('compares an all-time figure in downloads at the last snapshot of the stated month', () => {
    const r = comparison.get('tracked/cn_all_time')!;
    expect(r.status).toBe('compared');
    expect(r.window_start).toBeNull();
    expect(String(r.window_end)).toContain('2025-06-30');
    const k = 47; // 2025-06-30
    const cn = tracked.filter((m) => originOf(m) === 'CN').reduce((s, m) => s + (Number.isNaN(allTime(m, k)) ? 0 : allTime(m, k)), 0);
    expect(num(r.hubtrends_value)).toBe(cn);
    expect(num(r.difference)).toBe(cn - 1_000_000);
    expect(r.source_section).toBe('Figure 1, panel b');
  });

  it('refuses to compare when no window lies within the tolerance', () => {
    const r = comparison.get('paper/us_later')!;
    expect(r.status).toBe('outside_tolerance');
    expect(num(r.tolerance_days)).toBe(7);
    // The last snapshot is 2025-09-01; the figure's window ends in February 2026.
    expect(String(r.window_end)).toContain('2025-09-01');
    expect(num(r.end_days_apart)).toBe(153);
    expect(r.hubtrends_value).toBeNull();
    expect(r.difference).toBeNull();
  });

  it('finds and counts the namespaces the reference registry maps differently', async () => {
    const diffs = await queryWarehouse<Row>(wh, 'SELECT namespace, reference_region, hubtrends_origin, hubtrends_region FROM reference_registry_differences ORDER BY namespace');
    expect(diffs).toEqual([
      { namespace: 'ai21labs', reference_region: 'us', hubtrends_origin: 'IL', hubtrends_region: 'other' },
      { namespace: 'someone-unmapped', reference_region: 'us', hubtrends_origin: 'unknown', hubtrends_region: 'unknown' },
    ]);
    const r = comparison.get('tracked/cn_year')!;
    const total = tracked.reduce((s, m) => s + downloadsBetween(m, 3, 55), 0);
    const ai21 = tracked.filter((m) => m.id.startsWith('ai21labs/')).reduce((s, m) => s + downloadsBetween(m, 3, 55), 0);
    expect(num(r.registry_difference_namespaces)).toBe(1);
    expect(num(r.registry_difference_share)).toBeCloseTo(ai21 / total, 12);
  });

  it('lists the data-quality flags of the periods inside the window', () => {
    const flags = String(comparison.get('paper/cn_year')!.quality_flags);
    // Qwen/Qwen-new appears in week 25 (its whole counter, 50 + 2·25) and google/old vanishes in
    // week 33, both inside the window.
    expect(flags).toContain('new: 1 models, 100 downloads');
    expect(flags).toContain('vanished: 1 models');
    expect(String(comparison.get('tracked/cn_all_time')!.quality_flags)).not.toContain('vanished');
  });

  it('shares of a named scope sum to 1 in every window', async () => {
    const bad = await queryWarehouse<Row>(wh, "SELECT metric, mode, window_end, sum(share) AS s FROM scope_shares WHERE scope = 'tracked' GROUP BY ALL HAVING abs(sum(share) - 1) > 1e-9");
    expect(bad).toEqual([]);
    const scopes = await queryWarehouse<{ scope: string }>(wh, 'SELECT DISTINCT scope FROM scope_shares ORDER BY scope');
    expect(scopes.map((s) => s.scope)).toEqual(['hub', 'tracked']);
  });

  it('gives the report the compared figures whose window ends by its date', async () => {
    const rowsAsOf = (asOf: string) =>
      Database.with(warehousePaths(wh).database, { readOnly: true }, async (db) => {
        await db.setVariable('as_of', asOf);
        return (await db.rows<Row>(readSql('report/against_published.sql'))).map((r) => `${r.study}/${r.figure}`);
      });
    expect(await rowsAsOf('2025-09-01')).toEqual(['paper/cn_year', 'paper/cn_year_lineage', 'tracked/cn_all_time', 'tracked/cn_year']);
    expect(await rowsAsOf('2025-07-07')).toEqual(['tracked/cn_all_time']);
  });

  it('puts the matched figures in the report, Markdown and HTML, beside ours with the difference', async () => {
    const out = join(tmp.dir, 'report-compare');
    await report(wh, join(tmp.dir, 'reports'), { out, asOf: '2025-09-01' }, deps);
    const [cn] = await queryWarehouse<{ v: number; d: number }>(wh, "SELECT hubtrends_value AS v, difference AS d FROM reference_comparison WHERE study = 'paper' AND figure = 'cn_year'");
    for (const file of ['report.md', 'report.html']) {
      const text = readFileSync(join(out, file), 'utf8');
      expect(text).toContain('Against published figures');
      expect(text).toContain('30.0%'); // the published value
      expect(text).toContain(`${cn!.v.toFixed(1)}%`);
      expect(text).toContain(`${cn!.d > 0 ? '+' : ''}${cn!.d.toFixed(1)} pp`);
    }
    const early = join(tmp.dir, 'report-compare-early');
    await report(wh, join(tmp.dir, 'reports'), { out: early, asOf: '2024-09-02' }, deps);
    expect(readFileSync(join(early, 'report.md'), 'utf8')).not.toContain('Against published figures');
  });

  it('prints the table in every query format through `hubtrends compare`', async () => {
    const run = async (args: string[]): Promise<{ code: number; out: string }> => {
      const stdout = new PassThrough();
      let out = '';
      stdout.on('data', (c: Buffer) => (out += c.toString()));
      const code = await main(args, { stdout, stderr: new PassThrough(), env: {}, cwd: tmp.dir, clock: systemClock, logger: silentLogger() });
      return { code, out };
    };
    const json = await run(['compare', '--warehouse', wh, '--format', 'json']);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.out) as Row[];
    expect(rows.map((r) => `${r.study}/${r.figure}`)).toEqual(['paper/cn_year', 'paper/cn_year_lineage', 'paper/us_later', 'tracked/cn_all_time', 'tracked/cn_year']);
    expect(rows[0]!.window_end).toBe('2025-08-25');
    const csv = await run(['compare', '--warehouse', wh, '--study', 'tracked', '--format', 'csv']);
    expect(csv.code).toBe(0);
    const lines = csv.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^study,figure,metric,mode,scope,origin,status,/);
    expect(lines).toHaveLength(3);
    const table = await run(['compare', '--warehouse', wh]);
    expect(table.out).toContain('outside_tolerance');
    expect(table.out).toContain('(5 rows)');
    expect((await run(['compare', '--warehouse', wh, '--study', 'nope'])).code).toBe(2);
  });
});
