import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, copyFileSync, cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect } from '../../pipeline/collect/collect.js';
import { build } from '../../pipeline/build/build.js';
import { report } from '../../pipeline/report/report.js';
import { verify, VerifyError, VERIFY_DIFFERS_EXIT_CODE } from '../../pipeline/report/verify.js';
import { LocalHub } from '../../pipeline/localhub/LocalHub.js';
import { syntheticHub } from '../../pipeline/localhub/syntheticFromRegistry.js';
import { shippedRegistryDir, snapshotDir, warehousePaths } from '../../pipeline/paths.js';
import { UsageError } from '../../pipeline/errors.js';
import { configFor, deps, tempDir } from '../helpers.js';

const dates = ['2025-08-11', '2025-08-18', '2025-08-25'];

/** Run verify and return its error (or null when it passed). */
async function verifyError(dir: string, opts = {}): Promise<VerifyError | null> {
  try {
    await verify(dir, deps, opts);
    return null;
  } catch (err) {
    if (err instanceof VerifyError) return err;
    throw err;
  }
}

function verifyTemps(): string[] {
  return readdirSync(tmpdir()).filter((f) => f.startsWith('hubtrends-verify-'));
}

describe('verify: re-derive a report from its manifest and compare', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse');
  const reports = join(tmp.dir, 'reports');
  let reportDir = '';

  // Three weekly crawls over HTTP, built incrementally after each, as the scheduler would:
  // verify's re-derivation builds with --full and must still match byte for byte.
  beforeAll(async () => {
    cpSync(shippedRegistryDir, join(wh, 'registry'), { recursive: true });
    const hub = new LocalHub({ source: syntheticHub(1500), asOfMs: Date.parse(`${dates[0]}T00:00:00Z`) });
    const url = await hub.start();
    try {
      const config = configFor(wh, { hubUrl: url, pageSize: 500 });
      for (const date of dates) {
        hub.asOfMs = Date.parse(`${date}T00:00:00Z`);
        await collect(config, { snapshot: date, replace: false, fresh: true }, deps);
        await build(wh, { full: false }, deps);
      }
    } finally {
      await hub.stop();
    }
    reportDir = (await report(wh, reports, {}, deps)).dir;
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it('passes on a fresh report, leaves the lake intact and removes its temporary folder', async () => {
    const before = verifyTemps();
    const r = await verify(reportDir, deps);
    expect(r).toMatchObject({ asOf: '2025-08-25', snapshots: 3 });
    expect(r.files).toBeGreaterThan(15);
    for (const d of dates) expect(existsSync(join(snapshotDir(warehousePaths(wh), d), 'models.parquet'))).toBe(true);
    expect(verifyTemps()).toEqual(before);
  });

  it('fails with exit code 5 naming report.md and the CSV that were edited', async () => {
    const copy = join(tmp.dir, 'edited');
    cpSync(reportDir, copy, { recursive: true });
    appendFileSync(join(copy, 'report.md'), '\nChina leads by a mile.\n');
    appendFileSync(join(copy, 'regions.csv'), 'period,uploader,,,China,1,1,0\r\n');
    const err = await verifyError(copy);
    expect(err).not.toBeNull();
    expect(err!.exitCode).toBe(VERIFY_DIFFERS_EXIT_CODE);
    expect(err!.exitCode).toBe(5);
    expect(err!.differences.map((d) => `${d.kind}:${d.name}:${d.problem}`)).toEqual(['output:regions.csv:changed', 'output:report.md:changed']);
    expect(err!.message).toContain('report.md');
    expect(err!.message).toContain('regions.csv');
    expect(err!.message.split('\n')).toHaveLength(1);
  });

  it('names a chart deleted from the folder as missing', async () => {
    const copy = join(tmp.dir, 'chartless');
    cpSync(reportDir, copy, { recursive: true });
    rmSync(join(copy, 'charts', 'coverage.svg'));
    const err = await verifyError(copy);
    expect(err!.differences).toEqual([expect.objectContaining({ kind: 'output', name: 'charts/coverage.svg', problem: 'missing' })]);
  });

  it('fails naming the snapshot whose Parquet was replaced, without re-deriving', async () => {
    const wh2 = join(tmp.dir, 'warehouse-2');
    cpSync(wh, wh2, { recursive: true });
    const r2 = await report(wh2, join(tmp.dir, 'reports-2'), {}, deps);
    expect(await verifyError(r2.dir)).toBeNull();
    const snaps = warehousePaths(wh2);
    copyFileSync(join(snapshotDir(snaps, dates[0]!), 'models.parquet'), join(snapshotDir(snaps, dates[1]!), 'models.parquet'));
    const err = await verifyError(r2.dir);
    expect(err!.exitCode).toBe(5);
    expect(err!.differences).toEqual([expect.objectContaining({ kind: 'input', name: `snapshot ${dates[1]}`, problem: 'changed' })]);
    expect(err!.message).toContain(`snapshot ${dates[1]}`);

    rmSync(snapshotDir(snaps, dates[2]!), { recursive: true });
    appendFileSync(join(snaps.registry, 'orgs.csv'), 'someone-new,US,individual,test\n');
    const err2 = await verifyError(r2.dir);
    expect(err2!.differences.map((d) => `${d.name}:${d.problem}`)).toEqual([`snapshot ${dates[1]}:changed`, `snapshot ${dates[2]}:missing`, 'registry orgs.csv:changed']);
  });

  it('reads the inputs from another warehouse when told (a report and its lake moved elsewhere)', async () => {
    const moved = join(tmp.dir, 'moved');
    cpSync(wh, moved, { recursive: true });
    const r = await verify(reportDir, deps, { warehouse: moved });
    expect(r.snapshots).toBe(3);
    const err = await verifyError(reportDir, { warehouse: join(tmp.dir, 'nowhere') });
    expect(err!.differences.filter((d) => d.problem === 'missing').map((d) => d.name)).toEqual([...dates.map((d) => `snapshot ${d}`), 'registry aliases.csv', 'registry families.csv', 'registry orgs.csv']);
  });

  it('refuses a folder that is not a report with exit 2', async () => {
    await expect(verify(tmp.dir, deps)).rejects.toThrow(UsageError);
    await expect(verify(tmp.dir, deps)).rejects.toThrow(/no manifest\.json/);
  });

  // A report of an earlier date records every snapshot the warehouse was built from (a model's
  // lineage comes from its newest row), and verify rebuilds from all of them.
  it('passes for a report of an earlier as-of than the newest snapshot', async () => {
    const r = await report(wh, reports, { asOf: dates[1] }, deps);
    expect((await verify(r.dir, deps)).snapshots).toBe(3);
  });
});
