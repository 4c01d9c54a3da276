import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadReferenceRegistries, loadReferences } from '../../pipeline/build/references.js';
import { loadScopes } from '../../pipeline/build/scopes.js';
import { comparisonInputs } from '../../pipeline/build/comparisonInputs.js';
import { shippedRegistryDir } from '../../pipeline/paths.js';
import { UsageError } from '../../pipeline/errors.js';
import { tempDir } from '../helpers.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

function registry(files: Record<string, string>): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(t.dir, name, '..'), { recursive: true });
    writeFileSync(join(t.dir, name), text);
  }
  return t.dir;
}

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected the file to be refused');
}

const HEADER = 'study,figure,metric,mode,scope,origin,window_start,window_end,value,unit,source_section,source_url,confirmed_at,accessed';
const GOOD = 'eoi,cn,trailing,uploader,hub,CN,2024-08,2025-08,17.1,percent,Section 4,https://arxiv.org/abs/2512.03073,,2026-12-01';

describe('reference figures, scopes and reference registries', () => {
  it('accepts what ships: the EOI figures, the atom scope and ATOM\'s registry', () => {
    const inputs = comparisonInputs(shippedRegistryDir);
    expect(inputs.params.ref_study).toEqual(['eoi', 'eoi']);
    expect(inputs.params.ref_origin).toEqual(['CN', 'US']);
    expect(inputs.params.ref_value).toEqual(['17.1', '15.8']);
    const scopeRows = String(inputs.params.scope_rows).split('\n');
    expect(new Set(scopeRows.map((l) => l.split('\t')[0]))).toEqual(new Set(['atom']));
    expect(scopeRows).toContain('atom\tQwen/Qwen2.5-7B-Instruct');
    expect(scopeRows.length).toBeGreaterThan(1700);
    expect(inputs.params.refreg_namespace).toContain('ai21labs');
    expect(inputs.files.map((f) => f.slice(shippedRegistryDir.length + 1)).sort()).toEqual(['reference_registries/atom.csv', 'references.csv', 'scopes/atom.csv']);
  });

  it('reads nothing from a registry without the optional files', () => {
    const dir = registry({});
    expect(loadScopes(dir)).toEqual([]);
    expect(loadReferences(dir, [])).toEqual({ file: null, figures: [] });
    expect(loadReferenceRegistries(dir)).toEqual({ files: [], rows: [] });
  });

  it.each([
    ['eoi,x,weekly,uploader,hub,CN,2024-08,2025-08,17.1,percent,S4,https://x.org,,2026-12-01', 'metric "weekly"'],
    ['eoi,x,trailing,uploader,tracked,CN,2024-08,2025-08,17.1,percent,S4,https://x.org,,2026-12-01', 'scope "tracked"'],
    ['eoi,x,trailing,uploader,hub,China,2024-08,2025-08,17.1,percent,S4,https://x.org,,2026-12-01', 'origin "China"'],
    ['eoi,x,trailing,uploader,hub,CN,Aug 2024,2025-08,17.1,percent,S4,https://x.org,,2026-12-01', 'window_start "Aug 2024"'],
    ['eoi,x,trailing,uploader,hub,CN,,2025-08,17.1,percent,S4,https://x.org,,2026-12-01', 'window_start ""'],
    ['eoi,x,all_time,uploader,hub,CN,2024-08,2025-08,17.1,percent,S4,https://x.org,,2026-12-01', 'empty for all_time only'],
    ['eoi,x,trailing,uploader,hub,CN,2025-09,2025-08,17.1,percent,S4,https://x.org,,2026-12-01', 'after window_end'],
    ['eoi,x,trailing,uploader,hub,CN,2024-08,2025-08,17.1%,percent,S4,https://x.org,,2026-12-01', 'value "17.1%"'],
    ['eoi,x,trailing,uploader,hub,CN,2024-08,2025-08,171,percent,S4,https://x.org,,2026-12-01', 'out of range'],
    ['eoi,x,trailing,uploader,hub,CN,2024-08,2025-08,17.1,percent,,https://x.org,,2026-12-01', 'source_section is empty'],
    ['eoi,x,trailing,uploader,hub,CN,2024-08,2025-08,17.1,percent,S4,arxiv 2512.03073,,2026-12-01', 'source_url'],
    ['eoi,x,trailing,uploader,hub,CN,2024-08,2025-08,17.1,percent,S4,https://x.org,,01/12/2026', 'accessed'],
    [GOOD, 'duplicate figure eoi/cn (first on line 2)'],
  ])('refuses the row %s with file and line', (bad, reason) => {
    const dir = registry({ 'references.csv': [HEADER, GOOD, bad].join('\n') + '\n' });
    const message = failure(() => loadReferences(dir, []));
    expect(message).toContain(`${join(dir, 'references.csv')}:3:`);
    expect(message).toContain(reason);
  });

  it('refuses a scope file with a bad id, a duplicate, no row, or the reserved name hub', () => {
    expect(failure(() => loadScopes(registry({ 'scopes/s.csv': 'model_id\nQwen/Qwen2.5-7B\nnot/an/id\n' })))).toMatch(/s\.csv:3: "not\/an\/id" is not a Hub model id/);
    expect(failure(() => loadScopes(registry({ 'scopes/s.csv': 'model_id\nQwen/a\nQwen/a\n' })))).toMatch(/s\.csv:3: duplicate model id Qwen\/a \(first on line 2\)/);
    expect(failure(() => loadScopes(registry({ 'scopes/s.csv': 'model_id\n' })))).toContain('lists no model');
    expect(failure(() => loadScopes(registry({ 'scopes/hub.csv': 'model_id\nQwen/a\n' })))).toContain('cannot be a file');
    expect(failure(() => loadScopes(registry({ 'scopes/s.csv': 'modelId\nQwen/a\n' })))).toMatch(/s\.csv:1: expected the header model_id/);
  });

  it('refuses a reference registry row with an unknown region, with file and line', () => {
    const dir = registry({ 'reference_registries/atom.csv': 'hf_org,region,notes\nQwen,china,\nai21labs,israel,\n' });
    expect(failure(() => loadReferenceRegistries(dir))).toContain(`${join(dir, 'reference_registries', 'atom.csv')}:3: region "israel"`);
  });
});
