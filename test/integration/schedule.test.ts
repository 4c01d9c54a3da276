import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schedule, cronPeriodMs, type ScheduleSummary } from '../../pipeline/schedule/schedule.js';
import { catchUpDecision } from '../../pipeline/schedule/catchUp.js';
import { LocalHub } from '../../pipeline/localhub/LocalHub.js';
import { SyntheticHub } from '../../pipeline/localhub/SyntheticHub.js';
import { parseFaults } from '../../pipeline/localhub/faults.js';
import { WarehouseLock } from '../../pipeline/storage/WarehouseLock.js';
import { SnapshotStage, type Checkpoint } from '../../pipeline/storage/SnapshotStage.js';
import { publishedSnapshots } from '../../pipeline/storage/publishedSnapshots.js';
import { readLatest } from '../../pipeline/report/latest.js';
import { createLogger } from '../../pipeline/log.js';
import { systemClock, isoDate, type Clock } from '../../pipeline/clock.js';
import { HubError, UsageError } from '../../pipeline/errors.js';
import { snapshotDir, warehousePaths } from '../../pipeline/paths.js';
import { configFor, deps, publishSnapshot, row, tempDir } from '../helpers.js';

const orgs = [
  { org: 'Qwen', country: 'CN', kind: 'company' as const, source: 't' },
  { org: 'meta-llama', country: 'US', kind: 'company' as const, source: 't' },
];
const asOfMs = Date.parse('2026-01-05T00:00:00Z');
const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;
const freshWarehouse = (): string => join(tmp.dir, `wh-${++n}`);

type LogLine = { level: number; msg: string; [k: string]: unknown };

