import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LocalHub } from '../../pipeline/localhub/LocalHub.js';
import { SyntheticHub } from '../../pipeline/localhub/SyntheticHub.js';
import { parseFaults } from '../../pipeline/localhub/faults.js';
import { SnapshotStage } from '../../pipeline/storage/SnapshotStage.js';
import { publishedSnapshots } from '../../pipeline/storage/publishedSnapshots.js';
import { packageRoot, warehousePaths } from '../../pipeline/paths.js';
import { tempDir } from '../helpers.js';

// The signal handling `hubtrends schedule` will have, in a real process: test/fixtures/schedule-child.mjs
// runs schedule() under stopOnSignals() from the compiled dist/ (npm test compiles first).
const entry = join(packageRoot, 'test', 'fixtures', 'schedule-child.mjs');
const orgs = [{ org: 'Qwen', country: 'CN', kind: 'company' as const, source: 't' }];
const tmp = tempDir();
afterAll(() => tmp.cleanup());

interface Child {
  proc: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[]): Child {
  const proc = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, TZ: 'UTC' } });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return { proc, stderr: () => err, stdout: () => out, exit };
}

/** Poll until `cond` holds; a bound on the wait, not a timed assertion. */
async function waitFor(cond: () => boolean, what: string, child: Child, ms = 40_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline || child.proc.exitCode !== null) {
      child.proc.kill('SIGKILL');
      throw new Error(`gave up waiting for ${what}; stderr:\n${child.stderr().slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('schedule under SIGTERM/SIGINT, in a real process', () => {
  it('SIGTERM mid-crawl: stops at a page boundary, releases the lock, exits 0; the crawl stays resumable', async () => {
    const hub = new LocalHub({ source: new SyntheticHub({ models: 3000, seed: 7, orgs }), asOfMs: Date.parse('2026-01-05T00:00:00Z'), faults: parseFaults('slow:100') });
    const url = await hub.start();
    const wh = join(tmp.dir, 'wh-term');
    const paths = warehousePaths(wh);
    const pages = (): number => SnapshotStage.staged(paths)[0]?.pages ?? 0;
    try {
      const child = start([wh, url, '0 6 * * 1']);
      await waitFor(() => pages() >= 3, 'three pages checkpointed', child);
      child.proc.kill('SIGTERM');
      const { code } = await child.exit;
      expect(code, child.stderr()).toBe(0);
      expect(JSON.parse(child.stdout())).toEqual({ runs: 1, succeeded: 0, failed: 0, stopped: 1, skipped: 0 });
      expect(child.stderr()).toContain('stopping at the next safe point');
      expect(existsSync(paths.lock)).toBe(false);
      expect(publishedSnapshots(wh)).toEqual([]);
      const cp = SnapshotStage.staged(paths)[0]!;
      expect(cp).toMatchObject({ done: false, next: expect.stringContaining('cursor=') });
      expect(cp.pages).toBeGreaterThanOrEqual(3);
    } finally {
      await hub.stop();
    }
  });

  it('a second signal exits at once (130 for SIGINT) while a run ignores the first', async () => {
    const wh = join(tmp.dir, 'wh-twice');
    const child = start([wh, 'http://127.0.0.1:9', '0 6 * * 1', 'stubborn']);
    await waitFor(() => child.stderr().includes('stubborn run started'), 'the run to start', child);
    child.proc.kill('SIGINT');
    await waitFor(() => child.stderr().includes('stopping at the next safe point'), 'the first signal to be handled', child);
    child.proc.kill('SIGINT');
    const { code } = await child.exit;
    expect(code).toBe(130);
    expect(child.stderr()).toContain('second signal: exiting at once');
  });
});
