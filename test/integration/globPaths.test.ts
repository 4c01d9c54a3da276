import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../../pipeline/build/build.js';
import { importTimeseries } from '../../pipeline/import/importTimeseries.js';
import { UsageError } from '../../pipeline/errors.js';
import { runCli } from '../spawnCli.js';
import { configFor, deps, publishSnapshot, queryWarehouse, row, tempDir, writeRegistry } from '../helpers.js';

/** Paths holding DuckDB's glob characters reach DuckDB as literal paths, never as patterns. */
describe('glob characters in user paths', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  const lake = async (wh: string, dates: string[]): Promise<void> => {
    writeRegistry(wh, ['acme-us,US,company,test']);
    for (const [i, d] of dates.entries()) await publishSnapshot(wh, d, [row({ model_id: 'acme-us/a', downloads_all_time: 10 * (i + 1), downloads_30d: 10 })]);
  };

  it('a warehouse at wh* builds from its own lake only, not from whX beside it', async () => {
    const mine = join(tmp.dir, 'wh*');
    await lake(mine, ['2025-01-06', '2025-01-13']);
    await lake(join(tmp.dir, 'whX'), ['2025-02-03', '2025-02-10', '2025-02-17']);
    const r = await build(mine, { full: false }, deps);
    expect(r.snapshots).toBe(2);
    const rows = await queryWarehouse<{ snapshot: string }>(mine, 'SELECT strftime(snapshot, \'%Y-%m-%d\') AS snapshot FROM snapshots ORDER BY 1');
    expect(rows.map((x) => x.snapshot)).toEqual(['2025-01-06', '2025-01-13']);
    const [n] = await queryWarehouse<{ n: string }>(mine, 'SELECT count(*) AS n FROM lake_models');
    expect(Number(n!.n)).toBe(2);
  });

  it('a warehouse path holding "?" is refused with exit 2: DuckDB cuts a database path at "?"', () => {
    const err = (() => {
      try {
        configFor(join(tmp.dir, 'wh?'));
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/--warehouse: .*wh\?.*"\?"/);
    const r = runCli(['build', '--warehouse', join(tmp.dir, 'wh?')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('which DuckDB cannot open a database under');
  });

  it('a warehouse at w[1]*h publishes and builds (the brackets and star are not patterns)', async () => {
    const wh = join(tmp.dir, 'w[1]*h');
    await lake(wh, ['2025-01-06', '2025-01-13']);
    const r = await build(wh, { full: false }, deps);
    expect(r.snapshots).toBe(2);
  });

  it('an imported series at in[1]/ is read from that file, not from in1/', async () => {
    const wh = join(tmp.dir, 'series-wh');
    await lake(wh, ['2025-01-06', '2025-01-13']);
    for (const [dir, n] of [['in[1]', 5], ['in1', 999]] as const) {
      mkdirSync(join(tmp.dir, dir), { recursive: true });
      writeFileSync(join(tmp.dir, dir, 'weekly.csv'), `model_id,period_start,period_end,downloads\nacme-us/a,2024-12-30,2025-01-06,${n}\n`);
    }
    const m = await importTimeseries(configFor(wh), { files: [join(tmp.dir, 'in[1]', 'weekly.csv')], replace: false }, deps);
    expect(m.sum_downloads).toBe(5);
    await build(wh, { full: false }, deps);
    const [s] = await queryWarehouse<{ d: string }>(wh, 'SELECT sum(downloads)::BIGINT AS d FROM series_downloads');
    expect(Number(s!.d)).toBe(5);
  });
});
