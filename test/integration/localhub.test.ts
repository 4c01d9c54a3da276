import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHub } from '../../pipeline/localhub/LocalHub.js';
import { SyntheticHub } from '../../pipeline/localhub/SyntheticHub.js';

describe('localhub /api/models', () => {
  const source = new SyntheticHub({ models: 3000, seed: 3, orgs: [{ org: 'Qwen', country: 'CN', kind: 'company', source: 't' }] });
  const hub = new LocalHub({ source, asOfMs: Date.parse('2026-01-01T00:00:00Z') });
  let base = '';
  beforeAll(async () => {
    base = await hub.start();
  });
  afterAll(() => hub.stop());

  it('answers 400 with a JSON error for an unknown expand value', async () => {
    const res = await fetch(`${base}/api/models?expand=downloads&expand=nonsense`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string };
    expect(body.error).toContain('nonsense');
  });

  it('returns only _id, id and the expanded fields', async () => {
    const res = await fetch(`${base}/api/models?limit=5&expand=downloads&expand=author`);
    const items = (await res.json()) as Record<string, unknown>[];
    expect(items).toHaveLength(5);
    for (const o of items) expect(Object.keys(o).sort()).toEqual(['_id', 'author', 'downloads', 'id']);
  });

  it('caps limit at 1000 and sends an absolute Link to the next page, none on the last', async () => {
    const res = await fetch(`${base}/api/models?limit=5000&expand=downloads`);
    expect(((await res.json()) as unknown[]).length).toBe(1000);
    let next = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    expect(next).toMatch(new RegExp(`^${base}/api/models\\?.*cursor=`));
    let pages = 1;
    let total = 1000;
    let last: Response = res;
    while (next) {
      last = await fetch(next);
      total += ((await last.json()) as unknown[]).length;
      next = /<([^>]+)>; rel="next"/.exec(last.headers.get('link') ?? '')?.[1];
      pages++;
    }
    expect(last.headers.get('link')).toBeNull();
    expect(pages).toBe(Math.ceil(total / 1000));
  });

  it('sends the Hub rate-limit headers', async () => {
    const res = await fetch(`${base}/api/models?limit=1`);
    expect(res.headers.get('ratelimit')).toMatch(/^"api";r=\d+;t=\d+$/);
    expect(res.headers.get('ratelimit-policy')).toMatch(/^"fixed window";"api";q=\d+;w=\d+$/);
  });

  it('sorts by createdAt descending and by downloads descending', async () => {
    const byCreated = (await (await fetch(`${base}/api/models?limit=200&sort=createdAt&expand=createdAt`)).json()) as { createdAt: string }[];
    for (let i = 1; i < byCreated.length; i++) expect(byCreated[i - 1]!.createdAt >= byCreated[i]!.createdAt).toBe(true);
    const byDl = (await (await fetch(`${base}/api/models?limit=200&sort=downloads&expand=downloads`)).json()) as { downloads: number }[];
    for (let i = 1; i < byDl.length; i++) expect(byDl[i - 1]!.downloads).toBeGreaterThanOrEqual(byDl[i]!.downloads);
  });

  it('refuses an invalid cursor and an unsupported sort', async () => {
    expect((await fetch(`${base}/api/models?cursor=garbage`)).status).toBe(400);
    expect((await fetch(`${base}/api/models?sort=likes7d`)).status).toBe(400);
  });
});
