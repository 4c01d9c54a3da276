import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { FileSource } from '../../pipeline/localhub/FileSource.js';
import { LocalHub } from '../../pipeline/localhub/LocalHub.js';
import { collect } from '../../pipeline/collect/collect.js';
import { packageRoot } from '../../pipeline/paths.js';
import { configFor, deps, tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('localhub --data: recorded API objects served back', () => {
  it('a crawl of the real 2022 sample gets every object, with its 30-day counter', async () => {
    const fixture = join(packageRoot, 'test', 'fixtures', 'hub-api-2022-sample.jsonl');
    const objects = readFileSync(fixture, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { modelId: string; downloads?: number });
    const hub = new LocalHub({ source: new FileSource(fixture), asOfMs: Date.parse('2022-02-21T00:00:00Z') });
    await hub.start();
    try {
      const { manifest } = await collect(configFor(join(tmp.dir, 'wh'), { hubUrl: hub.url, pageSize: 100 }), { snapshot: '2022-02-21', replace: false, fresh: false }, deps);
      expect(manifest.rows).toBe(objects.length);
      expect(manifest.pages).toBe(Math.ceil(objects.length / 100));
      expect(manifest.sum_downloads_30d).toBe(objects.reduce((s, o) => s + (o.downloads ?? 0), 0));
      expect(manifest.synthetic).toBe(false);
    } finally {
      await hub.stop();
    }
  });
});
