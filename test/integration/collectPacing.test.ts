import { afterAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HubClient } from '../../pipeline/hub/HubClient.js';
import { silentLogger } from '../../pipeline/log.js';
import type { Clock } from '../../pipeline/clock.js';
import { LocalHub } from '../../pipeline/localhub/LocalHub.js';
import { SyntheticHub } from '../../pipeline/localhub/SyntheticHub.js';
import { tempDir } from '../helpers.js';

/** A clock whose sleeps are recorded and return at once, so pacing is observable without waiting. */
function recordingClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => new Date(), sleep: async (ms) => void slept.push(ms) };
}

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('request pacing', () => {
  it('without RateLimit headers, never sends more than the documented quota per window', async () => {
    // A bare server that answers an empty page and no rate-limit headers.
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[]');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new HubClient({ hubUrl: url, token: undefined, requestTimeoutMs: 2000, maxAttempts: 1, retryBaseMs: 1, retryMaxMs: 1, quota: 3, windowSeconds: 1, logger: silentLogger(), clock: recordingClock() });
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) await client.fetchPage(`${url}/api/models`);
    const elapsed = Date.now() - t0;
    server.close();
    expect(hits).toBe(10);
    // 10 requests at 3 per 1 s window span four windows; the first may be partly over when the
    // crawl starts, so at least two whole windows pass.
    expect(elapsed).toBeGreaterThanOrEqual(1950);
  });

  it('with RateLimit headers, follows them instead of the documented quota', async () => {
    const source = new SyntheticHub({ models: 2000, seed: 1, orgs: [{ org: 'Qwen', country: 'CN', kind: 'company', source: 't' }] });
    const hub = new LocalHub({ source, asOfMs: Date.parse('2030-01-01T00:00:00Z') });
    const url = await hub.start();
    const clock = recordingClock();
    // A documented quota of 2 per 5 minutes would stall this crawl; the hub's headers allow it.
    const client = new HubClient({ hubUrl: url, token: undefined, requestTimeoutMs: 2000, maxAttempts: 2, retryBaseMs: 1, retryMaxMs: 1, quota: 2, windowSeconds: 300, logger: silentLogger(), clock });
    let next: string | null = client.firstPageUrl({ sort: 'createdAt', limit: 100, expand: ['downloads'] });
    let pages = 0;
    const t0 = Date.now();
    while (next) {
      next = (await client.fetchPage(next)).next;
      pages++;
    }
    await hub.stop();
    expect(pages).toBe(20);
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(clock.slept).toEqual([]);
  });
});
