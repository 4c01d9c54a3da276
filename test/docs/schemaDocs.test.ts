import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { queryWarehouse } from '../helpers.js';
import { columnTable, readDoc, sections, type DocColumn } from './markdown.js';
import { demoCheckout } from './demoCheckout.js';

const DOC = 'warehouse/README.md';

/** The objects table of "## The database": name and kind (`table`, `table, persistent`, `view`, `macro`, `table macro`). */
function documentedObjects(): Map<string, string> {
  const text = readDoc(DOC);
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^\| \[`(\w+)`\]\(#[\w-]+\) \| ([^|]+?) \|/gm)) out.set(m[1]!, m[2]!);
  return out;
}

/** Each documented object's columns; a view built on `models.parquet` documents only what it adds. */
function documentedColumns(): Map<string, DocColumn[]> {
  const lake = columnTable(sections(DOC, 'The lake').get('models.parquet') ?? '');
  const out = new Map<string, DocColumn[]>();
  for (const [name, body] of sections(DOC, 'The database')) {
    const own = columnTable(body);
    out.set(name, /The columns of\s+\[models\.parquet\]/.test(body) ? [...lake, ...own] : own);
  }
  return out;
}

const show = (cols: readonly DocColumn[]): string => cols.map((c) => `${c.name} ${c.type}`).join(', ');

describe(`${DOC} documents the warehouse exactly as build makes it`, () => {
  let checkout: { dir: string; cleanup: () => void };
  let wh: string;
  beforeAll(() => {
    checkout = demoCheckout();
    wh = join(checkout.dir, 'warehouse', 'demo');
  }, 120_000);
  afterAll(() => checkout.cleanup());

  it('every table, view and macro, and every column with its type (the list below is what to fix where)', async () => {
    const built = await queryWarehouse<{ name: string; kind: string; columns: { name: string; type: string }[] }>(
      wh,
      `SELECT table_name AS name, any_value(table_type) AS kind, list({'name': column_name, 'type': data_type} ORDER BY ordinal_position) AS columns
       FROM information_schema.tables JOIN information_schema.columns USING (table_catalog, table_schema, table_name)
       WHERE table_catalog = current_database() AND table_schema = 'main'
       GROUP BY table_name ORDER BY table_name`,
    );
    const macros = await queryWarehouse<{ name: string; kind: string }>(
      wh,
      `SELECT DISTINCT function_name AS name, replace(function_type, '_', ' ') AS kind FROM duckdb_functions()
       WHERE NOT internal AND database_name = current_database() ORDER BY ALL`,
    );
    const objects = documentedObjects();
    const columns = documentedColumns();
    const problems: string[] = [];

    for (const t of built) {
      const kind = t.kind === 'VIEW' ? 'view' : 'table';
      const doc = objects.get(t.name);
      if (doc === undefined) problems.push(`${DOC} lacks ${kind} ${t.name} in the objects table of "The database"`);
      else if (doc.split(',')[0] !== kind) problems.push(`${DOC} calls ${t.name} a ${doc}; the warehouse has a ${kind}`);
      const cols = columns.get(t.name);
      if (cols === undefined) problems.push(`${DOC} lacks a "### ${t.name}" section; its columns: ${show(t.columns)}`);
      else if (show(cols) !== show(t.columns)) problems.push(`${DOC} "### ${t.name}" documents ${show(cols)}; the warehouse has ${show(t.columns)}`);
    }
    for (const m of macros) {
      const doc = objects.get(m.name);
      if (doc === undefined) problems.push(`${DOC} lacks ${m.kind} ${m.name} in the objects table of "The database"`);
      else if (doc !== m.kind) problems.push(`${DOC} calls ${m.name} a ${doc}; the warehouse has a ${m.kind}`);
      if (!columns.has(m.name)) problems.push(`${DOC} lacks a "### ${m.name}" section`);
    }
    const names = new Set([...built.map((t) => t.name), ...macros.map((m) => m.name)]);
    for (const name of objects.keys()) if (!names.has(name)) problems.push(`${DOC} documents ${name}, which the warehouse does not have`);
    for (const name of columns.keys()) if (!names.has(name)) problems.push(`${DOC} has a "### ${name}" section, but the warehouse has no ${name}`);

    expect(problems).toEqual([]);
  });

  it('names the same persistent tables as sql/README.md, and counts them right in both', () => {
    const persistent = [...documentedObjects()].filter(([, kind]) => kind === 'table, persistent').map(([name]) => name).sort();
    const sqlReadme = readDoc('sql/README.md');
    const incremental = sqlReadme.slice(sqlReadme.indexOf('### Incremental builds'));
    const listed = [...incremental.slice(0, incremental.indexOf('\n\n', incremental.indexOf('| table |'))).matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]!).sort();
    expect(persistent).toEqual(listed);
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'twenty-one', 'twenty-two', 'twenty-three', 'twenty-four', 'twenty-five', 'twenty-six', 'twenty-seven'];
    const count = new RegExp(`\\b${words[persistent.length]}\\b tables persist`, 'i');
    expect(readDoc(DOC)).toMatch(count);
    expect(sqlReadme).toMatch(count);
    for (const name of persistent) expect(sections(DOC, 'The database').get(name) ?? '', name).toMatch(/^Persistent\./m);
  });
});
