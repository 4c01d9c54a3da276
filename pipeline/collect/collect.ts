import type { Config } from '../config.js';
import type { Clock } from '../clock.js';
import { isoDate } from '../clock.js';
import type { Logger } from '../log.js';
import { HubClient, type Page } from '../hub/HubClient.js';
import { HubError } from '../errors.js';
import { EXPAND_FIELDS, parseModel, addSkip, type ModelRow, type SkipCounts } from '../hub/modelRow.js';
import { SnapshotStage, type Checkpoint } from '../storage/SnapshotStage.js';
import type { SnapshotManifest } from '../storage/manifest.js';
import { warehousePaths } from '../paths.js';
import type { Progress } from './Progress.js';

export interface CollectOptions {
  /** Snapshot date; default: the UTC date the crawl started (or the date of the crawl it resumes). */
  readonly snapshot?: string;
  /** Partial crawl: sort by downloads, stop below this count. */
  readonly minDownloads?: number;
  readonly replace: boolean;
  /** Discard a staged crawl instead of resuming it. */
  readonly fresh: boolean;
  /** Accept a snapshot date before 2019 or after tomorrow. Default false. */
  readonly allowDate?: boolean;
}

export interface CollectDeps {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  readonly progress?: Progress;
  /** Seeded jitter for tests. */
  readonly random?: () => number;
}

export interface CollectResult {
  readonly manifest: SnapshotManifest;
  readonly requests: number;
  readonly retries: number;
  readonly rateLimitWaitMs: number;
}

/** How long a staged crawl stays resumable without naming its date. */
const RESUME_WITHIN_MS = 2 * 86_400_000;

function jobOf(config: Config, opts: CollectOptions): Checkpoint['job'] {
  return {
    kind: 'collect',
    hub: config.hubUrl,
    sort: opts.minDownloads === undefined ? 'createdAt' : 'downloads',
    min_downloads: opts.minDownloads ?? null,
    page_size: config.pageSize,
    expand: EXPAND_FIELDS.join(','),
  };
}

/**
 * A snapshot of every public model's counters (DESIGN §3–4): follows `Link` from the first page,
 * overlapping the request for page k+1 with the parsing and writing of page k, checkpointing
 * each page so a killed crawl resumes where it stopped, and publishing atomically at the end.
 */
export async function collect(config: Config, opts: CollectOptions, deps: CollectDeps): Promise<CollectResult> {
  const { logger, clock } = deps;
  const paths = warehousePaths(config.warehouse);
  const job = jobOf(config, opts);
  const startedAt = clock.now();
  // A staged crawl is resumed without --snapshot only while it is recent: an old cursor may have
  // expired, and a snapshot must not be named after a date long before most of its counters.
  const resumable = opts.fresh
    ? undefined
    : SnapshotStage.staged(paths).find(
        (cp) => JSON.stringify(cp.job) === JSON.stringify(job) && startedAt.getTime() - Date.parse(cp.started_at) < RESUME_WITHIN_MS,
      );
  const snapshot = opts.snapshot ?? resumable?.snapshot ?? isoDate(startedAt);
  const stage = SnapshotStage.open({ paths, snapshot, job, startedAt: startedAt.toISOString(), replace: opts.replace, fresh: opts.fresh, logger, allowDate: opts.allowDate });

  const client = new HubClient({ ...config, logger, clock, signal: deps.signal, random: deps.random });
  const cp = stage.checkpoint;
  let url: string | null = cp.pages === 0 ? client.firstPageUrl({ sort: job.sort as 'createdAt' | 'downloads', limit: config.pageSize, expand: EXPAND_FIELDS }) : cp.next;
  logger.info({ snapshot, hub: config.hubUrl, resumeFromPage: cp.pages + 1, minDownloads: opts.minDownloads ?? null }, 'collect started');

  // The request for the next page is in flight while this one is parsed and written.
  const ahead = new AbortController();
  let pending: Promise<Page> | null = url ? client.fetchPage(url, ahead.signal) : null;
  try {
    while (pending) {
      const page: Page = await pending;
      pending = null;
      const { rows, skipped, stop } = parsePage(page.items, opts.minDownloads);
      const next = stop ? null : page.next;
      if (next) {
        pending = client.fetchPage(next, ahead.signal);
        pending.catch(() => undefined); // observed when awaited; avoids an unhandled rejection meanwhile
      }
      if (page.synthetic) stage.markSynthetic();
      await stage.appendPage(rows, skipped, next);
      logger.debug({ page: cp.pages, rows: rows.length, bytes: page.bytes }, 'page written');
      deps.progress?.update({ pages: cp.pages, models: cp.rows, rateLimitWaitMs: client.stats.rateLimitWaitMs });
      if (deps.signal?.aborted) throw deps.signal.reason;
    }
  } finally {
    ahead.abort();
    deps.progress?.stop();
  }

  if (cp.rows === 0) {
    // An empty listing is a hub or proxy failure, not a Hub without models: publishing it would
    // make every model look vanished for a week, then new again.
    stage.discard();
    throw new HubError(`the hub at ${config.hubUrl} listed no models; nothing was published`);
  }
  const manifest = await stage.publish({
    source: { hub: config.hubUrl },
    finishedAt: clock.now().toISOString(),
    minDownloads: opts.minDownloads ?? null,
    sort: String(job.sort),
    replace: opts.replace,
  });
  logger.info(
    { snapshot, rows: manifest.rows, pages: manifest.pages, requests: client.stats.requests, retries: client.stats.retries, rateLimitWaitMs: client.stats.rateLimitWaitMs, skipped: manifest.skipped },
    'collect finished',
  );
  return { manifest, ...client.stats };
}

/** Normalise one page; with a threshold, drop rows under it and stop once the page ends below it. */
export function parsePage(items: readonly unknown[], minDownloads: number | undefined): { rows: ModelRow[]; skipped: SkipCounts; stop: boolean } {
  const rows: ModelRow[] = [];
  const skipped: SkipCounts = {};
  let last: number | null = null;
  for (const item of items) {
    const r = parseModel(item);
    if (!r.ok) {
      addSkip(skipped, r.reason);
      continue;
    }
    last = r.row.downloads_30d;
    if (minDownloads !== undefined && (r.row.downloads_30d ?? 0) < minDownloads) continue;
    rows.push(r.row);
  }
  const stop = minDownloads !== undefined && (items.length === 0 || last === null || last < minDownloads);
  return { rows, skipped, stop };
}
