import { describe, expect, it } from 'vitest';
import { renderSvg, shareByRegionSpec } from '../../pipeline/report/charts.js';

/** Mondays, like every weekly snapshot; a default time axis would tick on Sundays. */
const dates = Array.from({ length: 26 }, (_, i) => new Date(Date.UTC(2025, 2, 3 + 7 * i)).toISOString().slice(0, 10));

describe('chart date axes', () => {
  it('put each visible tick labelled D at the x of the point for D, on snapshot dates only', async () => {
    const rows = dates.flatMap((d, i) => [
      { period_end: d, region: 'China', share: 0.1 + i / 100 },
      { period_end: d, region: 'United States', share: 0.3 - i / 200 },
    ]);
    const svg = await renderSvg(shareByRegionSpec('test', rows));
    // x of each China point, from its description ("Period ending D; China: …")
    const pointX = new Map<string, number>();
    for (const m of svg.matchAll(/<path aria-label="Period ending (\d{4}-\d{2}-\d{2}); China:[^"]*"[^>]*transform="translate\(([-\d.]+),/g)) pointX.set(m[1]!, Number(m[2]));
    expect(pointX.size).toBe(dates.length);
    // x-axis labels: the axis group sits at translate(0.5, height + 0.5); labels are date texts
    const axis = svg.match(/<g transform="translate\(([\d.]+),300\.5\)">(.*?)<\/g><\/g>/s);
    expect(axis).not.toBeNull();
    const offset = Number(axis![1]);
    const labels = [...svg.matchAll(/<text text-anchor="end" transform="translate\(([-\d.]+),7\)[^"]*"[^>]*opacity="1">(\d{4}-\d{2}-\d{2})<\/text>/g)].map((m) => ({ x: Number(m[1]) + offset, date: m[2]! }));
    expect(labels.length).toBeGreaterThanOrEqual(8);
    expect(labels.map((l) => l.date)).toContain(dates.at(-1));
    for (const l of labels) {
      expect(dates).toContain(l.date);
      expect(Math.abs(l.x - pointX.get(l.date)!)).toBeLessThan(1);
    }
  });
});
