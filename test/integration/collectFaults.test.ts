import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LocalHub } from '../../pipeline/localhub/LocalHub.js';
import { SyntheticHub } from '../../pipeline/localhub/SyntheticHub.js';
import { parseFaults } from '../../pipeline/localhub/faults.js';
import { collect } from '../../pipeline/collect/collect.js';
import { HubError } from '../../pipeline/errors.js';
import { Database } from '../../pipeline/duckdb.js';
import { snapshotDir, warehousePaths } from '../../pipeline/paths.js';
import { mulberry32 } from '../../pipeline/localhub/random.js';
import { configFor, deps, tempDir } from '../helpers.js';
import { createLogger, type Logger } from '../../pipeline/log.js';
import { pino } from 'pino';

const orgs = [{ org: 'Qwen', country: 'CN', kind: 'company' as const, source: 't' }];
const asOfMs = Date.parse('2025-06-02T00:00:00Z');
const source = new SyntheticHub({ models: 1500, seed: 11, orgs });
const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function crawl(name: string, hubOpts: Partial<ConstructorParameters<typeof LocalHub>[0]>, extra: Record<string, string | number> = {}, env?: { token?: string; logger?: Logger }) {
  const hub = new LocalHub({ source, asOfMs, ...hubOpts });
  await hub.start();
  const wh = join(tmp.dir, name);
  try {
    const config = { ...configFor(wh, { hubUrl: hub.url, pageSize: 50, retryBaseMs: 5, retryMaxMs: 50, requestTimeoutMs: 2000, ...extra }), token: env?.token };
    const result = await collect(config, { snapshot: '2025-06-02', replace: false, fresh: false }, { ...deps, logger: env?.logger ?? deps.logger, random: mulberry32(1) });
    return { result, wh, hub };
  } finally {
    await hub.stop();
  }
}

async function ids(wh: string): Promise<string[]> {
  const file = join(snapshotDir(warehousePaths(wh), '2025-06-02'), 'models.parquet');
  const rows = await Database.with(':memory:', {}, (db) => db.rows<{ id: string }>(`SELECT model_id || ':' || downloads_all_time AS id FROM read_parquet('${file}') ORDER BY 1`));
  return rows.map((r) => r.id);
}

describe('collect through faults', () => {
  it('500s, resets, truncated bodies and non-array bodies are retried; the snapshot equals a clean crawl', async () => {
    const clean = await crawl('clean', {});
    const faulty = await crawl('faulty', { faults: parseFaults('500:0.1,503:0.05,reset:0.08,truncate:0.08,notarray:0.05,seed:5') });
    expect(faulty.result.retries).toBeGreaterThan(3);
    expect(faulty.result.manifest.rows).toBe(clean.result.manifest.rows);
    expect(faulty.result.manifest.duplicates_dropped).toBe(0);
    expect(await ids(faulty.wh)).toEqual(await ids(clean.wh));
  });

  it('paces by the RateLimit headers: no request is sent while the window has none left', async () => {
    const { result, hub } = await crawl('limited', { quota: 4, windowSeconds: 1 });
    expect(result.manifest.pages).toBeGreaterThan(10);
    expect(result.rateLimitWaitMs).toBeGreaterThan(0);
    expect(result.retries).toBe(0); // the client waited for the reset instead of drawing 429s
    expect(hub.seen.length).toBe(result.requests);
  });

  it('a 429 answer is waited out (Retry-After + 1 s) and the crawl completes with every model', async () => {
    const t0 = Date.now();
    const told = await crawl('told', { faults: parseFaults('429:0.1,seed:3') });
    const elapsed = Date.now() - t0;
    expect(told.result.retries).toBeGreaterThan(0);
    expect(elapsed).toBeGreaterThanOrEqual(told.result.retries * 2000 - 50);
    expect(await ids(told.wh)).toEqual(await ids((await crawl('told-clean', {})).wh));
  });

  it('a page that stalls past the request timeout is retried', async () => {
    const { result } = await crawl('stalled', { faults: parseFaults('stall:0.3,seed:9') }, { requestTimeoutMs: 300 });
    expect(result.retries).toBeGreaterThan(0);
    expect(result.manifest.rows).toBe((await crawl('unstalled', {})).result.manifest.rows);
  });

  it('gives up after the configured attempts with exit 4 naming the URL', async () => {
    const err = await crawl('down', { faults: parseFaults('500:1') }, { maxAttempts: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubError);
    expect((err as HubError).exitCode).toBe(4);
    expect((err as Error).message).toMatch(/after 3 attempts: GET http:\/\/127\.0\.0\.1:\d+\/api\/models\?.*HTTP 500/);
    // The failed crawl left the lake as it was: nothing published.
    expect(existsSync(warehousePaths(join(tmp.dir, 'down')).snapshots)).toBe(false);
  });

  it('a Link to another origin stops the crawl with exit 4, and the token never reaches it nor any file', async () => {
    const other = new LocalHub({ source, asOfMs });
    const otherUrl = await other.start();
    const token = 'hf_RECOGNISABLE_SECRET_42';
    try {
      const err = await crawl('foreign', { faults: parseFaults(`foreign-link:${otherUrl}/api/models?cursor=x`) }, {}, { token }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HubError);
      expect((err as Error).message).toContain('another origin');
      expect((err as Error).message).not.toContain(token);
      expect(other.seen).toHaveLength(0);
      // Every log line at the most verbose level, to a file, is searched for the token too.
      const logFile = join(tmp.dir, 'tokened.log');
      const logger = createLogger('trace', pino.destination({ dest: logFile, sync: true }));
      const ok = await crawl('tokened', { faults: parseFaults('500:0.2,seed:2') }, {}, { token, logger });
      expect(ok.result.retries).toBeGreaterThan(0); // the retry path logged URLs and errors
      expect(readFileSync(logFile, 'utf8').length).toBeGreaterThan(1000);
      expect(readFileSync(logFile, 'utf8')).not.toContain(token);
      expect(ok.hub.seen.every((s) => s.authorization)).toBe(true);
      for (const name of ['foreign', 'tokened']) {
        const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
        for (const file of walk(join(tmp.dir, name))) expect(readFileSync(file).includes(token), file).toBe(false);
      }
    } finally {
      await other.stop();
    }
  });
});
