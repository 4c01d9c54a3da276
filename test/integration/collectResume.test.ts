import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalHub } from '../../pipeline/localhub/LocalHub.js';
import { SyntheticHub } from '../../pipeline/localhub/SyntheticHub.js';
import { parseFaults } from '../../pipeline/localhub/faults.js';
import { Database } from '../../pipeline/duckdb.js';
import { packageRoot, snapshotDir, warehousePaths } from '../../pipeline/paths.js';
import { tempDir } from '../helpers.js';

const cli = join(packageRoot, 'dist', 'pipeline', 'cli.js');
const orgs = [{ org: 'Qwen', country: 'CN', kind: 'company' as const, source: 't' }];
const source = new SyntheticHub({ models: 3000, seed: 5, orgs });
const asOfMs = Date.parse('2026-01-05T00:00:00Z');
const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Run the CLI as a child without blocking this process, which serves the hub it talks to. */
function runCli(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (status) => resolve({ status, stderr }));
  });
}

async function modelIds(wh: string): Promise<string[]> {
  const file = join(snapshotDir(warehousePaths(wh), '2026-01-05'), 'models.parquet');
  const rows = await Database.with(':memory:', {}, (db) => db.rows<{ k: string }>(`SELECT model_id || ':' || downloads_all_time AS k FROM read_parquet('${file}') ORDER BY 1`));
  return rows.map((r) => r.k);
}

describe('a crawl killed with SIGKILL resumes from its checkpoint', () => {
  it('publishes the same snapshot as an uninterrupted crawl: same ids, no duplicates', async () => {
    const hub = new LocalHub({ source, asOfMs, faults: parseFaults('slow:40') });
    const url = await hub.start();
    const args = (wh: string) => [cli, 'collect', '--hub', url, '--page-size', '50', '--snapshot', '2026-01-05', '--warehouse', wh, '--log-level', 'warn'];
    try {
      const clean = join(tmp.dir, 'clean');
      expect((await runCli(args(clean))).status).toBe(0);

      const wh = join(tmp.dir, 'killed');
      const checkpoint = join(warehousePaths(wh).staging, 'snapshot=2026-01-05', 'checkpoint.json');
      const child = spawn(process.execPath, args(wh), { stdio: 'ignore' });
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        if (existsSync(checkpoint) && (JSON.parse(readFileSync(checkpoint, 'utf8')) as { pages: number }).pages >= 5) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(existsSync(snapshotDir(warehousePaths(wh), '2026-01-05'))).toBe(false);
      const pagesAtKill = (JSON.parse(readFileSync(checkpoint, 'utf8')) as { pages: number }).pages;
      expect(pagesAtKill).toBeGreaterThanOrEqual(5);

      // The dead process's lock is taken over; the crawl continues from the checkpoint.
      const before = hub.seen.length;
      const resumed = await runCli(args(wh));
      expect(resumed.status, resumed.stderr).toBe(0);
      const requested = hub.seen.length - before;
      const cleanIds = await modelIds(clean);
      expect(requested).toBeLessThan(Math.ceil(cleanIds.length / 50));
      const ids = await modelIds(wh);
      expect(ids).toEqual(cleanIds);
      const manifest = JSON.parse(readFileSync(join(snapshotDir(warehousePaths(wh), '2026-01-05'), 'manifest.json'), 'utf8')) as { rows: number; duplicates_dropped: number };
      expect(manifest.rows).toBe(cleanIds.length);
      expect(manifest.duplicates_dropped).toBe(0);
    } finally {
      await hub.stop();
    }
  }, 90_000);
});
