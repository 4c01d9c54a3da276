import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { collect } from '../collect/collect.js';
import { build } from '../build/build.js';
import { report, type ReportResult } from '../report/report.js';
import { LocalHub } from '../localhub/LocalHub.js';
import { syntheticHub } from '../localhub/syntheticFromRegistry.js';
import type { DemoProgress } from './DemoProgress.js';

import type { DemoOptions } from './defaults.js';
export { DEMO_DEFAULTS, type DemoOptions } from './defaults.js';
export type { DemoProgress } from './DemoProgress.js';

export function demoDates(opts: DemoOptions): string[] {
  const last = Date.parse(`${opts.lastDate}T00:00:00Z`);
  return Array.from({ length: opts.weeks }, (_, k) => new Date(last - (opts.weeks - 1 - k) * 7 * 86_400_000).toISOString().slice(0, 10));
}

/**
 * The whole pipeline offline: the synthetic hub served over HTTP on 127.0.0.1, one collect per
 * week as the hub's clock advances, then build and report, in `warehouse/demo/` and
 * `reports/demo/` so synthetic data never mixes with collected data.
 */
export async function demo(config: Config, opts: DemoOptions, deps: { logger: Logger; clock: Clock; progress?: DemoProgress }): Promise<ReportResult & { warehouse: string }> {
  const warehouse = join(config.warehouse, 'demo');
  rmSync(join(warehouse, 'lake'), { recursive: true, force: true });
  rmSync(join(warehouse, 'hubtrends.duckdb'), { force: true });
  const dates = demoDates(opts);
  const source = syntheticHub(opts.models);
  const hub = new LocalHub({ source, asOfMs: Date.parse(`${dates[0]}T00:00:00Z`), logger: deps.logger });
  const url = await hub.start(0, '127.0.0.1');
  deps.logger.info({ hub: url, models: opts.models, weeks: dates.length }, 'demo: synthetic hub serving on loopback');
  // Each week's crawl would log the same three lines 26 times; the progress line shows them, and
  // warnings (retries) still come through. `--log-level debug` shows every line.
  const collectLogger = deps.logger.level === 'info' ? deps.logger.child({}, { level: 'warn' }) : deps.logger;
  let rows = 0;
  let expected: number | null = null;
  try {
    const collectConfig: Config = { ...config, warehouse, hubUrl: url, token: undefined, pageSize: 1000 };
    for (const [k, date] of dates.entries()) {
      hub.asOfMs = Date.parse(`${date}T00:00:00Z`);
      const progress = deps.progress?.collect(k + 1, dates.length, date, expected);
      const { manifest } = await collect(collectConfig, { snapshot: date, replace: false, fresh: true }, { logger: collectLogger, clock: deps.clock, progress });
      deps.logger.debug({ snapshot: date, rows: manifest.rows }, 'demo: snapshot collected');
      rows += manifest.rows;
      expected = manifest.rows;
    }
  } finally {
    await hub.stop();
  }
  deps.logger.info({ snapshots: dates.length, first: dates[0], last: dates.at(-1), rows }, 'demo: weekly snapshots collected');
  await build(warehouse, { full: false }, { logger: deps.logger, clock: deps.clock, onStep: deps.progress?.build });
  // A synthetic report goes under <reports>/demo/ by itself.
  const result = await report(warehouse, config.reports, {}, { logger: deps.logger, clock: deps.clock, onStep: deps.progress?.report });
  return { ...result, warehouse };
}
