import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { build } from '../../pipeline/build/build.js';
import { deps, publishSnapshot, queryWarehouse, row, tempDir, writeRegistry } from '../helpers.js';

// The curation queue derives each row's namespace from the row and the registry, as
// model_origin does from the catalog: a legacy id counts under the uploader its snapshot names,
// an aliased id under its alias's namespace, a renamed namespace under its new name.
describe('curation queue namespaces', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse');

  beforeAll(async () => {
    writeRegistry(wh, ['acme-us,US,company,test'], ['gpt9,lab-y/gpt9', 'old-lab,new-lab']);
    await publishSnapshot(wh, '2025-01-06', [
      row({ model_id: 'acme-us/a', downloads_all_time: 100 }),
      row({ model_id: 'legacy1', author: 'first-owner', downloads_all_time: 40 }),
      row({ model_id: 'legacy2', author: null, downloads_all_time: 3 }),
      row({ model_id: 'gpt9', author: 'someone', downloads_all_time: 30 }),
      row({ model_id: 'old-lab/m', downloads_all_time: 20 }),
      row({ model_id: 'new-lab/n', downloads_all_time: 5 }),
      row({ model_id: 'solo/x', downloads_all_time: 7 }),
    ]);
    await publishSnapshot(wh, '2025-01-13', [
      row({ model_id: 'acme-us/a', downloads_all_time: 150 }),
      row({ model_id: 'legacy1', author: 'acme-us', downloads_all_time: 50 }),
      row({ model_id: 'legacy2', author: null, downloads_all_time: 4 }),
      row({ model_id: 'gpt9', author: 'someone', downloads_all_time: 35 }),
      row({ model_id: 'old-lab/m', downloads_all_time: 25 }),
      row({ model_id: 'solo/x', downloads_all_time: 9 }),
    ]);
    await build(wh, { full: false }, deps);
  }, 60_000);
  afterAll(() => tmp.cleanup());

  const queue = (from: string) =>
    queryWarehouse<{ namespace: string; models: number; downloads_all_time: number; top_models: string[] }>(wh, `SELECT namespace, models::INTEGER AS models, downloads_all_time::INTEGER AS downloads_all_time, top_models FROM ${from} ORDER BY namespace`);

  it('names each namespace as model_origin does, by the uploader each snapshot gives a legacy id', async () => {
    expect(await queue("unmapped_namespaces_at(DATE '2025-01-06')")).toEqual([
      { namespace: '(legacy id, no namespace)', models: 1, downloads_all_time: 3, top_models: ['legacy2'] },
      { namespace: 'first-owner', models: 1, downloads_all_time: 40, top_models: ['legacy1'] },
      { namespace: 'lab-y', models: 1, downloads_all_time: 30, top_models: ['gpt9'] },
      { namespace: 'new-lab', models: 2, downloads_all_time: 25, top_models: ['old-lab/m', 'new-lab/n'] },
      { namespace: 'solo', models: 1, downloads_all_time: 7, top_models: ['solo/x'] },
    ]);
    // legacy1 moved to acme-us, which has a country: it leaves the queue
    expect(await queue('unmapped_namespaces')).toEqual([
      { namespace: '(legacy id, no namespace)', models: 1, downloads_all_time: 4, top_models: ['legacy2'] },
      { namespace: 'lab-y', models: 1, downloads_all_time: 35, top_models: ['gpt9'] },
      { namespace: 'new-lab', models: 1, downloads_all_time: 25, top_models: ['old-lab/m'] },
      { namespace: 'solo', models: 1, downloads_all_time: 9, top_models: ['solo/x'] },
    ]);
  });

  it('agrees with model_origin at the newest snapshot', async () => {
    const [r] = await queryWarehouse<{ differ: number }>(
      wh,
      `WITH o AS (
           SELECT coalesce(o.namespace, '(legacy id, no namespace)') AS namespace, count(*) AS models
           FROM lake_models l JOIN model_origin o USING (model_id)
           WHERE l.snapshot = DATE '2025-01-13' AND o.origin = 'unknown' GROUP BY 1
       )
       SELECT count(*)::INTEGER AS differ FROM (SELECT namespace, models FROM unmapped_namespaces EXCEPT SELECT * FROM o)`,
    );
    expect(r!.differ).toBe(0);
  });
});