/** A logger whose lines the test can read. */
function capture(): { logger: ReturnType<typeof createLogger>; lines: LogLine[]; has: (msg: string) => boolean } {
  const lines: LogLine[] = [];
  const logger = createLogger('debug', { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  return { logger, lines, has: (msg) => lines.some((l) => l.msg.includes(msg)) };
}

/** Poll until `cond` holds; a bound on the wait, not a timed assertion. */
async function waitFor(cond: () => boolean, what: string, ms = 40_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function checkpointOf(wh: string): Checkpoint | null {
  const staged = SnapshotStage.staged(warehousePaths(wh));
  return staged[0] ?? null;
}

describe('schedule: validation and the catch-up rule', () => {
  it('an invalid cron expression or time zone is a usage error naming it', async () => {
    const config = configFor(freshWarehouse());
    await expect(schedule(config, { cron: '61 * * * *', tz: 'UTC' }, deps)).rejects.toThrow(UsageError);
    await expect(schedule(config, { cron: '61 * * * *', tz: 'UTC' }, deps)).rejects.toThrow('"61 * * * *"');
    await expect(schedule(config, { cron: '0 6 * *', tz: 'UTC' }, deps)).rejects.toThrow('expected 5 or 6 fields');
    await expect(schedule(config, { cron: '0 6 * * 1', tz: 'Mars/Olympus' }, deps)).rejects.toThrow('"Mars/Olympus"');
    expect(() => cronPeriodMs({ cron: '0 0 31 2 *', tz: 'UTC' })).toThrow(UsageError);
  });

  it('the period is the gap between the next two fire times', () => {
    expect(cronPeriodMs({ cron: '0 6 * * 1', tz: 'UTC' })).toBe(7 * 86_400_000);
    expect(cronPeriodMs({ cron: '0 6 * * 1', tz: 'Asia/Tokyo' })).toBe(7 * 86_400_000);
    expect(cronPeriodMs({ cron: '* * * * * *', tz: 'UTC' })).toBe(1000);
    expect(cronPeriodMs({ cron: '0 * * * *', tz: 'UTC' })).toBe(3_600_000);
  });

  it('catches up on an empty lake, an old snapshot or an interrupted crawl; not on a fresh snapshot', async () => {
    const wh = freshWarehouse();
    const week = 7 * 86_400_000;
    const now = new Date('2026-01-12T07:00:00Z');
    expect(catchUpDecision(wh, week, now)).toMatchObject({ due: true, reason: 'empty lake', newest: null });
    await publishSnapshot(wh, '2026-01-05', [row({ model_id: 'Qwen/a', downloads_all_time: 1 })]); // started 2026-01-05T00:00Z
    expect(catchUpDecision(wh, week, new Date('2026-01-11T23:00:00Z'))).toMatchObject({ due: false, reason: 'up to date', newest: '2026-01-05' });
    expect(catchUpDecision(wh, week, now)).toMatchObject({ due: true, reason: 'newest snapshot older than the period', newest: '2026-01-05' });
    expect(catchUpDecision(wh, 86_400_000, new Date('2026-01-05T12:00:00Z'))).toMatchObject({ due: false });

    const stage = SnapshotStage.open({ paths: warehousePaths(wh), snapshot: '2026-01-12', job: { kind: 'collect' }, startedAt: now.toISOString(), replace: false, fresh: true, logger: deps.logger });
    await stage.appendPage([row({ model_id: 'Qwen/b' })], {}, 'http://127.0.0.1:9/next');
    expect(catchUpDecision(wh, week, new Date('2026-01-05T12:00:00Z'))).toMatchObject({ due: true, reason: 'interrupted crawl' });
  });
});

describe('schedule: runs over a local hub', () => {
  it('runs at once on an empty lake (catch-up): snapshot, report, latest.json, lock released', async () => {
    const hub = new LocalHub({ source: new SyntheticHub({ models: 400, seed: 3, orgs }), asOfMs });
    const url = await hub.start();
    const wh = freshWarehouse();
    const config = configFor(wh, { hubUrl: url, pageSize: 100, reports: join(wh, 'reports') });
    const log = capture();
    const stop = new AbortController();
    try {
      const running = schedule(config, { cron: '0 6 * * 1', tz: 'UTC' }, { logger: log.logger, clock: systemClock, signal: stop.signal });
      await waitFor(() => log.has('scheduled run finished') || log.has('scheduled run failed'), 'the catch-up run');
      stop.abort();
      const summary = await running;
      expect(summary).toEqual({ runs: 1, succeeded: 1, failed: 0, stopped: 0, skipped: 0 });
      const started = log.lines.find((l) => l.msg === 'scheduler started') as LogLine & { catchUp: { due: boolean; reason: string } };
      expect(started.catchUp).toMatchObject({ due: true, reason: 'empty lake' });
      const done = log.lines.find((l) => l.msg === 'scheduled run finished')!;
      const today = isoDate(new Date());
      // The local hub serves synthetic data, so its reports go under reports/demo/.
      expect(done).toMatchObject({ reason: 'catch-up', snapshot: today, rows: expect.any(Number), dir: join(wh, 'reports', 'demo', today) });
      expect(publishedSnapshots(wh)).toEqual([today]);
      expect(readLatest(join(wh, 'reports', 'demo'))?.as_of).toBe(today);
      expect(readLatest(join(wh, 'reports'))).toBeNull();
      expect(existsSync(warehousePaths(wh).lock)).toBe(false);
    } finally {
      stop.abort();
      await hub.stop();
    }
  });

  it('a per-second schedule keeps running the pipeline, one run at a time, each a new snapshot and report', async () => {
    const hub = new LocalHub({ source: new SyntheticHub({ models: 300, seed: 4, orgs }), asOfMs });
    const url = await hub.start();
    const wh = freshWarehouse();
    const reports = join(wh, 'reports');
    const config = configFor(wh, { hubUrl: url, pageSize: 100, reports });
    // One real second is one day for the pipeline, so every tick collects a new date.
    const t0 = Date.now();
    const base = Date.parse('2026-02-02T06:00:00Z');
    const clock: Clock = { now: () => new Date(base + (Date.now() - t0) * 86_400), sleep: systemClock.sleep };
    const log = capture();
    const stop = new AbortController();
    let summary: ScheduleSummary | undefined;
    try {
      const running = schedule(config, { cron: '* * * * * *', tz: 'UTC' }, { logger: log.logger, clock, signal: stop.signal });
      await waitFor(() => log.lines.filter((l) => l.msg === 'scheduled run finished' && l.reason === 'tick').length >= 2, 'two runs started by ticks');
      stop.abort();
      summary = await running;
    } finally {
      stop.abort();
      await hub.stop();
    }
    expect(summary.failed).toBe(0);
    expect(summary.succeeded).toBeGreaterThanOrEqual(3);
    const snaps = publishedSnapshots(wh);
    expect(snaps.length).toBe(summary.succeeded);
    for (const s of snaps) expect(existsSync(join(reports, 'demo', s, 'report.md'))).toBe(true);
    expect(readLatest(join(reports, 'demo'))?.as_of).toBe(snaps.at(-1));
    // Never two at once: every start is followed by its end before the next start.
    const events = log.lines.filter((l) => l.msg === 'scheduled run started' || l.msg === 'scheduled run finished').map((l) => l.msg);
    for (let i = 0; i < events.length; i++) expect(events[i]).toBe(i % 2 === 0 ? 'scheduled run started' : 'scheduled run finished');
    expect(existsSync(warehousePaths(wh).lock)).toBe(false);
  });

  it('a failed run is logged with its reason and the next tick tries again; a tick during a run is skipped', async () => {
    const wh = freshWarehouse();
    const log = capture();
    const stop = new AbortController();
    let calls = 0;
    let active = 0;
    let maxActive = 0;
    let release: () => void = () => undefined;
    const runOnce = async (): Promise<unknown> => {
      calls++;
      active++;
      maxActive = Math.max(maxActive, active);
      try {
        if (calls === 1) throw new HubError('hub failed after 8 attempts: GET http://127.0.0.1:9/api/models: HTTP 503');
        if (calls === 2) await new Promise<void>((r) => (release = r));
        return { snapshot: '2026-01-05', rows: 42 };
      } finally {
        active--;
      }
    };
    const running = schedule(configFor(wh), { cron: '* * * * * *', tz: 'UTC' }, { logger: log.logger, clock: systemClock, signal: stop.signal, runOnce });
    try {
      await waitFor(() => calls >= 2 && log.has('tick skipped: the previous run is still going'), 'a tick skipped during the second run');
      release();
      await waitFor(() => log.lines.some((l) => l.msg === 'scheduled run finished'), 'the second run to finish');
    } finally {
      release();
      stop.abort();
    }
    const summary = await running;
    expect(maxActive).toBe(1);
    expect(summary.failed).toBe(1);
    expect(summary.succeeded).toBeGreaterThanOrEqual(1);
    expect(summary.skipped).toBeGreaterThanOrEqual(1);
    const failed = log.lines.find((l) => l.msg.startsWith('scheduled run failed')) as LogLine & { err: { message: string }; exitCode: number };
    expect(failed).toMatchObject({ reason: 'catch-up', exitCode: 4 });
    expect(failed.err.message).toContain('HTTP 503');
    expect(log.lines.find((l) => l.msg === 'scheduled run finished')).toMatchObject({ snapshot: '2026-01-05', rows: 42 });
  });

  it('a run refused by the warehouse lock (another process) is skipped, and the next tick runs', async () => {
    const hub = new LocalHub({ source: new SyntheticHub({ models: 200, seed: 5, orgs }), asOfMs });
    const url = await hub.start();
    const wh = freshWarehouse();
    const config = configFor(wh, { hubUrl: url, pageSize: 100, reports: join(wh, 'reports') });
    const held = WarehouseLock.acquire(warehousePaths(wh).lock, 'run', deps.logger, systemClock);
    const log = capture();
    const stop = new AbortController();
    try {
      const running = schedule(config, { cron: '* * * * * *', tz: 'UTC' }, { logger: log.logger, clock: systemClock, signal: stop.signal });
      await waitFor(() => log.has('run skipped: another process holds the warehouse lock'), 'a run refused by the lock');
      held.release();
      await waitFor(() => log.has('scheduled run finished'), 'a run once the lock is free');
      stop.abort();
      const summary = await running;
      expect(summary.skipped).toBeGreaterThanOrEqual(1);
      expect(summary.succeeded).toBe(1);
      expect(summary.failed).toBe(0);
      expect(publishedSnapshots(wh)).toHaveLength(1);
    } finally {
      held.release();
      stop.abort();
      await hub.stop();
    }
  });

  it('abort mid-crawl stops at a page boundary: checkpoint intact, no lock; the next start resumes it', async () => {
    const source = new SyntheticHub({ models: 3000, seed: 6, orgs });
    const hub = new LocalHub({ source, asOfMs, faults: parseFaults('slow:100') });
    const url = await hub.start();
    const wh = freshWarehouse();
    const config = configFor(wh, { hubUrl: url, pageSize: 50, reports: join(wh, 'reports') });
    try {
      const log = capture();
      const stop = new AbortController();
      const running = schedule(config, { cron: '0 6 * * 1', tz: 'UTC' }, { logger: log.logger, clock: systemClock, signal: stop.signal });
      await waitFor(() => (checkpointOf(wh)?.pages ?? 0) >= 3, 'three pages checkpointed');
      stop.abort();
      const summary = await running;
      expect(summary).toEqual({ runs: 1, succeeded: 0, failed: 0, stopped: 1, skipped: 0 });
      expect(log.has('scheduled run stopped by a signal')).toBe(true);
      expect(existsSync(warehousePaths(wh).lock)).toBe(false);
      expect(publishedSnapshots(wh)).toEqual([]);
      const cp = checkpointOf(wh)!;
      expect(cp.done).toBe(false);
      expect(cp.next).toMatch(/cursor=/);
      expect(cp.pages).toBeGreaterThanOrEqual(3);
      const pagesDir = join(warehousePaths(wh).staging, `snapshot=${cp.snapshot}`, 'pages');
      expect(readdirSync(pagesDir).filter((f) => f.endsWith('.jsonl')).length).toBeGreaterThanOrEqual(cp.pages);

      // Restart: the interrupted crawl is caught up at once and resumes from its checkpoint.
      const log2 = capture();
      const stop2 = new AbortController();
      const before = hub.seen.length;
      const running2 = schedule(config, { cron: '0 6 * * 1', tz: 'UTC' }, { logger: log2.logger, clock: systemClock, signal: stop2.signal });
      await waitFor(() => log2.has('scheduled run finished') || log2.has('scheduled run failed'), 'the resumed run', 50_000);
      stop2.abort();
      expect(await running2).toMatchObject({ runs: 1, succeeded: 1 });
      expect((log2.lines.find((l) => l.msg === 'scheduler started') as LogLine & { catchUp: { reason: string } }).catchUp.reason).toBe('interrupted crawl');
      expect(publishedSnapshots(wh)).toEqual([cp.snapshot]);
      const manifest = JSON.parse(readFileSync(join(snapshotDir(warehousePaths(wh), cp.snapshot), 'manifest.json'), 'utf8')) as { rows: number; pages: number; duplicates_dropped: number };
      expect(manifest.duplicates_dropped).toBe(0);
      // Only the pages after the checkpoint were asked for again.
      expect(hub.seen.length - before).toBe(manifest.pages - cp.pages);
    } finally {
      await hub.stop();
    }
  }, 90_000);
});
