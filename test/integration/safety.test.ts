import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from '../../pipeline/build/build.js';
import { report } from '../../pipeline/report/report.js';
import { verify } from '../../pipeline/report/verify.js';
import { collect } from '../../pipeline/collect/collect.js';
import { HubClient } from '../../pipeline/hub/HubClient.js';
import { HubError, UsageError } from '../../pipeline/errors.js';
import { silentLogger } from '../../pipeline/log.js';
import { systemClock } from '../../pipeline/clock.js';
import { warehousePaths } from '../../pipeline/paths.js';
import { configFor, deps, publishSnapshot, row, tempDir, writeRegistry } from '../helpers.js';

const tmp = tempDir();
const wh = join(tmp.dir, 'warehouse');
const reports = join(tmp.dir, 'reports');
afterAll(() => tmp.cleanup());

beforeAll(async () => {
  writeRegistry(wh, ['acme-us,US,company,test']);
  await publishSnapshot(wh, '2025-01-06', [row({ model_id: 'acme-us/a', downloads_all_time: 10, downloads_30d: 10 })]);
  await publishSnapshot(wh, '2025-01-13', [row({ model_id: 'acme-us/a', downloads_all_time: 30, downloads_30d: 20 })]);
  await build(wh, { full: false }, deps);
});

describe('safety of outputs and inputs', () => {
  it('report --out refuses a folder that holds something other than a report, and leaves it alone', async () => {
    const precious = join(tmp.dir, 'precious');
    mkdirSync(precious, { recursive: true });
    writeFileSync(join(precious, 'thesis.tex'), 'keep me');
    await expect(report(wh, reports, { out: precious }, deps)).rejects.toThrow(/not empty and holds no hubtrends report/);
    expect(readFileSync(join(precious, 'thesis.tex'), 'utf8')).toBe('keep me');
    // An earlier report in the same folder is replaced.
    const out = join(tmp.dir, 'again');
    await report(wh, reports, { out }, deps);
    await report(wh, reports, { out }, deps);
    expect(existsSync(join(out, 'report.md'))).toBe(true);
  });

  it('report refuses a warehouse built before the lake changed', async () => {
    const other = join(tmp.dir, 'stale');
    writeRegistry(other, ['acme-us,US,company,test']);
    await publishSnapshot(other, '2025-01-06', [row({ model_id: 'acme-us/a', downloads_all_time: 1 })]);
    await build(other, { full: false }, deps);
    await publishSnapshot(other, '2025-01-13', [row({ model_id: 'acme-us/a', downloads_all_time: 2 })]);
    await expect(report(other, reports, {}, deps)).rejects.toThrow(/built before the lake changed \(snapshots 2025-01-13\); run "hubtrends build"/);
  });

  it('verify refuses a manifest whose dates could point outside the lake', async () => {
    const out = join(tmp.dir, 'to-verify');
    await report(wh, reports, { out }, deps);
    const file = join(out, 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8')) as { inputs: { snapshots: { snapshot: string }[] } };
    m.inputs.snapshots[0]!.snapshot = '2025-01-06/../../../../tmp/evil';
    writeFileSync(file, JSON.stringify(m));
    const err = await verify(out, deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/is not a snapshot date/);
  });

  it('collect refuses to publish an empty listing', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', ratelimit: '"api";r=100;t=10' });
      res.end('[]');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const empty = join(tmp.dir, 'empty-crawl');
    try {
      const err = await collect(configFor(empty, { hubUrl: url }), { snapshot: '2025-02-03', replace: false, fresh: false }, deps).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HubError);
      expect((err as Error).message).toMatch(/listed no models; nothing was published/);
      expect(existsSync(warehousePaths(empty).snapshots)).toBe(false);
    } finally {
      server.close();
    }
  });

  it('never sends the token over plain HTTP to a host that is not this machine', () => {
    const make = (hubUrl: string) => () =>
      new HubClient({ hubUrl, token: 'hf_x', requestTimeoutMs: 1000, maxAttempts: 1, retryBaseMs: 1, retryMaxMs: 1, quota: 1, windowSeconds: 1, logger: silentLogger(), clock: systemClock });
    expect(make('http://hub.example.org')).toThrow(/refusing to send HF_TOKEN over plain HTTP/);
    expect(make('https://hub.example.org')).not.toThrow();
    expect(make('http://127.0.0.1:9')).not.toThrow();
  });
});
