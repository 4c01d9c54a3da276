import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { FileSource } from '../../pipeline/localhub/FileSource.js';
import { join } from 'node:path';
import { LocalHub } from '../../pipeline/localhub/LocalHub.js';
import { SyntheticHub } from '../../pipeline/localhub/SyntheticHub.js';
import type { ModelSource } from '../../pipeline/localhub/ModelSource.js';
import { parseFaults } from '../../pipeline/localhub/faults.js';
import { collect, type CollectOptions } from '../../pipeline/collect/collect.js';
import { Database } from '../../pipeline/duckdb.js';
import { snapshotDir, warehousePaths } from '../../pipeline/paths.js';
import { mulberry32 } from '../../pipeline/localhub/random.js';
import { systemClock, type Clock } from '../../pipeline/clock.js';
import { configFor, deps, tempDir, writeRegistry } from '../helpers.js';

const orgs = [
  { org: 'Qwen', country: 'CN', kind: 'company' as const, source: 't' },
  { org: 'meta-llama', country: 'US', kind: 'company' as const, source: 't' },
  { org: 'stated-person', country: 'DE', kind: 'individual' as const, source: 't' },
];
const source = new SyntheticHub({ models: 1500, seed: 11, orgs });
const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** The system clock moved on by some days, for the 90-day expiry of lookups. */
function laterClock(days: number): Clock {
  return { now: () => new Date(systemClock.now().getTime() + days * 86_400_000), sleep: (ms, signal) => systemClock.sleep(ms, signal) };
}

interface Looked {
  namespace: string;
  kind: string;
  display_name: string | null;
}

async function crawl(name: string, hubOpts: Partial<ConstructorParameters<typeof LocalHub>[0]>, opts: Partial<CollectOptions> = {}, extra: Record<string, string | number> = {}, signal?: AbortSignal, daysLater = 0, port = 0) {
  const hub = new LocalHub({ source, asOfMs: Date.parse(`${opts.snapshot ?? '2025-06-02'}T00:00:00Z`), ...hubOpts });
  await hub.start(port);
  const wh = join(tmp.dir, name);
  writeRegistry(wh, orgs.map((o) => `${o.org},${o.country},${o.kind},${o.source}`));
  try {
    const config = configFor(wh, { hubUrl: hub.url, pageSize: 100, retryBaseMs: 5, retryMaxMs: 50, requestTimeoutMs: 2000, ...extra });
    const result = await collect(config, { snapshot: '2025-06-02', replace: false, fresh: false, lookups: 25, ...opts }, { ...deps, clock: laterClock(daysLater), random: mulberry32(1), signal });
    return { result, wh, hub };
  } finally {
    await hub.stop();
  }
}

async function lookedUp(wh: string, date = '2025-06-02'): Promise<Looked[]> {
  const file = join(snapshotDir(warehousePaths(wh), date), 'namespaces.parquet');
  if (!existsSync(file)) return [];
  return Database.with(':memory:', {}, (db) => db.rows<Looked>(`SELECT namespace, kind, display_name FROM read_parquet('${file}') ORDER BY namespace`));
}

async function modelIds(wh: string): Promise<string[]> {
  const file = join(snapshotDir(warehousePaths(wh), '2025-06-02'), 'models.parquet');
  const rows = await Database.with(':memory:', {}, (db) => db.rows<{ id: string }>(`SELECT model_id || ':' || downloads_all_time AS id FROM read_parquet('${file}') ORDER BY 1`));
  return rows.map((r) => r.id);
}

function truthOf(rows: readonly Looked[]): Looked[] {
  return rows.map((r) => {
    const info = source.namespace(r.namespace);
    return { namespace: r.namespace, kind: info ? info.type : 'not_found', display_name: info ? info.fullname : null };
  });
}

