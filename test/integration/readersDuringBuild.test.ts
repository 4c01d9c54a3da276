import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from '../../pipeline/build/build.js';
import { Database } from '../../pipeline/duckdb.js';
import { packageRoot, warehousePaths } from '../../pipeline/paths.js';
import { deps, publishSnapshot, row, tempDir, writeRegistry } from '../helpers.js';

const cli = join(packageRoot, 'dist', 'pipeline', 'cli.js');
const readerScript = join(packageRoot, 'test', 'fixtures', 'origin-shares-reader.mjs');

interface Line {
  ok: boolean;
  digest?: string;
  error?: string;
}

/** A child process whose stdout is collected as JSON lines. */
function start(args: string[], env: Record<string, string> = {}): { proc: ChildProcess; lines: Line[]; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, TZ: 'UTC', ...env } });
  const lines: Line[] = [];
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const text = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (text.startsWith('{')) lines.push(JSON.parse(text) as Line);
    }
  });
  proc.stderr!.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => proc.on('exit', (code, signal) => res({ code, signal })));
  return { proc, lines, exit };
}

/** Poll until `cond` holds; the test's own timeout bounds the wait. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await sleep(20);
}

const models = (k: number) => [
  row({ model_id: 'Qwen/Qwen2', downloads_all_time: 1000 + 300 * k, downloads_30d: 900 }),
  row({ model_id: 'meta-llama/Llama-3', downloads_all_time: 2000 + 200 * k, downloads_30d: 800 }),
  row({ model_id: 'nobody/thing', downloads_all_time: 50 + 10 * k, downloads_30d: 40 }),
  row({ model_id: 'bartowski/Qwen2-GGUF', downloads_all_time: 400 + 100 * k * k, downloads_30d: 300, base_models: ['Qwen/Qwen2'], base_relation: 'quantized' }),
];

describe('readers during a build', () => {
  const tmp = tempDir();
  const warehouse = join(tmp.dir, 'warehouse');
  const paths = warehousePaths(warehouse);
  const stopFile = join(tmp.dir, 'stop');
  const pauseFile = join(tmp.dir, 'paused');
  const readers: ReturnType<typeof start>[] = [];

  beforeAll(async () => {
    writeRegistry(warehouse, ['Qwen,CN,company,test', 'meta-llama,US,company,test', 'bartowski,INTL,intermediary,test']);
    for (const [k, date] of ['2025-06-02', '2025-06-09', '2025-06-16'].entries()) await publishSnapshot(warehouse, date, models(k));
    await build(warehouse, { full: false }, deps);
    await publishSnapshot(warehouse, '2025-06-23', models(3));
  });
  afterAll(async () => {
    writeFileSync(stopFile, '');
    await Promise.all(readers.map((r) => r.exit));
    tmp.cleanup();
  });

  /** Run `hubtrends build` held at a named point, check readers answer while it waits, then SIGKILL it. */
  const killAt = async (point: string) => {
    const b = start([cli, 'build', '--warehouse', warehouse], { HUBTRENDS_TEST_PAUSE_AT: point, HUBTRENDS_TEST_PAUSE_FILE: pauseFile });
    await until(() => existsSync(pauseFile) || b.proc.exitCode !== null);
    expect(existsSync(pauseFile), `build reached ${point}`).toBe(true);
    const seen = readers.map((r) => r.lines.length);
    await until(() => readers.every((r, i) => r.lines.length >= seen[i]! + 3));
    b.proc.kill('SIGKILL');
    expect((await b.exit).signal).toBe('SIGKILL');
    const after = readers.map((r) => r.lines.length);
    await until(() => readers.every((r, i) => r.lines.length >= after[i]! + 3));
  };

  it('a reader loop querying origin_shares every 100 ms gets the old or the new answer, through kills and a complete build', async () => {
    const before = start([readerScript, paths.database, 'once']);
    await before.exit;
    const old = before.lines[0]!;
    expect(old.ok).toBe(true);

    readers.push(start([readerScript, paths.database, 'reopen', stopFile]));
    readers.push(start([readerScript, paths.database, 'hold', stopFile]));
    await until(() => readers.every((r) => r.lines.length >= 2));

    await killAt('after:071_period_downloads_fill.sql'); // half-way through the SQL
    await killAt('before-publish'); // the new database complete, not yet renamed into place
    expect(existsSync(join(warehouse, '.build')), 'a killed build leaves its work folder to the next').toBe(true);

    // The next build succeeds, with a reader holding the old database open throughout.
    const b = start([cli, 'build', '--warehouse', warehouse]);
    expect((await b.exit).code).toBe(0);
    const after = start([readerScript, paths.database, 'once']);
    await after.exit;
    const fresh = after.lines[0]!;
    expect(fresh.ok).toBe(true);
    expect(fresh.digest).not.toBe(old.digest);
    await until(() => readers[0]!.lines.some((l) => l.digest === fresh.digest) && readers[0]!.lines.at(-1)!.digest === fresh.digest);
    const held = readers[1]!.lines.length;
    await until(() => readers[1]!.lines.length >= held + 2);

    writeFileSync(stopFile, '');
    await Promise.all(readers.map((r) => r.exit));
    const [reopen, hold] = readers.map((r) => r.lines);
    for (const line of [...reopen!, ...hold!]) expect(line, JSON.stringify(line)).toEqual({ ok: true, digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // Reopening readers switch from the old answer to the new one once, and never back.
    const digests = reopen!.map((l) => l.digest);
    const firstNew = digests.indexOf(fresh.digest);
    expect(firstNew).toBeGreaterThan(0);
    expect(new Set(digests.slice(0, firstNew))).toEqual(new Set([old.digest]));
    expect(new Set(digests.slice(firstNew))).toEqual(new Set([fresh.digest]));
    // A reader that kept the database open keeps reading the build it opened.
    expect(new Set(hold!.map((l) => l.digest))).toEqual(new Set([old.digest]));
    expect(existsSync(join(warehouse, '.build'))).toBe(false);
    // The killed builds' period files are gone: the folder holds what the database names.
    const named = await Database.with(paths.database, { readOnly: true }, (db) => db.rows<{ file: string }>('SELECT file FROM period_files ORDER BY file'));
    expect(readdirSync(paths.periodDownloads).sort()).toEqual(named.map((r) => r.file));
  });

  it('a client holding the database open read-write does not make a build fail', async () => {
    const db = await Database.open(paths.database);
    try {
      const b = start([cli, 'build', '--warehouse', warehouse, '--full']);
      expect((await b.exit).code).toBe(0);
      const [r] = await db.rows<{ n: string }>('SELECT count(*) AS n FROM origin_shares');
      expect(Number(r!.n)).toBeGreaterThan(0);
    } finally {
      db.close();
    }
    const after = start([readerScript, paths.database, 'once']);
    await after.exit;
    expect(after.lines[0]!.ok).toBe(true);
  });
});
