import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { build } from '../../pipeline/build/build.js';
import { deps, publishSnapshot, queryWarehouse, row, tempDir, writeRegistry } from '../helpers.js';
import { toCsv } from '../../pipeline/report/csv.js';

// DESIGN §6's worked example: three weekly snapshots, a (US), b (CN, new in s1), c (unknown).
const t = ['2025-01-06', '2025-01-13', '2025-01-20'];

describe('the worked example of DESIGN §6', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse');

  beforeAll(async () => {
    writeRegistry(wh, ['acme-us,US,company,test', 'panda-cn,CN,company,test'], [], ['Llama,acme-us/%', 'Qwen,panda-cn/%']);
    const a = (A: number) => row({ model_id: 'acme-us/a', created_at: '2024-06-01T00:00:00.000Z', downloads_all_time: A, downloads_30d: A });
    const b = (A: number) => row({ model_id: 'panda-cn/b', created_at: '2025-01-08T12:00:00.000Z', downloads_all_time: A, downloads_30d: A });
    const c = (A: number) => row({ model_id: 'someone/c', created_at: '2024-01-01T00:00:00.000Z', downloads_all_time: A, downloads_30d: A });
    await publishSnapshot(wh, t[0]!, [a(100), c(10)]);
    await publishSnapshot(wh, t[1]!, [a(160), b(50), c(5)]);
    await publishSnapshot(wh, t[2]!, [a(200), b(150), c(25)]);
    await build(wh, { full: false }, deps);
  });
  afterAll(() => tmp.cleanup());

  const shares = async (metric: string, end: string) =>
    Object.fromEntries(
      (await queryWarehouse<{ origin: string; share: number; downloads: number }>(
        wh,
        `SELECT origin, share, downloads FROM origin_shares WHERE metric = '${metric}' AND mode = 'uploader' AND window_end = DATE '${end}'`,
      )).map((r) => [r.origin, r]),
    );

  it('period 1: a 60, b 50 (new), c 0 (counter_decrease) → US 54.5%, CN 45.5%', async () => {
    const s = await shares('period', t[1]!);
    expect(s.US!.downloads).toBe(60);
    expect(s.CN!.downloads).toBe(50);
    expect(s.unknown!.downloads).toBe(0);
    expect(s.US!.share).toBeCloseTo(60 / 110, 12);
    expect(s.CN!.share).toBeCloseTo(50 / 110, 12);
    const flags = await queryWarehouse<{ model_id: string; flag: string }>(wh, `SELECT model_id, flag FROM period_downloads WHERE period_end = DATE '${t[1]}' ORDER BY model_id`);
    expect(flags).toEqual([
      { model_id: 'acme-us/a', flag: 'continuing' },
      { model_id: 'panda-cn/b', flag: 'new' },
      { model_id: 'someone/c', flag: 'counter_decrease' },
    ]);
  });

  it('origin_share_bounds of period 2: US 25–37.5%, CN 62.5–75%; of the 140 attributed, US 40/140 and CN 100/140', async () => {
    const rows = await queryWarehouse<{ origin: string; downloads: number; share: number; share_low: number; share_high: number; share_of_attributed: number | null }>(
      wh,
      `SELECT origin, downloads, share, share_low, share_high, share_of_attributed FROM origin_share_bounds
       WHERE metric = 'period' AND mode = 'uploader' AND window_end = DATE '${t[2]}' ORDER BY origin`,
    );
    const b = Object.fromEntries(rows.map((r) => [r.origin, r]));
    expect(Object.keys(b)).toEqual(['CN', 'US', 'unknown']);
    expect(b.US!.share_low).toBe(b.US!.share);
    expect(b.US!.share_high).toBeCloseTo(0.375, 12);
    expect(b.CN!.share_high).toBeCloseTo(0.75, 12);
    expect(b.US!.share_of_attributed).toBeCloseTo(40 / 140, 12);
    expect(b.CN!.share_of_attributed).toBeCloseTo(100 / 140, 12);
    expect(b.unknown!.share_low).toBeCloseTo(0.125, 12);
    expect(b.unknown!.share_high).toBe(b.unknown!.share);
    expect(b.unknown!.share_of_attributed).toBeNull();
    // one row per origin_shares row, whatever the metric
    const [counts] = await queryWarehouse<{ shares: number; bounds: number }>(wh, 'SELECT (SELECT count(*) FROM origin_shares)::INT AS shares, (SELECT count(*) FROM origin_share_bounds)::INT AS bounds');
    expect(counts!.bounds).toBe(counts!.shares);
  });

  it('period 2: a 40, b 100, c 20 → US 25%, CN 62.5%, unknown 12.5%', async () => {
    const s = await shares('period', t[2]!);
    expect([s.US!.share, s.CN!.share, s.unknown!.share]).toEqual([0.25, 0.625, 0.125]);
  });

  it('cumulative at t2: 100, 150, 20 of 270; all-time at t2: 200, 150, 25 of 375', async () => {
    const cum = await shares('cumulative', t[2]!);
    expect([cum.US!.downloads, cum.CN!.downloads, cum.unknown!.downloads]).toEqual([100, 150, 20]);
    const all = await shares('all_time', t[2]!);
    expect([all.US!.downloads, all.CN!.downloads, all.unknown!.downloads]).toEqual([200, 150, 25]);
    expect(all.US!.share).toBeCloseTo(200 / 375, 12);
  });

  it("China's period share first exceeds the US's at t2", async () => {
    const rows = await queryWarehouse<{ leader: string; crossed_at: string }>(
      wh,
      "SELECT leader, strftime(crossed_at, '%Y-%m-%d') AS crossed_at FROM crossovers WHERE pair = 'CN vs US' AND metric = 'period' AND mode = 'uploader'",
    );
    expect(rows).toEqual([{ leader: 'CN', crossed_at: t[2] }]);
  });

  it('concentration over uploader namespaces: HHI and Gini per window', async () => {
    const rows = await queryWarehouse<{ metric: string; namespaces: number; hhi: number; gini: number }>(
      wh,
      `SELECT metric, namespaces, hhi, gini FROM concentration WHERE window_end = DATE '${t[2]}' ORDER BY metric`,
    );
    const by = Object.fromEntries(rows.map((r) => [r.metric, r]));
    // period 2: 40, 100, 20 of 160
    expect(Number(by.period!.namespaces)).toBe(3);
    expect(by.period!.hhi).toBeCloseTo(25 ** 2 + 62.5 ** 2 + 12.5 ** 2, 9);
    expect(by.period!.gini).toBeCloseTo((2 * (1 * 20 + 2 * 40 + 3 * 100)) / (3 * 160) - 4 / 3, 12);
    // cumulative and trailing: 100, 150, 20 of 270
    for (const m of ['cumulative', 'trailing']) {
      expect(by[m]!.hhi, m).toBeCloseTo(((100 / 270) * 100) ** 2 + ((150 / 270) * 100) ** 2 + ((20 / 270) * 100) ** 2, 9);
    }
    // all-time at t2: 200, 150, 25 of 375
    expect(by.all_time!.hhi).toBeCloseTo(((200 / 375) * 100) ** 2 + ((150 / 375) * 100) ** 2 + ((25 / 375) * 100) ** 2, 9);
  });

  it('origin_shares matches the golden file', async () => {
    const rows = await queryWarehouse(wh, 'SELECT metric, mode, window_start, window_end, origin, downloads, round(share, 12) AS share FROM origin_shares ORDER BY ALL');
    const csv = toCsv(['metric', 'mode', 'window_start', 'window_end', 'origin', 'downloads', 'share'], rows);
    await expect(csv).toMatchFileSnapshot('../golden/worked_example_origin_shares.csv');
  });
});
