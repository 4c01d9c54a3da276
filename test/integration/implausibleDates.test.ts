import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '../../pipeline/duckdb.js';
import { snapshotDir, warehousePaths } from '../../pipeline/paths.js';
import { readManifest } from '../../pipeline/storage/manifest.js';
import { tempDir } from '../helpers.js';
import { runCli } from '../spawnCli.js';

describe('dates no real snapshot or model can have', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const file = join(tmp.dir, 'models.jsonl');
  const obj = (id: string, createdAt: string): string => JSON.stringify({ id, downloads: 1, downloadsAllTime: 5, likes: 0, createdAt });
  writeFileSync(file, [obj('acme-us/ok', '2024-05-01T10:00:00.000Z'), obj('acme-us/epoch', '1970-01-01T00:00:00.000Z'), obj('acme-us/future', '9999-01-01T00:00:00.000Z'), obj('acme-us/next-week', '2025-01-20T00:00:00.000Z')].join('\n') + '\n');

  it('snapshot dates before 2019 or after tomorrow are refused with exit 2 unless --allow-date', () => {
    const wh = join(tmp.dir, 'dates');
    for (const [date, why] of [['9999-12-31', /snapshot date 9999-12-31 is after tomorrow \(\d{4}-\d{2}-\d{2}\); pass --allow-date/], ['0000-01-01', /before 2019-01-01/], ['2018-12-31', /before 2019-01-01/]] as const) {
      const r = runCli(['import', file, '--format', 'api-jsonl', '--snapshot', date, '--warehouse', wh]);
      expect(r.code, date).toBe(2);
      expect(r.stderr).toMatch(why);
    }
    const c = runCli(['collect', '--snapshot', '9999-12-31', '--hub', 'http://127.0.0.1:9', '--warehouse', wh]);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/after tomorrow/);
    const allowed = runCli(['import', file, '--format', 'api-jsonl', '--snapshot', '2018-06-04', '--allow-date', '--warehouse', wh]);
    expect(allowed.code, allowed.stderr).toBe(0);
  });

  it('a createdAt before 2016 or after the snapshot is stored as NULL and counted in the manifest', async () => {
    const wh = join(tmp.dir, 'created');
    const r = runCli(['import', file, '--format', 'api-jsonl', '--snapshot', '2025-01-13', '--warehouse', wh, '--log-level', 'warn']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('created_at_impossible');
    const dir = snapshotDir(warehousePaths(wh), '2025-01-13');
    expect(readManifest(dir)!.created_at_impossible).toBe(3);
    const rows = await Database.with(':memory:', {}, (db) =>
      db.rows<{ model_id: string; created_at: string | null }>(`SELECT model_id, created_at::VARCHAR AS created_at FROM read_parquet('${join(dir, 'models.parquet')}') ORDER BY model_id`),
    );
    expect(rows).toEqual([
      { model_id: 'acme-us/epoch', created_at: null },
      { model_id: 'acme-us/future', created_at: null },
      { model_id: 'acme-us/next-week', created_at: null },
      { model_id: 'acme-us/ok', created_at: '2024-05-01 10:00:00' },
    ]);
  });
});