describe('namespace lookups during collect', () => {
  it('look up the most downloaded unmapped namespaces over the overview endpoints and publish namespaces.parquet with the snapshot', async () => {
    const { result, wh, hub } = await crawl('clean', {}, { lookups: 1000 });
    const rows = await lookedUp(wh);
    // every unmapped namespace of the listing, under a limit above their number
    const listed = new Set((await modelIds(wh)).map((id) => id.split('/')[0]!));
    const unmapped = [...listed].filter((ns) => !orgs.some((o) => o.org === ns)).sort();
    expect(rows.map((r) => r.namespace)).toEqual(unmapped);
    expect(rows).toEqual(truthOf(rows));
    // the registry's namespaces are never asked about
    expect(rows.map((r) => r.namespace)).not.toContain('Qwen');
    expect(hub.seenOverviews.some((s) => s.path.includes('/stated-person/'))).toBe(false);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['org', 'user', 'not_found']));
    expect(result.lookups).toEqual({ candidates: unmapped.length, cached: 0, answered: unmapped.length, failed: 0 });
    expect(result.manifest.namespaces?.rows).toBe(unmapped.length);
    expect(result.manifest.namespaces?.sha256).toMatch(/^[0-9a-f]{64}$/);
    // a user costs one request, an organisation or an unknown name two
    const orgsAndGone = rows.filter((r) => r.kind !== 'user').length;
    expect(hub.seenOverviews).toHaveLength(unmapped.length + orgsAndGone);
    expect(hub.seen.length).toBe(result.requests);
  });

  it('reuses lookups of earlier snapshots younger than 90 days, and asks again once they are older', async () => {
    const first = await crawl('cache', {}, { lookups: 1000 });
    const again = await crawl('cache', {}, { snapshot: '2025-06-09', lookups: 1000 });
    const firstRows = await lookedUp(first.wh);
    const secondRows = await lookedUp(first.wh, '2025-06-09');
    const known = new Set(firstRows.map((r) => r.namespace));
    const carried = secondRows.filter((r) => known.has(r.namespace));
    // a week later: what the first snapshot learned is reused, only namespaces new to the listing are asked
    expect(carried.length).toBeGreaterThan(40);
    expect(again.result.lookups.cached).toBe(carried.length);
    expect(again.result.lookups.answered).toBe(secondRows.length - carried.length);
    expect(again.hub.seenOverviews.length).toBeLessThanOrEqual(2 * again.result.lookups.answered);
    expect(carried).toEqual(firstRows.filter((r) => secondRows.some((x) => x.namespace === r.namespace)));
    // 91 days on, every one is asked again
    const later = await crawl('cache', {}, { snapshot: '2025-09-15', lookups: 1000 }, {}, undefined, 91);
    expect(later.result.lookups.cached).toBe(0);
    expect(later.result.lookups.answered).toBe(later.result.lookups.candidates);
    expect(later.hub.seenOverviews.length).toBeGreaterThanOrEqual(later.result.lookups.candidates);
  });

  it('500s, resets, truncated bodies and 429s of the overview endpoints are retried: the same namespaces.parquet as a clean crawl', async () => {
    const clean = await crawl('clean2', {});
    const faulty = await crawl('faulty', { faults: parseFaults('overview.500:0.2,overview.reset:0.1,overview.truncate:0.1,overview.429:0.05,seed:3') });
    expect(faulty.result.retries).toBeGreaterThan(3);
    expect(faulty.result.lookups.failed).toBe(0);
    expect(await lookedUp(faulty.wh)).toEqual(await lookedUp(clean.wh));
  });

  it('stays within the rate limit: lookups wait for the window like pages do', async () => {
    const { result, hub } = await crawl('limited', { quota: 6, windowSeconds: 1 }, { lookups: 6 });
    expect(result.lookups.answered).toBe(6);
    expect(result.rateLimitWaitMs).toBeGreaterThan(0);
    expect(result.retries).toBe(0); // waited for the reset instead of drawing 429s
    expect(hub.seen.length + hub.seenOverviews.length).toBe(result.requests + (result.overviewRequests ?? 0));
  });

  it('a hub whose overview endpoints are down costs no snapshot: the models are published, the namespaces stay unknown', async () => {
    const clean = await crawl('clean3', {});
    const down = await crawl('down', { faults: parseFaults('overview.503:1') }, {}, { maxAttempts: 2 });
    expect(down.result.manifest.rows).toBe(clean.result.manifest.rows);
    expect(await modelIds(down.wh)).toEqual(await modelIds(clean.wh));
    expect(down.result.lookups.answered).toBe(0);
    expect(down.result.lookups.failed).toBe(25);
    expect(await lookedUp(down.wh)).toEqual([]);
    expect(down.result.manifest.namespaces).toBeUndefined();
    // it stopped asking after ten namespaces in a row went unanswered
    expect(down.hub.seenOverviews).toHaveLength(10 * 2);
  });

  it('a crawl stopped during its lookups resumes them: no namespace is asked twice, a half-written answer is dropped', async () => {
    const clean = await crawl('clean4', {});
    const stop = new AbortController();
    let asked = 0;
    // The synthetic hub, stopping the crawl from inside the server as the 8th namespace is answered.
    const stopping: ModelSource = {
      synthetic: true,
      page: (...a) => source.page(...a),
      namespace: (name) => {
        if (++asked === 8) stop.abort(new Error('stopped for the test'));
        return source.namespace(name);
      },
    };
    // The same hub URL both times: a staged crawl resumes only against the hub it was made from.
    const port = 20_000 + (process.pid % 20_000);
    await expect(crawl('resume', { source: stopping }, {}, {}, stop.signal, 0, port)).rejects.toThrow('stopped for the test');
    const firstRequests = asked;
    // the kill cut the last answer short: its half line must not spoil the ones appended after it
    appendFileSync(join(warehousePaths(join(tmp.dir, 'resume')).staging, 'snapshot=2025-06-02', 'namespaces.jsonl'), '{"namespace":"hf-us');
    const resumed = await crawl('resume', { source: stopping }, {}, {}, undefined, 0, port);
    expect(resumed.hub.seen).toHaveLength(0); // no page fetched again
    expect(resumed.result.lookups.cached).toBeGreaterThanOrEqual(3); // 8 requests answered, at most two a namespace
    expect(firstRequests + resumed.hub.seenOverviews.length).toBeLessThanOrEqual(clean.hub.seenOverviews.length + 2);
    expect(await lookedUp(resumed.wh)).toEqual(await lookedUp(clean.wh));
  });
});

