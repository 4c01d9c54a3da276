import type { Config } from '../config.js';
import { DEFAULT_NAMESPACE_LOOKUPS } from '../collect/namespaceLookups.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { collect } from '../collect/collect.js';
import { build } from '../build/build.js';
import { report, type ReportResult } from '../report/report.js';
import { WarehouseLock } from '../storage/WarehouseLock.js';
import { warehousePaths } from '../paths.js';
import type { Progress } from '../collect/Progress.js';
import type { StepProgress } from '../StepProgress.js';

/** What one run did: the report, plus the figures a scheduler logs. */
export interface RunResult extends ReportResult {
  /** Date of the snapshot collected (or resumed) by this run. */
  readonly snapshot: string;
  readonly rows: number;
  readonly pages: number;
  readonly requests: number;
  readonly retries: number;
  readonly rateLimitWaitMs: number;
  readonly periodsComputed: number;
  readonly seconds: number;
}

/**
 * `hubtrends run`: collect → build → report under one warehouse lock, so a scheduler and a
 * person can never interleave two runs (exit 3 for the second).
 *
 * `signal` stops the crawl at a page boundary: the staged checkpoint stays intact, the next run
 * resumes it, and the lock is released on the way out (the abort reason is thrown). Once the
 * snapshot is published, build and report run to the end: they are local, bounded and
 * transactional, and they make the new snapshot visible.
 */
export async function runPipeline(
  config: Config,
  deps: { logger: Logger; clock: Clock; signal?: AbortSignal; progress?: Progress; steps?: { build?: StepProgress; report?: StepProgress } },
): Promise<RunResult> {
  const t0 = deps.clock.now().getTime();
  deps.signal?.throwIfAborted();
  const lock = WarehouseLock.acquire(warehousePaths(config.warehouse).lock, 'run', deps.logger, deps.clock);
  try {
    const collected = await collect(config, { replace: false, fresh: false, lookups: DEFAULT_NAMESPACE_LOOKUPS }, deps);
    const { manifest } = collected;
    if (deps.signal?.aborted) deps.logger.info({ snapshot: manifest.snapshot }, 'stop requested after the snapshot was published; finishing build and report');
    const built = await build(config.warehouse, { full: false, memory: config.memory }, { logger: deps.logger, clock: deps.clock, onStep: deps.steps?.build });
    const result = await report(config.warehouse, config.reports, { asOf: manifest.snapshot }, { logger: deps.logger, clock: deps.clock, onStep: deps.steps?.report });
    const seconds = (deps.clock.now().getTime() - t0) / 1000;
    deps.logger.info({ snapshot: manifest.snapshot, rows: manifest.rows, report: result.dir, seconds }, 'run finished');
    return {
      ...result,
      snapshot: manifest.snapshot,
      rows: manifest.rows,
      pages: manifest.pages,
      requests: collected.requests,
      retries: collected.retries,
      rateLimitWaitMs: collected.rateLimitWaitMs,
      periodsComputed: built.periodsComputed,
      seconds,
    };
  } finally {
    lock.release();
  }
}
