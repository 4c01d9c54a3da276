import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../../pipeline/build/build.js';
import { packageRoot, warehousePaths } from '../../pipeline/paths.js';
import { runQuery } from '../../pipeline/query/query.js';
import { UsageError } from '../../pipeline/errors.js';
import { deps, publishSnapshot, row, tempDir, writeRegistry } from '../helpers.js';
import { treeHash } from '../treeHash.js';

const cli = join(packageRoot, 'dist', 'pipeline', 'cli.js');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'UTC' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('query changes no file of the warehouse, whatever the statement', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse');
  const p = warehousePaths(wh);
  const q = (s: string): string => `'${s.replaceAll("'", "''")}'`;

  beforeAll(async () => {
    writeRegistry(wh, ['acme-us,US,company,test']);
    await publishSnapshot(wh, '2025-01-06', [row({ model_id: 'acme-us/a', downloads_all_time: 10, downloads_30d: 10, author: '\u001b]0;pwned\u0007\u001b[31mred' })]);
    await publishSnapshot(wh, '2025-01-13', [row({ model_id: 'acme-us/a', downloads_all_time: 30, downloads_30d: 20, tags: ['=HYPERLINK("http://x")', 'b'] })]);
    await build(wh, { full: false }, deps);
  });
  afterAll(() => tmp.cleanup());

  it('refuses every statement but SELECT and EXPLAIN with exit 2, before DuckDB creates anything', async () => {
    const snap = (d: string): string => join(p.snapshots, `snapshot=${d}`);
    const hostile = [
      `EXPORT DATABASE ${q(snap('2026-12-01'))}`,
      `EXPORT DATABASE ${q(`${p.database}.tmp`)}`,
      `COPY snapshots TO ${q(join(snap('2099-01-01'), 'models.parquet'))} (FORMAT parquet)`,
      `COPY snapshots TO ${q(join(snap('2099-01-01'), 'manifest.json'))}`,
      `COPY (SELECT 1) TO ${q(join(snap('2099-01-02'), 'x'))} (FORMAT csv, PARTITION_BY (a))`,
      `COPY snapshots TO ${q(join(tmp.dir, 'out.csv'))}`,
      `EXPLAIN ANALYZE COPY snapshots TO ${q(join(snap('2099-01-03'), 'models.parquet'))}`,
      `ATTACH ${q(join(snap('2099-01-04'), 'x.duckdb'))} AS x`,
      `ATTACH ${q(join(p.lake, 'new.duckdb'))}`,
      `SELECT * FROM query(${q(`COPY (SELECT 1) TO ${q(join(snap('2099-01-05'), 'models.parquet'))}`)})`,
      'CREATE TABLE t AS SELECT 1',
      'INSERT INTO build_state VALUES (DATE \'2020-01-01\', \'x\')',
      'DROP TABLE build_state',
      'CHECKPOINT',
      'VACUUM',
      "SET temp_directory = '/tmp'",
      'PRAGMA enable_external_access',
      'INSTALL httpfs',
      'LOAD httpfs',
      'CALL checkpoint()',
      'PIVOT snapshots ON snapshot USING count(*)',
      `/* note */ COPY snapshots TO ${q(join(snap('2099-01-06'), 'manifest.json'))}`,
    ];
    const before = treeHash(wh);
    // The whole battery in this process (each statement its own read-only instance, as the
    // command opens it), the first two also through the command line.
    for (const sql of hostile) {
      const err = await runQuery(wh, sql).then(() => null, (e: unknown) => e);
      expect(err, sql).toBeInstanceOf(UsageError);
    }
    for (const sql of hostile.slice(0, 2)) {
      const r = run(['query', sql, '--warehouse', wh]);
      expect(r.code, `${sql}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/query is read-only: a EXPORT statement is refused/);
    }
    expect(treeHash(wh)).toEqual(before);
    expect(existsSync(join(tmp.dir, 'out.csv'))).toBe(false);
  });

  it('runs SELECT, reads of the lake and EXPLAIN without changing a file', async () => {
    const before = treeHash(wh);
    const lakeGlob = q(join(p.snapshots, 'snapshot=*', 'models.parquet'));
    for (const sql of [
      'SELECT count(*) AS n FROM snapshots',
      `SELECT count(*) AS n FROM read_parquet(${lakeGlob}, hive_partitioning = true)`,
      'EXPLAIN SELECT * FROM snapshots',
      'EXPLAIN ANALYZE SELECT count(*) FROM snapshots',
      'DESCRIBE snapshots',
      'SUMMARIZE snapshots',
    ]) {
      const result = await runQuery(wh, sql);
      expect(result.rows.length, sql).toBeGreaterThan(0);
    }
    expect(treeHash(wh)).toEqual(before);
  });

  it('stops a statement at the time limit with exit 2 naming the limit', () => {
    const r = run(['query', 'SELECT count(*) FROM range(100000000000) t(i) WHERE i % 7 = 3', '--timeout', '1', '--warehouse', wh]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/time limit of 1 s; pass --timeout/);
  });

  it('prints control characters from the data as visible escapes in a table', () => {
    const r = run(['query', 'SELECT DISTINCT author FROM lake_models WHERE author IS NOT NULL ORDER BY author', '--warehouse', wh]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(r.stdout).toContain('\\x1b]0;pwned\\x07\\x1b[31mred');
    // Column names too, and DuckDB's messages quoting a value.
    const named = run(['query', 'SELECT 1 AS "\u001b]0;pwned\u0007"', '--warehouse', wh]);
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toContain('\\x1b]0;pwned\\x07');
    const bad = run(['query', "SELECT max(author)::INTEGER FROM lake_models WHERE author LIKE '%pwned%'", '--warehouse', wh]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('\\x1b]0;pwned');
    for (const out of [named.stdout, bad.stderr]) expect(out).not.toMatch(/[\u001b\u0007]/);
  });

  it('guards tag lists against spreadsheet formulas in --format csv', () => {
    const r = run(['query', "SELECT tags FROM lake_models WHERE snapshot = DATE '2025-01-13'", '--format', 'csv', '--warehouse', wh]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`tags\n"'=HYPERLINK(""http://x"");b"\n`);
  });
});
