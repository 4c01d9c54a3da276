import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { build } from '../../pipeline/build/build.js';
import { packageRoot, warehousePaths } from '../../pipeline/paths.js';
import { deps, publishSnapshot, row, tempDir, writeRegistry } from '../helpers.js';

const cli = join(packageRoot, 'dist', 'pipeline', 'cli.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'UTC', ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the hubtrends command line (a real process)', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse');

  beforeAll(async () => {
    writeRegistry(wh, ['acme-us,US,company,test', 'panda-cn,CN,company,test']);
    await publishSnapshot(wh, '2025-01-06', [row({ model_id: 'acme-us/a', downloads_all_time: 10, downloads_30d: 10 })]);
    await publishSnapshot(wh, '2025-01-13', [
      row({ model_id: 'acme-us/a', downloads_all_time: 30, downloads_30d: 25 }),
      row({ model_id: 'panda-cn/b', downloads_all_time: 40, downloads_30d: 40, created_at: '2025-01-10T00:00:00.000Z' }),
    ]);
    await build(wh, { full: false }, deps);
  });
  afterAll(() => tmp.cleanup());

  it('--help works for every command and exits 0', () => {
    for (const cmd of ['collect', 'import', 'build', 'report', 'run', 'schedule', 'verify', 'query', 'localhub', 'demo']) {
      const r = run([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout).toContain(`Usage: hubtrends ${cmd}`);
    }
  });

  it('bad usage exits 2 with a message naming the value', () => {
    const r = run(['collect', '--page-size', 'lots', '--warehouse', wh]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"lots"');
    expect(run(['frobnicate']).code).toBe(2);
    const d = run(['collect', '--snapshot', '2025-13-40', '--warehouse', wh, '--hub', 'http://127.0.0.1:9']);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('2025-13-40');
  });

  it('global flags are accepted before or after the command', async () => {
    const sql = "SELECT origin, downloads FROM origin_shares WHERE metric = 'period' AND mode = 'uploader' AND downloads > 0 ORDER BY origin";
    const before = run(['--warehouse', wh, 'query', sql, '--format', 'json']);
    const after = run(['query', sql, '--format', 'json', '--warehouse', wh]);
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout)).toEqual([
      { origin: 'CN', downloads: 40 },
      { origin: 'US', downloads: 20 },
    ]);
    expect(after.stdout).toBe(before.stdout);
  });

  it('query prints CSV with a header, and a table', () => {
    const csv = run(['query', "SELECT 'x,y' AS a, 1 AS b", '--format', 'csv', '--warehouse', wh]);
    expect(csv.stdout).toBe('a,b\n"x,y",1\n');
    const table = run(['query', 'SELECT 42 AS answer', '--warehouse', wh]);
    expect(table.stdout).toContain('answer');
    expect(table.stdout).toContain('42');
  });

  it('query is read-only: writes, COPY and reads outside the lake are refused with exit 2', () => {
    const lakeFile = join(warehousePaths(wh).snapshots, 'snapshot=2099-01-01', 'planted.csv');
    const cases: [string, RegExp][] = [
      ['CREATE TABLE t AS SELECT 1', /read-only/],
      ['DELETE FROM snapshots', /read-only/],
      [`COPY snapshots TO '${join(tmp.dir, 'out.csv')}'`, /read-only|Permission/],
      [`EXPLAIN ANALYZE COPY snapshots TO '${lakeFile}'`, /read-only|Permission/],
      ["PRAGMA enable_external_access", /read-only|query:/],
      ["SELECT * FROM read_csv('/etc/passwd')", /Permission|disabled/],
      ['SELECT 1; SELECT 2', /exactly one SQL statement/],
      ['SELEC 1', /query: .*syntax/i],
    ];
    for (const [sql, why] of cases) {
      const r = run(['query', sql, '--warehouse', wh]);
      expect(r.code, sql).toBe(2);
      expect(r.stderr, sql).toMatch(why);
    }
    expect(existsSync(join(tmp.dir, 'out.csv'))).toBe(false);
    expect(existsSync(lakeFile)).toBe(false);
  });

  it('a second writer exits 3 naming the holder; a lock left by a dead process is taken over', () => {
    const lock = warehousePaths(wh).lock;
    mkdirSync(wh, { recursive: true });
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), started_at: '2025-01-01T00:00:00Z', command: 'run' }));
    const r = run(['build', '--warehouse', wh]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`pid ${process.pid}`);
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), started_at: '2025-01-01T00:00:00Z', command: 'run' }));
    const r2 = run(['build', '--warehouse', wh, '--log-level', 'warn']);
    expect(r2.code).toBe(0);
    expect(r2.stderr).toContain('taking over a lock');
  });

  it('build on an empty lake exits 2 with a clear message, not a DuckDB stack', () => {
    mkdirSync(join(tmp.dir, 'empty'));
    const r = run(['build', '--warehouse', join(tmp.dir, 'empty')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds no snapshot yet/);
    expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('{'))).toHaveLength(1);
  });

  it('import reads a file relative to the working folder and refuses an existing date without --replace', () => {
    const fixture = join(packageRoot, 'test', 'fixtures', 'hub-api-2022-sample.jsonl');
    const wh2 = join(tmp.dir, 'imported');
    const first = run(['import', fixture, '--format', 'api-jsonl', '--snapshot', '2022-02-21', '--warehouse', wh2]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('snapshot 2022-02-21: 250 models\n');
    const again = run(['import', fixture, '--format', 'api-jsonl', '--snapshot', '2022-02-21', '--warehouse', wh2]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--replace');
    expect(run(['import', fixture, '--format', 'csv-please', '--warehouse', wh2]).code).toBe(2);
  });

  it('report writes report.md and the CSVs, and prints the path', () => {
    const r = run(['report', '--warehouse', wh, '--reports', join(tmp.dir, 'reports')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(join(tmp.dir, 'reports', '2025-01-13', 'report.md'));
  });
});
