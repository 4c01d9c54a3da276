import { SnapshotStage } from '../storage/SnapshotStage.js';
import { readManifest } from '../storage/manifest.js';
import { publishedSnapshots } from '../storage/publishedSnapshots.js';
import { snapshotDir, warehousePaths } from '../paths.js';

/** Whether the scheduler should run at once at start-up, and why (DESIGN §11). */
export interface CatchUpDecision {
  readonly due: boolean;
  /** `empty lake`, `interrupted crawl`, `newest snapshot older than the period`, or `up to date`. */
  readonly reason: string;
  /** Date of the newest published snapshot, or null. */
  readonly newest: string | null;
  /** When the newest snapshot's crawl started (its manifest's `started_at`, else its date at 00:00 UTC). */
  readonly newestStartedAt: string | null;
  readonly ageMs: number | null;
  readonly periodMs: number;
}

/** When the crawl of a published snapshot started: its manifest's `started_at`, else the date at 00:00 UTC. */
function startedAt(warehouse: string, date: string): number {
  try {
    const m = readManifest(snapshotDir(warehousePaths(warehouse), date));
    const t = m ? Date.parse(m.started_at) : NaN;
    if (Number.isFinite(t)) return t;
  } catch {
    // an unreadable manifest: fall back to the date
  }
  return Date.parse(`${date}T00:00:00Z`);
}

/** A crawl stopped before it published (a signal, a crash, a hub that gave up) and can resume. */
export function hasInterruptedCrawl(warehouse: string): boolean {
  return SnapshotStage.staged(warehousePaths(warehouse)).some((cp) => cp.job.kind === 'collect' && !cp.done);
}

/**
 * Catch-up at start-up: run at once when the lake holds no snapshot, when a crawl was left
 * unfinished (it resumes from its checkpoint), or when the newest snapshot's crawl started longer
 * ago than the schedule's period, i.e. a tick was missed while nothing was running.
 */
export function catchUpDecision(warehouse: string, periodMs: number, now: Date): CatchUpDecision {
  const newest = publishedSnapshots(warehouse).at(-1) ?? null;
  const base = { newest, periodMs };
  if (hasInterruptedCrawl(warehouse)) {
    const t = newest === null ? null : startedAt(warehouse, newest);
    return { ...base, due: true, reason: 'interrupted crawl', newestStartedAt: t === null ? null : new Date(t).toISOString(), ageMs: t === null ? null : now.getTime() - t };
  }
  if (newest === null) return { ...base, due: true, reason: 'empty lake', newestStartedAt: null, ageMs: null };
  const t = startedAt(warehouse, newest);
  const ageMs = now.getTime() - t;
  const due = ageMs > periodMs;
  return { ...base, due, reason: due ? 'newest snapshot older than the period' : 'up to date', newestStartedAt: new Date(t).toISOString(), ageMs };
}
