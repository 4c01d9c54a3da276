import { afterAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { publishedSnapshots } from '../../pipeline/storage/publishedSnapshots.js';
import { join } from 'node:path';
import { collect } from '../../pipeline/collect/collect.js';
import { HubError } from '../../pipeline/errors.js';
import type { Clock } from '../../pipeline/clock.js';
import { warehousePaths } from '../../pipeline/paths.js';
import { configFor, deps, tempDir } from '../helpers.js';

/** A clock that records every wait asked of it and returns at once. */
function recordingClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => new Date(), sleep: async (ms) => void slept.push(ms) };
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse, url: string) => void): Promise<{ url: string; close: () => void }> {
  let base = '';
  const server = createServer((req, res) => handler(req, res, base));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, close: () => server.close() };
}

const model = (i: number): string => JSON.stringify({ _id: `x${i}`, id: `acme-us/m${i}`, downloads: 1, downloadsAllTime: 1, likes: 0, createdAt: '2025-01-01T00:00:00.000Z' });

describe('a hostile or broken hub cannot stall a crawl', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  const crawl = async (name: string, hubUrl: string, clock: Clock): Promise<unknown> =>
    collect(configFor(join(tmp.dir, name), { hubUrl, retryBaseMs: 1, retryMaxMs: 1 }), { snapshot: '2025-02-03', replace: false, fresh: false }, { ...deps, clock }).then(
      () => null,
      (e: unknown) => e,
    );

  it('Retry-After beyond the cap fails with exit 4 naming the cap, without sleeping', async () => {
    const hub = await serve((_req, res) => {
      res.writeHead(429, { 'retry-after': '100000' });
      res.end();
    });
    const clock = recordingClock();
    try {
      const err = await crawl('retry-after', hub.url, clock);
      expect(err).toBeInstanceOf(HubError);
      expect((err as HubError).exitCode).toBe(4);
      expect((err as Error).message).toMatch(/asked to wait 100000 s \(Retry-After header\), longer than the cap of 900 s \(maxWaitMs\)/);
      expect(clock.slept).toEqual([]);
    } finally {
      hub.close();
    }
  });

  it('an exhausted RateLimit window that resets in a day fails the same way', async () => {
    const hub = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', ratelimit: '"api";r=0;t=86400' });
      res.end(`[${model(1)}]`);
    });
    try {
      const err = await crawl('ratelimit', hub.url, recordingClock());
      expect(err).toBeInstanceOf(HubError);
      expect((err as Error).message).toMatch(/asked to wait 86400 s \(RateLimit header\)/);
    } finally {
      hub.close();
    }
  });

  it('a hub that gives the same next cursor again fails with exit 4 naming the loop, and publishes nothing', async () => {
    let requests = 0;
    const hub = await serve((req, res, base) => {
      requests++;
      // Page 1 links to cursor a, a to b, b back to a: a circle of two.
      const cursor = new URL(req.url!, base).searchParams.get('cursor');
      const next = cursor === 'a' ? 'b' : 'a';
      res.writeHead(200, { 'content-type': 'application/json', link: `<${base}/api/models?cursor=${next}>; rel="next"` });
      res.end(`[${model(requests)}]`);
    });
    const wh = join(tmp.dir, 'loop');
    try {
      const err = await crawl('loop', hub.url, recordingClock());
      expect(err).toBeInstanceOf(HubError);
      expect((err as Error).message).toMatch(/next-page link it had already given \(a cursor loop\).*cursor=a/);
      expect(requests).toBeLessThanOrEqual(4);
      expect(existsSync(warehousePaths(wh).snapshots)).toBe(false);
    } finally {
      hub.close();
    }
  });
  it('a namespace overview asking to wait beyond the cap leaves that lookup unanswered, never stalls or fails the crawl', async () => {
    const asked: string[] = [];
    const hub = await serve((req, res) => {
      if (req.url?.includes('/overview')) {
        asked.push(req.url);
        res.writeHead(429, { 'retry-after': '100000' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`[${model(1)},${model(2)}]`);
    });
    const clock = recordingClock();
    const wh = join(tmp.dir, 'overview-cap');
    try {
      await collect(configFor(wh, { hubUrl: hub.url, retryBaseMs: 1, retryMaxMs: 1 }), { snapshot: '2025-02-03', replace: false, fresh: false, lookups: 10 }, { ...deps, clock });
      expect(asked.length).toBeGreaterThan(0);
      expect(clock.slept.every((ms) => ms < 900_000)).toBe(true);
      expect(publishedSnapshots(wh)).toEqual(['2025-02-03']);
    } finally {
      hub.close();
    }
  });
});
