import type { Config } from '../config.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { collect } from '../collect/collect.js';
import { build } from '../build/build.js';
import { report, type ReportResult } from '../report/report.js';
import { WarehouseLock } from '../lake/WarehouseLock.js';
import { warehousePaths } from '../paths.js';

/**
 * `hubtrends run`: collect → build → report under one warehouse lock, so a scheduler and a
 * person can never interleave two runs (exit 3 for the second).
 */
export async function runPipeline(config: Config, deps: { logger: Logger; clock: Clock; signal?: AbortSignal }): Promise<ReportResult> {
  const lock = WarehouseLock.acquire(warehousePaths(config.warehouse).lock, 'run', deps.logger, deps.clock);
  try {
    const { manifest } = await collect(config, { replace: false, fresh: false }, deps);
    await build(config.warehouse, { full: false }, deps);
    const result = await report(config.warehouse, config.reports, { asOf: manifest.snapshot }, deps);
    deps.logger.info({ snapshot: manifest.snapshot, rows: manifest.rows, report: result.dir }, 'run finished');
    return result;
  } finally {
    lock.release();
  }
}
