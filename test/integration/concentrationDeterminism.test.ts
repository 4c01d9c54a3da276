import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { build } from '../../pipeline/build/build.js';
import { deps, publishSnapshot, queryWarehouse, row, tempDir, writeRegistry } from '../helpers.js';

/** Seeded, so the lake is the same in every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('concentration is the same to the last bit in every full build', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse');
  const namespaces = 4000;

  beforeAll(async () => {
    writeRegistry(wh, ['ns0,US,company,test']);
    const rand = lcg(13);
    const counts = Array.from({ length: namespaces }, () => Math.floor(rand() ** 4 * 1e9));
    await publishSnapshot(wh, '2025-01-06', counts.map((c, i) => row({ model_id: `ns${i}/m`, downloads_all_time: c, downloads_30d: Math.floor(c / 7) })));
    await publishSnapshot(wh, '2025-01-13', counts.map((c, i) => row({ model_id: `ns${i}/m`, downloads_all_time: c + Math.floor(rand() * 1e7), downloads_30d: Math.floor(c / 6) })));
  });
  afterAll(() => tmp.cleanup());

  it('two full builds give identical bits, equal to the sums taken in ascending order', async () => {
    const read = () =>
      queryWarehouse<{ metric: string; window_end: string; hhi: number; gini: number }>(wh, 'SELECT metric, window_end::VARCHAR AS window_end, hhi, gini FROM concentration ORDER BY metric, window_end');
    await build(wh, { full: true }, deps);
    const first = await read();
    await build(wh, { full: true }, deps);
    const second = await read();
    expect(first.length).toBeGreaterThan(3);
    expect(second.map((r) => [r.metric, r.window_end, r.hhi.toString(), r.gini.toString()])).toEqual(
      first.map((r) => [r.metric, r.window_end, r.hhi.toString(), r.gini.toString()]),
    );
    // The figures are the textbook ones: here from the namespaces' all-time counters.
    const [allTime] = await queryWarehouse<{ downloads: number[] }>(wh, "SELECT list(downloads ORDER BY downloads, key) AS downloads FROM window_measures WHERE subject = 'namespace' AND metric = 'all_time' AND window_end = DATE '2025-01-13' AND downloads > 0");
    const d = allTime!.downloads.map(Number);
    const total = d.reduce((a, b) => a + b, 0);
    const hhi = d.reduce((a, x) => a + (100 * x / total) ** 2, 0);
    const gini = (2 * d.reduce((a, x, k) => a + (k + 1) * x, 0)) / (d.length * total) - (d.length + 1) / d.length;
    const row = first.find((r) => r.metric === 'all_time' && r.window_end === '2025-01-13')!;
    // Summed in the same order, the bits are the same.
    expect(row.hhi).toBe(hhi);
    expect(row.gini).toBe(gini);
    // The ten largest namespaces' share of the window's downloads.
    const [top] = await queryWarehouse<{ top10_share: number }>(wh, "SELECT top10_share FROM concentration WHERE metric = 'all_time' AND window_end = DATE '2025-01-13'");
    const ten = [...d].sort((a, b) => b - a).slice(0, 10).reduce((a, x) => a + x, 0);
    expect(top!.top10_share).toBeCloseTo(ten / total, 12);
    expect(top!.top10_share).toBeLessThan(1);
  });
});
