import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../../pipeline/build/build.js';
import { packageRoot } from '../../pipeline/paths.js';
import { readLatest } from '../../pipeline/report/latest.js';
import { deps, publishSnapshot, row, tempDir, writeRegistry } from '../helpers.js';

const cli = join(packageRoot, 'dist', 'pipeline', 'cli.js');
const dates = ['2025-01-06', '2025-01-13'];

/** `hubtrends report` in a real process, optionally SIGKILLed at a named point. */
function reportProcess(wh: string, reports: string, crashAt?: string) {
  return spawnSync(process.execPath, [cli, 'report', '--warehouse', wh, '--reports', reports], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, TZ: 'UTC', ...(crashAt ? { HUBTRENDS_CRASH_AT: crashAt } : {}) },
    timeout: 120_000,
  });
}

describe('a report replacing an earlier one of the same date, killed at any step', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse');
  const reports = join(tmp.dir, 'reports');
  const dir = join(reports, dates[1]!);

  beforeAll(async () => {
    writeRegistry(wh, ['acme,US,company,test'], [], []);
    for (const [k, date] of dates.entries()) await publishSnapshot(wh, date, [row({ model_id: 'acme/m', created_at: '2024-01-01T00:00:00.000Z', downloads_all_time: 100 * (k + 1), downloads_30d: 50 })]);
    await build(wh, { full: false }, deps);
    expect(reportProcess(wh, reports).status).toBe(0);
    // mark the first report so we can tell it from a new one
    writeFileSync(join(dir, 'marker'), 'old');
  });
  afterAll(() => tmp.cleanup());

  const leftovers = (): string[] => readdirSync(reports).filter((f) => f.includes('.tmp-') || f.includes('.old-'));

  it('killed before the swap: the old report stays, and the next run cleans the temporary folder', () => {
    const r = reportProcess(wh, reports, 'report-before-swap');
    expect(r.signal).toBe('SIGKILL');
    expect(readFileSync(join(dir, 'marker'), 'utf8')).toBe('old');
    expect(leftovers()).toHaveLength(1);
    expect(reportProcess(wh, reports).status).toBe(0);
    expect(leftovers()).toEqual([]);
    expect(existsSync(join(dir, 'marker'))).toBe(false);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
    writeFileSync(join(dir, 'marker'), 'old');
  });

  it('killed between the two renames: the next command puts the old report back first, and nothing is lost', () => {
    const r = reportProcess(wh, reports, 'report-mid-swap');
    expect(r.signal).toBe('SIGKILL');
    expect(existsSync(dir)).toBe(false);
    const old = leftovers().find((f) => f.includes('.old-'));
    expect(old).toBeDefined();
    expect(readFileSync(join(reports, old!, 'marker'), 'utf8')).toBe('old');
    expect(reportProcess(wh, reports).status).toBe(0);
    expect(leftovers()).toEqual([]);
    expect(existsSync(join(dir, 'report.md'))).toBe(true);
    const latest = readLatest(reports);
    expect(latest?.dir).toBe(dates[1]);
    expect(existsSync(join(reports, latest!.report))).toBe(true);
  });
});
