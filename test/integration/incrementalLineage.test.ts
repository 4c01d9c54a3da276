import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../../pipeline/build/build.js';
import { warehousePaths } from '../../pipeline/paths.js';
import type { ModelRow } from '../../pipeline/hub/modelRow.js';
import { deps, fullBuildOfCopy, publishSnapshot, queryWarehouse, row, tempDir, writeRegistry } from '../helpers.js';

/** The tables the per-model step keeps, and what they feed, as sorted rows. */
const TABLES = ['model_origin', 'model_lineage', 'model_family', 'model_edges', 'period_measures', 'snapshot_measures', 'origin_shares', 'family_shares'];
async function dump(warehouse: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const t of TABLES) out[t] = JSON.parse(JSON.stringify(await queryWarehouse(warehouse, `SELECT * FROM ${t} ORDER BY ALL`)));
  // Class ids depend on the builds that gave them: each model's class is compared by its terms,
  // and no class is left that no model has.
  out.attribution = JSON.parse(JSON.stringify(await queryWarehouse(warehouse, 'SELECT s.model_id, u.attribution AS uploader, l.attribution AS lineage FROM attribution_state s LEFT JOIN attribution_classes u ON u.class_id = s.uploader_class LEFT JOIN attribution_classes l ON l.class_id = s.lineage_class ORDER BY ALL')));
  out.terms = JSON.parse(JSON.stringify(await queryWarehouse(warehouse, 'SELECT c.attribution, t.subject, t.mode, t.key, t.weight FROM attribution_terms t JOIN attribution_classes c USING (class_id) ORDER BY ALL')));
  out.classes = JSON.parse(JSON.stringify(await queryWarehouse(warehouse, 'SELECT count(*) AS classes, count(DISTINCT attribution) AS distinct_attributions, (SELECT count(*) FROM (SELECT uploader_class FROM attribution_state UNION SELECT lineage_class FROM attribution_state) WHERE uploader_class IS NOT NULL) AS used FROM attribution_classes')));
  return out;
}

const m = (model_id: string, downloads: number, base_models: string[] | null = null, extra: Partial<ModelRow> = {}) =>
  row({ model_id, downloads_all_time: downloads, downloads_30d: downloads, base_models, base_relation: base_models ? 'finetune' : null, ...extra });

// Week by week, the changes that move lineage: a missing base that appears with a base of its
// own, a model whose bases change (leaving a base named by nobody), a chain through a new model,
// a cycle broken, a legacy id whose author changes, and a model that vanishes with a derivative.
const weeks: [string, ModelRow[]][] = [
  ['2025-01-06', [
    m('base-org/a', 100),
    m('u1/b', 50, ['u2/missing']),
    m('u1/c', 20, ['u1/b']),
    m('u1/e', 10, ['base-org/a', 'u3/z']),
    m('gpt2', 30, null, { author: 'x-org' }),
    m('u6/loop1', 5, ['u6/loop2']),
    m('u6/loop2', 5, ['u6/loop1']),
  ]],
  ['2025-01-13', [
    m('base-org/a', 200),
    m('u2/missing', 40, ['base-org/a']),
    m('u1/b', 60, ['u2/missing']),
    m('u1/c', 30, ['u1/b']),
    m('u1/e', 20, ['base-org/a']),
    m('u4/f', 9, ['u1/c']),
    m('gpt2', 40, null, { author: 'x-org' }),
    m('u6/loop1', 6, ['u6/loop2']),
    m('u6/loop2', 6, ['u6/loop1']),
  ]],
  ['2025-01-20', [
    m('base-org/a', 300),
    m('u2/missing', 50, ['base-org/a']),
    m('u1/b', 70, ['u2/missing']),
    m('u1/e', 30, ['base-org/a']),
    m('u4/f', 19, ['u1/c']),
    m('u5/g', 3, ['u1/c']),
    m('gpt2', 50, null, { author: 'base-org' }),
    m('u6/loop1', 7, ['u6/loop2']),
    m('u6/loop2', 7, ['base-org/a']),
  ]],
];
// A fourth week that adds and changes nothing, only counters: the per-model files do not run.
weeks.push(['2025-01-27', weeks[2]![1].map((r) => ({ ...r, downloads_all_time: r.downloads_all_time! + 10 }))]);

describe('per-model tables kept between builds', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const inc = join(tmp.dir, 'inc');
  const full = join(tmp.dir, 'full');

  const fullCopy = () => fullBuildOfCopy(inc, full);

  it('recompute only the models a week touched, and equal a full build every week', async () => {
    writeRegistry(inc, ['base-org,CN,company,test', 'u1,US,company,test'], [], ['Fam,base-org/%']);
    const recomputed: number[] = [];
    for (const [date, rows] of weeks) {
      await publishSnapshot(inc, date, rows);
      recomputed.push((await build(inc, { full: false }, deps)).modelsRecomputed);
      await fullCopy();
      expect(await dump(inc), date).toEqual(await dump(full));
    }
    const [lineage] = await queryWarehouse<{ roots: string }>(inc, "SELECT string_agg(root_id, ',' ORDER BY root_id) AS roots FROM model_lineage WHERE model_id = 'u1/c'");
    expect(lineage!.roots).toBe('base-org/a');
    const orphan = await queryWarehouse(inc, "SELECT * FROM model_origin WHERE model_id = 'u3/z'");
    expect(orphan).toEqual([]);
    // Week 2 touches u2/missing, u1/e and u4/f, whose walks reach u1/b and u1/c as well, and
    // leaves u3/z named by nobody; base-org/a, gpt2 and the loop are not recomputed. Week 3
    // touches u5/g, gpt2 and u6/loop2, whose old base u6/loop1 names it.
    expect(recomputed).toEqual([7, 6, 4, 0]);
  });

  it('recompute every model after a registry edit', async () => {
    appendFileSync(join(warehousePaths(inc).registry, 'orgs.csv'), 'u4,FR,company,test\n');
    const r = await build(inc, { full: false }, deps);
    expect(r.modelsRecomputed).toBe(10);
    await fullCopy();
    expect(await dump(inc)).toEqual(await dump(full));
    const [f] = await queryWarehouse<{ origin: string }>(inc, "SELECT origin FROM model_origin WHERE model_id = 'u4/f'");
    expect(f!.origin).toBe('FR');
  });
});
