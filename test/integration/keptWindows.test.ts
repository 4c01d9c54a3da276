import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../../pipeline/build/build.js';
import { snapshotDir, warehousePaths } from '../../pipeline/paths.js';
import { deps, fullBuildOfCopy, publishSnapshot, queryWarehouse, row, tempDir, writeRegistry } from '../helpers.js';

const dates = ['2025-03-03', '2025-03-10', '2025-03-17', '2025-03-24', '2025-03-31'];

/** Week k of a small lake: counters grow at different rates, one namespace starts late. */
const week = (k: number) => [
  row({ model_id: 'Qwen/a', downloads_all_time: 100 + 70 * k, downloads_30d: 60 }),
  row({ model_id: 'meta-llama/b', downloads_all_time: 300 + 20 * k * k, downloads_30d: 50 }),
  row({ model_id: 'nobody/c', downloads_all_time: 10 + 5 * k, downloads_30d: 5 }),
  ...(k >= 2 ? [row({ model_id: 'late/d', downloads_all_time: 40 * k, downloads_30d: 30, created_at: `${dates[k - 1]}T12:00:00.000Z` })] : []),
];

/** The kept tables of a warehouse, sorted, numbers to 12 significant digits. */
async function kept(warehouse: string): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const t of ['window_measures', 'window_running', 'concentration', 'origin_shares', 'family_shares', 'origin_share_bounds', 'unattributed_breakdown', 'data_quality']) {
    const rows = await queryWarehouse(warehouse, `SELECT * FROM ${t} ORDER BY ALL`);
    out[t] = JSON.parse(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v)));
  }
  return out;
}

describe('windows kept between builds', () => {
  const tmp = tempDir();
  const inc = join(tmp.dir, 'incremental');
  const full = join(tmp.dir, 'full');
  afterAll(() => tmp.cleanup());

  const sameAsFull = async () => {
    await build(inc, { full: false }, deps);
    await fullBuildOfCopy(inc, full);
    expect(await kept(inc)).toEqual(await kept(full));
  };

  it('equal a full build after weeks are added, and after the newest and the oldest snapshot are removed', async () => {
    writeRegistry(inc, ['Qwen,CN,company,test', 'meta-llama,US,company,test', 'late,FR,company,test']);
    for (const [k, date] of dates.slice(0, 3).entries()) await publishSnapshot(inc, date, week(k));
    await sameAsFull();
    for (const [k, date] of dates.entries()) if (k >= 3) await publishSnapshot(inc, date, week(k));
    await sameAsFull();
    const windows = await queryWarehouse<{ n: string }>(inc, "SELECT count(DISTINCT window_end) AS n FROM window_measures WHERE metric = 'cumulative'");
    expect(Number(windows[0]!.n)).toBe(4);
    rmSync(snapshotDir(warehousePaths(inc), dates[4]!), { recursive: true });
    await sameAsFull();
    rmSync(snapshotDir(warehousePaths(inc), dates[0]!), { recursive: true });
    await sameAsFull();
    const after = await queryWarehouse<{ s: string; n: string }>(inc, "SELECT strftime(min(window_start), '%Y-%m-%d') AS s, count(DISTINCT window_end) AS n FROM window_measures WHERE metric = 'cumulative'");
    expect(after[0]).toEqual({ s: dates[1], n: '2' });
  }, 300_000);
});