describe('the overview endpoints of a recorded hub', () => {
  it('answer from the authorData the recorded objects carry, 404 for the rest and for the other endpoint', async () => {
    const file = join(tmp.dir, 'recorded.jsonl');
    writeFileSync(
      file,
      [
        { id: 'acme/model-a', author: 'acme', authorData: { name: 'acme', fullname: 'Acme Research', type: 'org', isEnterprise: false } },
        { id: 'jdoe/model-b', author: 'jdoe', authorData: { name: 'jdoe', fullname: 'J. Doe', type: 'user' } },
        { id: 'nobody/model-c', author: 'nobody' },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n'),
    );
    const hub = new LocalHub({ source: new FileSource(file), asOfMs: Date.parse('2025-06-02T00:00:00Z') });
    await hub.start();
    try {
      const get = async (path: string) => {
        const res = await fetch(`${hub.url}${path}`);
        return { status: res.status, body: (await res.json()) as Record<string, unknown>, ratelimit: res.headers.get('ratelimit') };
      };
      const org = await get('/api/organizations/acme/overview');
      expect(org.status).toBe(200);
      expect(org.body).toMatchObject({ name: 'acme', fullname: 'Acme Research', type: 'org' });
      expect(org.ratelimit).toMatch(/^"api";r=\d+;t=\d+$/);
      const user = await get('/api/users/jdoe/overview');
      expect(user.status).toBe(200);
      expect(user.body).toMatchObject({ user: 'jdoe', fullname: 'J. Doe', type: 'user' });
      expect((await get('/api/users/acme/overview')).status).toBe(404);
      expect((await get('/api/organizations/jdoe/overview')).status).toBe(404);
      expect((await get('/api/users/nobody/overview')).status).toBe(404);
      expect(hub.seenOverviews).toHaveLength(5);
      expect(hub.seen).toHaveLength(0);
    } finally {
      await hub.stop();
    }
  });
});
