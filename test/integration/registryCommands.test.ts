import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalHub } from '../../pipeline/localhub/LocalHub.js';
import { SyntheticHub } from '../../pipeline/localhub/SyntheticHub.js';
import { collect } from '../../pipeline/collect/collect.js';
import { build } from '../../pipeline/build/build.js';
import { insertionIndex } from '../../pipeline/registry/add.js';
import { packageRoot } from '../../pipeline/paths.js';
import { configFor, deps, queryWarehouse, tempDir, writeRegistry } from '../helpers.js';

const cli = join(packageRoot, 'dist', 'pipeline', 'cli.js');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'UTC' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const orgs = [
  { org: 'Qwen', country: 'CN', kind: 'company' as const, source: 'https://qwenlm.github.io/' },
  { org: 'meta-llama', country: 'US', kind: 'company' as const, source: 'https://ai.meta.com/' },
  { org: 'zeta-person', country: 'DE', kind: 'individual' as const, source: 'profile, states "Berlin"' },
];
const orgLines = ['Qwen,CN,company,https://qwenlm.github.io/', 'meta-llama,US,company,https://ai.meta.com/', 'zeta-person,DE,individual,"profile, states ""Berlin"""'];

describe('hubtrends registry (a real process)', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse');
  const source = new SyntheticHub({ models: 2500, seed: 21, orgs, unmappedOrgs: 6 });

  beforeAll(async () => {
    writeRegistry(wh, orgLines);
    const hub = new LocalHub({ source, asOfMs: 0 });
    await hub.start();
    try {
      const config = configFor(wh, { hubUrl: hub.url, pageSize: 500 });
      for (const date of ['2025-06-02', '2025-06-09']) {
        hub.asOfMs = Date.parse(`${date}T00:00:00Z`);
        await collect(config, { snapshot: date, replace: false, fresh: true, lookups: 1000 }, deps);
      }
    } finally {
      await hub.stop();
    }
    await build(wh, { full: false }, deps);
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it('queue lists unmapped namespaces by downloads in the window, with the Hub’s kind, display name, top models and a lineage hint', () => {
    const r = run(['registry', 'queue', '--warehouse', wh, '--metric', 'period', '--limit', '500', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { namespace: string; kind: string | null; display_name: string | null; downloads: number; top_models: string[]; lineage_hint: string | null }[];
    expect(rows.length).toBeGreaterThan(10);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.downloads).toBeGreaterThanOrEqual(rows[i]!.downloads);
    const names = rows.map((x) => x.namespace);
    for (const o of orgs) expect(names).not.toContain(o.org);
    for (const x of rows) {
      const info = source.namespace(x.namespace);
      expect(x.kind, x.namespace).toBe(info ? info.type : 'not_found');
      expect(x.display_name).toBe(info ? info.fullname : null);
      expect(x.top_models.length).toBeGreaterThan(0);
      expect(x.top_models.every((m) => m.startsWith(`${x.namespace}/`))).toBe(true);
    }
    // individuals fine-tune registered labs' models: their hint names the roots' countries
    const hinted = rows.find((x) => x.kind === 'user' && x.lineage_hint !== null);
    expect(hinted?.lineage_hint).toMatch(/^(CN|US) \d+%/);
    // the table format is for people
    const table = run(['registry', 'queue', '--warehouse', wh, '--limit', '3']);
    expect(table.stdout.split('\n')[0]).toContain('namespace');
  });

  it('queue --kind org lists the unmapped organisations; a curator takes the top one to a registry row with one command', async () => {
    const q = run(['registry', 'queue', '--warehouse', wh, '--kind', 'org', '--format', 'json']);
    expect(q.code, q.stderr).toBe(0);
    const top = (JSON.parse(q.stdout) as { namespace: string; kind: string }[])[0]!;
    expect(top.kind).toBe('org');
    expect(source.namespace(top.namespace)?.type).toBe('org');

    const add = run(['registry', 'add', top.namespace, 'JP', '--kind', 'lab', '--source', 'https://example.org/about, "Tokyo"', '--warehouse', wh]);
    expect(add.code, add.stderr).toBe(0);
    const file = join(wh, 'registry', 'orgs.csv');
    expect(add.stdout).toContain(`${file}:`);
    const lines = readFileSync(file, 'utf8').split('\n');
    const added = `${top.namespace},JP,lab,"https://example.org/about, ""Tokyo"""`;
    expect(lines).toContain(added);
    expect(lines.at(-1)).toBe(''); // still ends with a newline
    expect(lines.slice(1, -1).filter((l) => l !== added)).toEqual(orgLines); // every other row as it was, in its order
    expect(run(['registry', 'check', '--warehouse', wh]).code).toBe(0);

    await build(wh, { full: false }, deps);
    const [origin] = await queryWarehouse<{ origin: string }>(wh, `SELECT DISTINCT origin FROM model_origin WHERE namespace = '${top.namespace}'`);
    expect(origin!.origin).toBe('JP');
    const after = JSON.parse(run(['registry', 'queue', '--warehouse', wh, '--kind', 'org', '--format', 'json']).stdout) as { namespace: string }[];
    expect(after.map((x) => x.namespace)).not.toContain(top.namespace);
  });

  it('add refuses a row without a source, a namespace that has a row, and what build would refuse', () => {
    const noSource = run(['registry', 'add', 'new-lab', 'FR', '--kind', 'lab', '--warehouse', wh]);
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toContain('--source');
    const blank = run(['registry', 'add', 'new-lab', 'FR', '--kind', 'lab', '--source', '  ', '--warehouse', wh]);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toContain('--source is required');
    const dup = run(['registry', 'add', 'Qwen', 'CN', '--kind', 'company', '--source', 'x', '--warehouse', wh]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('Qwen already has a row');
    const country = run(['registry', 'add', 'new-lab', 'XX', '--kind', 'lab', '--source', 'x', '--warehouse', wh]);
    expect(country.code).toBe(2);
    expect(country.stderr).toContain('country "XX" is not an ISO 3166-1 alpha-2 code or INTL');
    const name = run(['registry', 'add', 'not a namespace', 'FR', '--kind', 'lab', '--source', 'x', '--warehouse', wh]);
    expect(name.code).toBe(2);
    expect(name.stderr).toContain('is not a Hub namespace');
    const kind = run(['registry', 'add', 'new-lab', 'FR', '--kind', 'startup', '--source', 'x', '--warehouse', wh]);
    expect(kind.code).toBe(2);
    expect(readFileSync(join(wh, 'registry', 'orgs.csv'), 'utf8')).not.toContain('new-lab');
  });

  it('check lists every problem with file and line, duplicates and alias loops included, and exits 2', () => {
    const bad = join(tmp.dir, 'bad');
    writeRegistry(bad, ['a,US,company,x', 'b,ZZ,company,x', 'a,CN,lab,y', 'c,FR,startup,x'], ['p,q', 'q,r', 'r,p', 'old,a']);
    const r = run(['registry', 'check', '--warehouse', bad]);
    expect(r.code).toBe(2);
    const orgsCsv = join(bad, 'registry', 'orgs.csv');
    const aliasesCsv = join(bad, 'registry', 'aliases.csv');
    expect(r.stdout.trim().split('\n')).toEqual([
      `${orgsCsv}:3: country "ZZ" is not an ISO 3166-1 alpha-2 code or INTL`,
      `${orgsCsv}:4: duplicate org a (first on line 2)`,
      `${orgsCsv}:5: kind "startup" is not one of company, lab, community, individual, intermediary`,
      `${aliasesCsv}:2: alias cycle p → q → r → p`,
    ]);
    expect(r.stderr).toContain('4 problems');
  });
});

describe('where registry add puts a row', () => {
  it('after the seed block (sorted without regard to case), among the additions in byte order', () => {
    const seedThenAdditions = ['01-ai', 'agentica-org', 'Zyphra', 'AI-Sweden-Models', 'ALLaM-AI', 'Aleph-Alpha', 'zeta'];
    expect(insertionIndex(seedThenAdditions, 'Babel')).toBe(6);
    expect(insertionIndex(seedThenAdditions, 'AAA')).toBe(3);
    expect(insertionIndex(seedThenAdditions, 'AL-x')).toBe(4);
    expect(insertionIndex(seedThenAdditions, 'zz')).toBe(7);
    // no additions yet: a new row starts them at the end
    expect(insertionIndex(['a', 'B', 'c'], 'A0')).toBe(3);
  });
});
