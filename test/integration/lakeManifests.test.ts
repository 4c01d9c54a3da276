import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../../pipeline/build/build.js';
import { report } from '../../pipeline/report/report.js';
import { verify } from '../../pipeline/report/verify.js';
import { packageRoot, snapshotDir, warehousePaths } from '../../pipeline/paths.js';
import { sha256File } from '../../pipeline/storage/sha256.js';
import { deps, publishSnapshot, queryWarehouse, row, tempDir, writeRegistry } from '../helpers.js';

const cli = join(packageRoot, 'dist', 'pipeline', 'cli.js');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'UTC' }, timeout: 60_000 });
  return { code: r.status, stderr: r.stderr };
}

describe('snapshots written by another tool', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse');
  const paths = warehousePaths(wh);
  const manifestOf = (date: string) => join(snapshotDir(paths, date), 'manifest.json');
  /** Keep only the named fields of a snapshot's manifest, as a minimal writer would. */
  const strip = (date: string, keep: string[]) => {
    const m = JSON.parse(readFileSync(manifestOf(date), 'utf8')) as Record<string, unknown>;
    writeFileSync(manifestOf(date), JSON.stringify(Object.fromEntries(keep.filter((k) => k in m).map((k) => [k, m[k]]))));
  };

  beforeAll(async () => {
    writeRegistry(wh, ['acme-us,US,company,test', 'panda-cn,CN,company,test']);
    await publishSnapshot(wh, '2025-01-06', [row({ model_id: 'acme-us/a', downloads_all_time: 10, downloads_30d: 10 })]);
    await publishSnapshot(wh, '2025-01-13', [
      row({ model_id: 'acme-us/a', downloads_all_time: 30, downloads_30d: 25 }),
      row({ model_id: 'panda-cn/b', downloads_all_time: 40, downloads_30d: 40, created_at: '2025-01-10T00:00:00.000Z' }),
    ]);
    strip('2025-01-06', ['snapshot', 'source']);
    strip('2025-01-13', ['snapshot', 'source', 'rows']);
  });
  afterAll(() => tmp.cleanup());

  it('builds, reports and verifies with only snapshot and source: the rest is computed and recorded', async () => {
    await build(wh, { full: false }, deps);
    const snaps = await queryWarehouse<{ snapshot: string; rows: string; sum_downloads_all_time: string; sum_downloads_30d: string; sha256: string; computed: string[] }>(
      wh,
      "SELECT strftime(snapshot, '%Y-%m-%d') AS snapshot, rows, sum_downloads_all_time, sum_downloads_30d, sha256, computed FROM snapshots ORDER BY snapshot",
    );
    expect(snaps.map((s) => [s.snapshot, Number(s.rows), Number(s.sum_downloads_all_time), Number(s.sum_downloads_30d), s.computed])).toEqual([
      ['2025-01-06', 1, 10, 10, ['sha256', 'rows', 'sum_downloads_30d', 'sum_downloads_all_time']],
      ['2025-01-13', 2, 70, 65, ['sha256', 'sum_downloads_30d', 'sum_downloads_all_time']],
    ]);
    for (const s of snaps) expect(s.sha256).toBe(await sha256File(join(snapshotDir(paths, s.snapshot), 'models.parquet')));
    const r = await report(wh, join(tmp.dir, 'reports'), {}, deps);
    expect(r.asOf).toBe('2025-01-13');
    expect((await verify(r.dir, deps)).snapshots).toBe(2);
  });

  it('refuses a manifest without a required field, naming file and field, until the field is written', async () => {
    const file = manifestOf('2025-01-13');
    const good = readFileSync(file, 'utf8');
    strip('2025-01-13', ['snapshot', 'rows']);
    const r = run(['build', '--warehouse', wh]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('"source"');

    writeFileSync(file, JSON.stringify({ ...JSON.parse(good), snapshot: '2025-01-12' }));
    const wrongDate = run(['build', '--warehouse', wh]);
    expect(wrongDate.code).toBe(2);
    expect(wrongDate.stderr).toContain('"snapshot" is "2025-01-12", expected "2025-01-13"');

    writeFileSync(file, JSON.stringify({ ...JSON.parse(good), rows: 'two' }));
    const badType = run(['build', '--warehouse', wh]);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toContain('"rows" is "two"');

    writeFileSync(file, good); // what the message asks for clears the refusal
    expect(run(['build', '--warehouse', wh]).code).toBe(0);
  });
});
