import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { tableFromIPC, type Table, type Vector } from 'apache-arrow';
import { packageRoot, warehousePaths } from '../../pipeline/paths.js';
import { PassThrough } from 'node:stream';
import { main } from '../../pipeline/cli.js';
import { silentLogger } from '../../pipeline/log.js';
import { systemClock } from '../../pipeline/clock.js';
import { queryWarehouse, tempDir } from '../helpers.js';

const cli = join(packageRoot, 'dist', 'pipeline', 'cli.js');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH, TZ: 'UTC' }, timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

/** The same statement read straight from the warehouse with DuckDB: names, types and exact values. */
async function duck(database: string, sql: string): Promise<{ names: string[]; types: DuckDBType[]; columns: DuckDBValue[][] }> {
  const instance = await DuckDBInstance.create(database, { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    try {
      const r = await conn.runAndReadAll(sql);
      return { names: r.columnNames(), types: r.columnTypes(), columns: r.getColumns() };
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** A DuckDB value in a form both sides can be brought to: days, microseconds and unscaled decimals as integers. */
function fromDuck(v: DuckDBValue): unknown {
  if (v === null) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v !== 'object') return v;
  if ('days' in v && !('months' in v)) return v.days;
  if ('micros' in v && !('months' in v)) return v.micros.toString();
  if ('items' in v) return (v.items as DuckDBValue[]).map(fromDuck);
  if ('value' in v && 'scale' in v) return (v.value as bigint).toString();
  return String(v);
}

/** The value at row i of an Arrow column, read from its buffers, so nothing is rounded on the way. */
function fromArrow(col: Vector, i: number): unknown {
  let row = i;
  for (const d of col.data) {
    if (row >= d.length) {
      row -= d.length;
      continue;
    }
    if (!d.getValid(row)) return null;
    const type = String(d.type);
    if (/^(Int|Uint|Float|Date32|Timestamp)/.test(type)) {
      // A sliced child (a list's items) has its values buffer sliced already; its offset is for the validity bits.
      const x = (d.values as ArrayLike<number | bigint>)[row]!;
      return typeof x === 'bigint' ? x.toString() : x;
    }
    if (type.startsWith('Decimal')) {
      const words = d.values as Uint32Array;
      let x = 0n;
      for (let w = 3; w >= 0; w--) x = (x << 32n) | BigInt(words[row * 4 + w]!);
      return BigInt.asIntN(128, x).toString();
    }
    if (type.startsWith('List')) {
      const child = col.get(i) as Vector;
      return Array.from({ length: child.length }, (_, k) => fromArrow(child, k));
    }
    return col.get(i);
  }
  throw new Error(`row ${i} out of range`);
}

function expectSameAsDuckDB(table: Table, expected: Awaited<ReturnType<typeof duck>>): void {
  expect(table.schema.fields.map((f) => f.name)).toEqual(expected.names);
  expect(table.numRows).toBe(expected.columns[0]?.length ?? 0);
  expected.names.forEach((name, c) => {
    const col = table.getChildAt(c)!;
    const want = expected.columns[c]!.map(fromDuck);
    const got = want.map((_, i) => fromArrow(col, i));
    expect(got, name).toEqual(want);
  });
}

describe('query --format arrow, parquet, json and ndjson (a real process)', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse', 'demo');
  const db = warehousePaths(wh).database;

  beforeAll(() => {
    const r = run(['demo', '--models', '1500', '--weeks', '3', '--warehouse', join(tmp.dir, 'warehouse'), '--reports', join(tmp.dir, 'reports')]);
    expect(r.code, r.stderr).toBe(0);
    mkdirSync(join(tmp.dir, 'out'));
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it('arrow: every value of every column equals the table, with Arrow types after DuckDB types', async () => {
    const queries = [
      'SELECT * FROM origin_shares ORDER BY ALL',
      'SELECT * FROM snapshots ORDER BY snapshot',
      'SELECT * FROM models_latest ORDER BY model_id',
      'SELECT * FROM unmapped_namespaces ORDER BY namespace',
      'SELECT * FROM data_quality ORDER BY ALL',
    ];
    const tables: Table[] = [];
    for (const sql of queries) {
      const r = run(['query', sql, '--format', 'arrow', '--warehouse', wh]);
      expect(r.code, r.stderr).toBe(0);
      const table = tableFromIPC(r.stdout);
      expect(table.numRows, sql).toBeGreaterThan(0);
      expectSameAsDuckDB(table, await duck(db, sql));
      tables.push(table);
    }

    const [shares, snaps, latest, unmapped] = tables as [Table, Table, Table, Table];
    const typeOf = (t: Table, name: string): string => String(t.schema.fields.find((f) => f.name === name)!.type);
    expect(typeOf(shares, 'window_end')).toBe('Date32<DAY>');
    expect(typeOf(shares, 'share')).toBe('Float64');
    expect(typeOf(shares, 'origin')).toBe('Utf8');
    expect(typeOf(snaps, 'started_at')).toBe('Timestamp<MICROSECOND>');
    expect(typeOf(snaps, 'rows')).toBe('Int64');
    const source = snaps.schema.fields.find((f) => f.name === 'source')!;
    expect(String(source.type)).toBe('Utf8');
    expect(source.metadata.get('ARROW:extension:name')).toBe('arrow.json');
    expect(typeOf(latest, 'tags')).toBe('List<Utf8>');
    expect(typeOf(latest, 'created_at')).toBe('Timestamp<MICROSECOND>');
    expect(unmapped.schema.fields.find((f) => f.name === 'downloads_all_time')!.type).toMatchObject({ precision: 38, scale: 0, bitWidth: 128 });
  }, 120_000);

  it('arrow: nested, temporal, decimal and NULL values survive, and an empty result still carries its schema', async () => {
    const sql = `SELECT i, DATE '2025-08-25' + i::INTEGER AS d, TIMESTAMP '2025-08-25 01:02:03.456789' + INTERVAL (i) SECOND AS ts,
        TIMESTAMPTZ '2025-08-25 00:00:00+00' AS tz, 12.34::DECIMAL(6, 2) AS dec, -170141183460469231731687303715884105727::HUGEINT AS big,
        [i, NULL, 2 * i] AS ints, CASE WHEN i = 1 THEN NULL ELSE ['a', 'b'] END AS strs, {'k': i, 's': 'x'} AS st, MAP {'a': i} AS m,
        ('{"n": ' || i || ', "list": [1, 2]}')::JSON AS j, INTERVAL 1 MONTH + INTERVAL 2 DAY + INTERVAL 3 SECOND AS iv, i % 2 = 0 AS even,
        NULL::DOUBLE AS nothing, 'ü ∑ "quoted"' AS text
      FROM range(3) t(i) ORDER BY i`;
    const r = run(['query', sql, '--format', 'arrow', '--warehouse', wh]);
    expect(r.code, r.stderr).toBe(0);
    const t = tableFromIPC(r.stdout);
    expectSameAsDuckDB(t.select(['i', 'd', 'ts', 'tz', 'dec', 'big', 'ints', 'strs', 'nothing', 'text']), await duck(db, `SELECT i, d, ts, tz, dec, big, ints, strs, nothing, text FROM (${sql})`));
    const row = t.get(1)!.toJSON() as Record<string, unknown>;
    expect((row.st as { toJSON(): unknown }).toJSON()).toEqual({ k: 1n, s: 'x' });
    expect(row.strs).toBeNull();
    expect(JSON.parse(row.j as string)).toEqual({ n: 1, list: [1, 2] });
    expect(row.even).toBe(false);
    expect(Array.from(row.iv as Int32Array)).toEqual([1, 2, 3_000_000_000 - 2 ** 32, 0]);
    expect(String(t.schema.fields.find((f) => f.name === 'm')!.type)).toBe('Map<{key:Utf8, value:Int64}>');
    expect(String(t.schema.fields.find((f) => f.name === 'tz')!.type)).toBe('Timestamp<MICROSECOND, UTC>');

    const empty = run(['query', 'SELECT * FROM origin_shares WHERE false', '--format', 'arrow', '--warehouse', wh]);
    expect(empty.code, empty.stderr).toBe(0);
    const e = tableFromIPC(empty.stdout);
    expect(e.numRows).toBe(0);
    expect(e.schema.fields.map((f) => f.name)).toEqual(['metric', 'mode', 'window_start', 'window_end', 'origin', 'downloads', 'share']);
  });

  it('arrow: a result larger than one record batch arrives whole, in order', async () => {
    const sql = "SELECT i, 'ë-' || i AS s, CASE WHEN i % 3 = 0 THEN NULL ELSE [i, i + 1] END AS l FROM range(150000) t(i) ORDER BY i";
    const r = run(['query', sql, '--format', 'arrow', '--warehouse', wh]);
    expect(r.code, r.stderr).toBe(0);
    const table = tableFromIPC(r.stdout);
    expect(table.batches.length).toBeGreaterThan(1);
    expectSameAsDuckDB(table, await duck(db, sql));
  }, 120_000);

  it('parquet --out: DuckDB reads back the same rows and types', async () => {
    const out = join(tmp.dir, 'out', 'shares.parquet');
    for (const [table, file] of [
      ['origin_shares', out],
      ['snapshots', join(tmp.dir, 'out', 'snapshots.parquet')],
      ['models_latest', join(tmp.dir, 'out', 'models_latest.parquet')],
    ] as const) {
      const r = run(['query', `SELECT * FROM ${table}`, '--format', 'parquet', '--out', file, '--warehouse', wh]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.length).toBe(0);
      const [diff] = await queryWarehouse<{ missing: string; extra: string; rows: string }>(
        wh,
        `SELECT (SELECT count(*) FROM (FROM ${table} EXCEPT ALL FROM read_parquet('${file}'))) AS missing,
                (SELECT count(*) FROM (FROM read_parquet('${file}') EXCEPT ALL FROM ${table})) AS extra,
                (SELECT count(*) FROM read_parquet('${file}')) AS rows`,
      );
      expect(diff, table).toMatchObject({ missing: '0', extra: '0' });
      expect(Number(diff!.rows)).toBeGreaterThan(0);
      const types = (name: string) => queryWarehouse<{ column_name: string; column_type: string }>(wh, `SELECT column_name, column_type FROM (DESCRIBE ${name})`);
      expect(await types(`SELECT * FROM read_parquet('${file}')`), table).toEqual(await types(`SELECT * FROM ${table}`));
    }

    const emptyFile = join(tmp.dir, 'out', 'empty.parquet');
    expect(run(['query', 'SELECT * FROM origin_shares WHERE false', '--format', 'parquet', '--out', emptyFile, '--warehouse', wh]).code).toBe(0);
    expect(await queryWarehouse(wh, `SELECT count(*)::INTEGER AS n, (SELECT count(*)::INTEGER FROM (DESCRIBE SELECT * FROM read_parquet('${emptyFile}'))) AS columns FROM read_parquet('${emptyFile}')`)).toEqual([{ n: 0, columns: 7 }]);

  }, 120_000);

  it('parquet --out: an existing file needs --replace; never inside the warehouse, never without --out', async () => {
    const out = join(tmp.dir, 'out', 'refusals.parquet');
    expect(run(['query', 'SELECT 0 AS x', '--format', 'parquet', '--out', out, '--warehouse', wh]).code).toBe(0);
    const before = readFileSync(out);
    const again = run(['query', 'SELECT 1 AS x', '--format', 'parquet', '--out', out, '--warehouse', wh]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--replace');
    expect(readFileSync(out).equals(before)).toBe(true);
    // Refused before the statement runs: the message is about the file, not the SQL.
    const early = run(['query', 'SELEC nonsense', '--format', 'parquet', '--out', out, '--warehouse', wh]);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('--replace');
    expect(early.stderr).not.toMatch(/syntax/i);
    const replaced = run(['query', 'SELECT 1 AS x, 2 AS x', '--format', 'parquet', '--out', out, '--replace', '--warehouse', wh]);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(await queryWarehouse(wh, `SELECT * FROM read_parquet('${out}')`)).toEqual([{ x: 1, x_1: 2 }]);

    for (const inside of [join(wh, 'x.parquet'), join(wh, 'lake', 'snapshots', 'x.parquet')]) {
      const r = run(['query', 'SELECT 1', '--format', 'parquet', '--out', inside, '--warehouse', wh]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('inside the warehouse');
      expect(existsSync(inside)).toBe(false);
    }
    const noOut = run(['query', 'SELECT 1', '--format', 'parquet', '--warehouse', wh]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out');
    const noFolder = run(['query', 'SELECT 1', '--format', 'parquet', '--out', join(tmp.dir, 'nowhere', 'x.parquet'), '--warehouse', wh]);
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toContain(join(tmp.dir, 'nowhere'));
  }, 120_000);

  it('json and ndjson give JSON columns as JSON, and the same rows', () => {
    const sql = 'SELECT snapshot, source, skipped, rows FROM snapshots ORDER BY snapshot';
    const json = run(['query', sql, '--format', 'json', '--warehouse', wh]);
    expect(json.code, json.stderr).toBe(0);
    const rows = JSON.parse(json.stdout.toString('utf8')) as Record<string, unknown>[];
    expect(rows).toHaveLength(3);
    expect(rows[0]!.source).toMatchObject({ hub: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    expect(rows[0]!.skipped).toEqual({});
    expect(typeof rows[0]!.rows).toBe('number');

    const ndjson = run(['query', sql, '--format', 'ndjson', '--warehouse', wh]);
    expect(ndjson.code, ndjson.stderr).toBe(0);
    const lines = ndjson.stdout.toString('utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toEqual(rows);

    const nested = run(['query', `SELECT ['{"a": 1}'::JSON, NULL] AS js, {'j': '[true]'::JSON} AS st`, '--format', 'ndjson', '--warehouse', wh]);
    expect(nested.stdout.toString('utf8')).toBe('{"js":[{"a":1},null],"st":{"j":[true]}}\n');

    const empty = run(['query', 'SELECT 1 AS x WHERE false', '--format', 'ndjson', '--warehouse', wh]);
    expect(empty.code).toBe(0);
    expect(empty.stdout.length).toBe(0);
  });

  it('arrow is not written to a terminal: exit 2, pointing at a pipe or --out', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    tty.on('data', (b: Buffer) => (out += b.toString('utf8')));
    stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    const code = await main(['query', 'SELECT 1 AS x', '--format', 'arrow', '--warehouse', wh], { stdout: tty, stderr, env: {}, cwd: tmp.dir, clock: systemClock, logger: silentLogger() });
    expect(code).toBe(2);
    expect(err).toContain('not written to a terminal');
    expect(err).toContain('--out FILE');
    expect(out).toBe('');
  });

  it('writes any format to --out, and a text format file equals what stdout gets', () => {
    const file = join(tmp.dir, 'shares.csv');
    writeFileSync(join(tmp.dir, 'keep.txt'), 'x');
    const sql = "SELECT * FROM origin_shares WHERE metric = 'period' ORDER BY ALL";
    const toFile = run(['query', sql, '--format', 'csv', '--out', file, '--warehouse', wh]);
    expect(toFile.code, toFile.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(run(['query', sql, '--format', 'csv', '--warehouse', wh]).stdout.toString('utf8'));
    const arrowFile = join(tmp.dir, 'shares.arrows');
    expect(run(['query', sql, '--format', 'arrow', '--out', arrowFile, '--warehouse', wh]).code).toBe(0);
    expect(tableFromIPC(readFileSync(arrowFile)).numRows).toBeGreaterThan(0);
  });
});
