import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';
import { build } from '../../pipeline/build/build.js';
import { report } from '../../pipeline/report/report.js';
import { readLatest } from '../../pipeline/report/latest.js';
import { deps, publishSnapshot, row, tempDir, writeRegistry } from '../helpers.js';

/** sha256 of every file under a folder, by `/`-separated relative path. */
function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p).split(sep).join('/')] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const dates = ['2025-01-06', '2025-01-13', '2025-01-20', '2025-01-27'];

/** A small lake with US, CN, an intermediary and an unknown namespace, lineage and a merge. */
async function smallLake(wh: string): Promise<void> {
  writeRegistry(
    wh,
    ['meta-llama,US,company,test', 'Qwen,CN,company,test', 'mistralai,FR,company,test', 'bartowski,INTL,intermediary,test'],
    [],
    ['Llama,meta-llama/%', 'Qwen,Qwen/%'],
  );
  for (const [k, date] of dates.entries()) {
    const g = k + 1;
    await publishSnapshot(wh, date, [
      row({ model_id: 'meta-llama/Llama-3-8B', created_at: '2024-04-18T00:00:00.000Z', downloads_all_time: 1000 + 300 * g, downloads_30d: 900 }),
      row({ model_id: 'Qwen/Qwen2.5-7B', created_at: '2024-09-19T00:00:00.000Z', downloads_all_time: 800 + 450 * g * g, downloads_30d: 1200 }),
      row({ model_id: 'mistralai/Mistral-7B', created_at: '2023-09-27T00:00:00.000Z', downloads_all_time: 500 + 70 * g, downloads_30d: 200 }),
      row({ model_id: 'bartowski/Qwen2.5-7B-GGUF', created_at: '2024-09-20T00:00:00.000Z', downloads_all_time: 300 + 111 * g, downloads_30d: 310, base_models: ['Qwen/Qwen2.5-7B'], base_relation: 'quantized' }),
      row({ model_id: 'someone/merge', created_at: '2024-10-01T00:00:00.000Z', downloads_all_time: 77 * g, downloads_30d: 50, base_models: ['Qwen/Qwen2.5-7B', 'meta-llama/Llama-3-8B', 'mistralai/Mistral-7B'], base_relation: 'merge' }),
      row({ model_id: '-cmd/model', created_at: '2024-10-01T00:00:00.000Z', downloads_all_time: 5 * g, downloads_30d: 3 }),
    ]);
  }
}

describe('report: same inputs give byte-identical outputs', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse');
  const reports = join(tmp.dir, 'reports');

  beforeAll(async () => {
    await smallLake(wh);
    await build(wh, { full: false }, deps);
  });
  afterAll(() => tmp.cleanup());

  it('two reports of one warehouse in different folders (and time zones) hash the same; manifests differ only in generated_at', async () => {
    const a = join(tmp.dir, 'out-a');
    const b = join(tmp.dir, 'elsewhere', 'out-b');
    await report(wh, reports, { out: a }, deps);
    // Charts must not depend on the host's time zone: render the second under another one.
    const tz = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      await report(wh, reports, { out: b }, deps);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    const ha = hashes(a);
    const hb = hashes(b);
    expect(Object.keys(ha)).toEqual(Object.keys(hb));
    expect(Object.keys(ha)).toEqual(expect.arrayContaining(['report.md', 'regions.csv', 'trend.csv', 'charts/share_by_region_uploader.svg', 'charts/qwen_vs_llama_all_time.svg', 'report.html', 'curation.md', 'curation.csv', 'manifest.json']));
    const differing = Object.keys(ha).filter((f) => ha[f] !== hb[f]);
    expect(differing).toEqual(['manifest.json']);

    const ma = JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    const mb = JSON.parse(readFileSync(join(b, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(ma.generated_at).not.toBeUndefined();
    expect({ ...ma, generated_at: null }).toEqual({ ...mb, generated_at: null });

    // The manifest lists every other file of the folder with its sha256.
    const { 'manifest.json': _m, ...outputs } = ha;
    expect(ma.outputs).toEqual(outputs);
  });

  it('the manifest records what verify needs: snapshots with their sha256, the registry folder, every SQL file', async () => {
    const r = await report(wh, reports, {}, deps);
    const m = JSON.parse(readFileSync(join(r.dir, 'manifest.json'), 'utf8')) as {
      as_of: string;
      inputs: { warehouse: string; registry_dir: string; registry_shipped: boolean; snapshots: { snapshot: string; sha256: string; manifest_sha256: string }[]; registry_sha256: Record<string, string>; build_sql_sha256: Record<string, string>; report_sql_sha256: Record<string, string> };
      environment: Record<string, string>;
    };
    expect(m.as_of).toBe('2025-01-27');
    expect(m.inputs.warehouse).toBe(wh);
    expect(m.inputs.registry_dir).toBe(join(wh, 'registry'));
    expect(m.inputs.registry_shipped).toBe(false);
    expect(m.inputs.snapshots.map((s) => s.snapshot)).toEqual(dates);
    for (const s of m.inputs.snapshots) {
      expect(s.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(s.manifest_sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(Object.keys(m.inputs.registry_sha256).sort()).toEqual(['aliases.csv', 'families.csv', 'orgs.csv']);
    expect(Object.keys(m.inputs.build_sql_sha256)).toContain('086_origin_shares.sql');
    expect(Object.keys(m.inputs.report_sql_sha256)).toContain('report/regions.sql');
    expect(Object.keys(m.environment).sort()).toEqual(['duckdb', 'node', 'vega', 'vega_lite']);
  });

  it('reports/latest.json points at the newest as-of, not at the last written', async () => {
    await report(wh, reports, { asOf: '2025-01-27' }, deps);
    let latest = readLatest(reports);
    expect(latest).toEqual({ as_of: '2025-01-27', dir: '2025-01-27', report: '2025-01-27/report.md', manifest: '2025-01-27/manifest.json', synthetic: false });
    const older = await report(wh, reports, { asOf: '2025-01-13' }, deps);
    expect(older.latest).toBe(false);
    expect(readLatest(reports)?.as_of).toBe('2025-01-27');
    expect(existsSync(join(reports, readLatest(reports)!.report))).toBe(true);

    // A report written outside the reports folder is never pointed at.
    const outside = await report(wh, reports, { out: join(tmp.dir, 'outside') }, deps);
    expect(outside.latest).toBe(false);
    latest = readLatest(reports);
    expect(latest?.dir).toBe('2025-01-27');
    // No temporary file is left beside the pointer.
    expect(readdirSync(reports).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
