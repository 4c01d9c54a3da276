import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { codeBlocks, inlineCode, shellCommands } from './markdown.js';
import { cli, demoCheckout } from './demoCheckout.js';

const DOCS = ['README.md', 'warehouse/README.md'];

/** What the docs say to change right after the Quick start: the demo's database, lake and period files for the default ones. */
function forDemo(text: string): string {
  return text.replaceAll('warehouse/hubtrends.duckdb', 'warehouse/demo/hubtrends.duckdb').replaceAll('warehouse/lake/', 'warehouse/demo/lake/').replaceAll('warehouse/period_downloads/', 'warehouse/demo/period_downloads/');
}

/** One documented way to run SQL, and where it is written. */
interface Documented {
  readonly where: string;
  readonly via: 'hubtrends' | 'duckdb';
  /** `hubtrends`: the arguments after `query`; `duckdb`: the SQL. */
  readonly args: readonly string[];
  /** `duckdb`: the database file, or undefined for an in-memory database. */
  readonly database?: string;
}

function documented(): Documented[] {
  const out: Documented[] = [];
  const fromWords = (where: string, words: readonly string[]): void => {
    const w = words[0] === 'npx' ? words.slice(1) : words;
    if (w[0] === 'hubtrends' && w[1] === 'query') out.push({ where, via: 'hubtrends', args: w.slice(2) });
    else if (w[0] === 'duckdb') {
      const c = w.indexOf('-c');
      const database = w.slice(1, c).find((x) => !x.startsWith('-'));
      out.push({ where, via: 'duckdb', args: [w[c + 1]!], database });
    } else if (w[0] === 'python' && w[1] === '-c') fromPython(where, w[2]!);
  };
  const fromPython = (where: string, code: string): void => {
    const database = /duckdb\.connect\('([^']+)'/.exec(code)?.[1];
    for (const m of code.matchAll(/\.sql\((?:"""([\s\S]*?)"""|'([^']*)')\)/g)) out.push({ where, via: 'duckdb', args: [m[1] ?? m[2]!], database });
  };
  for (const file of DOCS) {
    for (const b of codeBlocks(file)) {
      const where = `${file}:${b.line}`;
      if (b.lang === 'sh') for (const pipeline of shellCommands(b.text)) fromWords(where, pipeline[0]!);
      else if (b.lang === 'sql') out.push({ where, via: 'hubtrends', args: [b.text] });
      else if (b.lang === 'python') fromPython(where, b.text);
    }
    for (const c of inlineCode(file)) if (/^(npx )?hubtrends query ["']/.test(c.text)) fromWords(`${file}:${c.line}`, shellCommands(c.text)[0]![0]!);
  }
  return out;
}

/** A stand-in for the DuckDB CLI and Python client: the same engine, the database opened read-only, in the checkout's folder. */
const duckdbScript = `
const { DuckDBInstance } = await import(process.env.DUCKDB_API);
const db = process.env.DATABASE;
const instance = await DuckDBInstance.create(db || ':memory:', db ? { access_mode: 'READ_ONLY' } : {});
const conn = await instance.connect();
try {
  const r = await conn.runAndReadAll(process.env.SQL);
  process.stdout.write(r.currentRowCount + ' rows\\n');
} finally {
  conn.closeSync();
  instance.closeSync();
}`;

describe('the commands and SQL of README.md and warehouse/README.md run on a checkout after the Quick start', () => {
  let checkout: { dir: string; cleanup: () => void };
  beforeAll(() => {
    checkout = demoCheckout();
  }, 120_000);
  afterAll(() => checkout.cleanup());

  it('finds the documented commands', () => {
    const all = documented();
    // Guards the extraction itself: the README's Querying example and the examples of every section.
    expect(all.filter((d) => d.where.startsWith('README.md') && d.via === 'hubtrends').length).toBeGreaterThanOrEqual(5);
    expect(all.filter((d) => d.where.startsWith('warehouse/README.md') && d.via === 'hubtrends').length).toBeGreaterThanOrEqual(10);
    expect(all.filter((d) => d.via === 'duckdb').length).toBeGreaterThanOrEqual(10);
  });

  it('every hubtrends query command, with --warehouse warehouse/demo as the docs say', () => {
    const failures: string[] = [];
    for (const d of documented().filter((x) => x.via === 'hubtrends')) {
      const args = ['query', ...d.args.map(forDemo), '--warehouse', 'warehouse/demo'];
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: checkout.dir, env: { PATH: process.env.PATH, TZ: 'UTC' }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
      const err = r.stderr.toString('utf8').trim();
      if (r.status !== 0 || (r.stdout.length === 0 && !args.includes('--out'))) failures.push(`${d.where}: exit ${r.status}: ${err.split('\n')[0]} — ${d.args[0]!.replace(/\s+/g, ' ').slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('every DuckDB CLI and Python example, on the demo database and lake', () => {
    const api = pathToFileURL(createRequire(import.meta.url).resolve('@duckdb/node-api')).href;
    const failures: string[] = [];
    for (const d of documented().filter((x) => x.via === 'duckdb')) {
      const env = { PATH: process.env.PATH, TZ: 'UTC', DUCKDB_API: api, SQL: forDemo(d.args[0]!), DATABASE: d.database === undefined ? '' : forDemo(d.database) };
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', duckdbScript], { cwd: checkout.dir, encoding: 'utf8', env, timeout: 60_000 });
      if (r.status !== 0) failures.push(`${d.where}: ${r.stderr.trim().split('\n').find((l) => /Error/.test(l)) ?? r.stderr.trim()} — ${d.args[0]!.replace(/\s+/g, ' ').slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('hubtrends verify of the demo report, as the README says to run it after the Quick start', () => {
    const commands = DOCS.flatMap((f) => inlineCode(f))
      .map((c) => shellCommands(c.text)[0]?.[0] ?? [])
      .filter((w) => w[0] === 'hubtrends' && w[1] === 'verify' && (w[2] ?? '').startsWith('reports/demo/'));
    expect(commands.length).toBeGreaterThan(0);
    for (const w of commands) {
      // verify works in a temporary folder; a private TMPDIR keeps it from the system's, which other tests watch.
      const tmp = join(checkout.dir, 'tmp');
      mkdirSync(tmp, { recursive: true });
      const r = spawnSync(process.execPath, [cli, ...w.slice(1)], { cwd: checkout.dir, encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'UTC', TMPDIR: tmp }, timeout: 60_000 });
      expect(r.status, `${w.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toContain('identical to its re-derivation');
    }
  });

  it('a file read outside the lake is refused naming the folder query may read', () => {
    const r = spawnSync(process.execPath, [cli, 'query', "SELECT * FROM read_csv('warehouse/registry/orgs.csv')", '--warehouse', 'warehouse/demo'], { cwd: checkout.dir, encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'UTC' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('file system operations are disabled');
    expect(r.stderr).toContain(`hubtrends query reads files only under ${join(checkout.dir, 'warehouse', 'demo', 'lake')}/`);
  });

  it('query without --warehouse after the Quick start points at the demo', () => {
    const r = spawnSync(process.execPath, [cli, 'query', 'SELECT 1'], { cwd: checkout.dir, encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'UTC' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--warehouse ${join(checkout.dir, 'warehouse', 'demo')}`);
  });
});
