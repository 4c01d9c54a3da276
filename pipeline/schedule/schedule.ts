import cron, { type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import type { Config } from '../config.js';
import type { Clock } from '../clock.js';
import { isoDate } from '../clock.js';
import type { Logger } from '../log.js';
import { exitCodeOf, LockedError, UsageError } from '../errors.js';
import { publishedSnapshots } from '../storage/publishedSnapshots.js';
import { runPipeline } from './runPipeline.js';
import { catchUpDecision, hasInterruptedCrawl } from './catchUp.js';

export interface ScheduleOptions {
  /**
   * Cron expression, 5 fields or 6 with seconds first (node-cron syntax). Default `0 6 * * 1`,
   * Mondays at 06:00. Example: `0 6 * * *` for every day at 06:00.
   */
  readonly cron: string;
  /** IANA time zone the expression is read in. Default `UTC`. Example: `Europe/Paris`. */
  readonly tz: string;
}

export const SCHEDULE_DEFAULTS: ScheduleOptions = { cron: '0 6 * * 1', tz: 'UTC' };

export interface ScheduleDeps {
  readonly logger: Logger;
  readonly clock: Clock;
  /** Aborting it stops the scheduler: no new run starts, a running crawl stops at a page boundary. */
  readonly signal?: AbortSignal;
  /** One run; default `runPipeline` (collect → build → report under the warehouse lock). */
  readonly runOnce?: (signal: AbortSignal) => Promise<unknown>;
}

/** What a scheduler did between its start and its stop. */
export interface ScheduleSummary {
  /** Runs started (catch-up and ticks). */
  runs: number;
  succeeded: number;
  /** Runs that failed (hub down after retries, bad data…); the scheduler went on. */
  failed: number;
  /** Runs stopped by the signal. */
  stopped: number;
  /** Ticks that started no run: a run still going, another process holding the lock, today's snapshot already there. */
  skipped: number;
}

/** Check an expression and a time zone; UsageError (exit 2) naming the bad value. */
export function validateSchedule(opts: ScheduleOptions): void {
  if (!cron.validate(opts.cron)) {
    const errors = cron.validateDetailed(opts.cron).errors.map((e) => e.message);
    throw new UsageError(
      `--cron: invalid cron expression ${JSON.stringify(opts.cron)}${errors.length > 0 ? ` (${errors.join('; ')})` : ''}; expected 5 fields, or 6 with seconds first, such as "0 6 * * 1" (Mondays 06:00)`,
    );
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: opts.tz });
  } catch {
    throw new UsageError(`--tz: unknown time zone ${JSON.stringify(opts.tz)}; expected an IANA name such as "UTC" or "Europe/Paris"`);
  }
}

/** The schedule's period: the gap between the next two fire times after now. */
function periodOf(task: ScheduledTask, opts: ScheduleOptions): number {
  const [a, b] = task.getNextRuns(2);
  if (!a || !b) throw new UsageError(`--cron: ${JSON.stringify(opts.cron)} never fires twice; expected a recurring schedule such as "0 6 * * 1"`);
  return b.getTime() - a.getTime();
}

/** The period of a cron expression in a time zone, in ms (validates both first). */
export function cronPeriodMs(opts: ScheduleOptions): number {
  validateSchedule(opts);
  const task = cron.createTask(opts.cron, () => undefined, { timezone: opts.tz });
  try {
    return periodOf(task, opts);
  } finally {
    // destroy() returns a promise in node-cron 4; a failure to tear down a never-started task is moot
    Promise.resolve(task.destroy()).catch(() => undefined);
  }
}

/** node-cron's own messages, routed into our logger. */
function cronLogger(logger: Logger): CronLogger {
  const log = logger.child({ component: 'node-cron' });
  return {
    info: (m) => log.debug(m),
    warn: (m) => log.warn(m),
    error: (m, err) => log.error({ err: err ?? m }, typeof m === 'string' ? m : m.message),
    debug: (m) => log.debug(typeof m === 'string' ? m : m.message),
  };
}

/** The figures of a run's result worth a log line: its scalar fields. */
function figures(result: unknown): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  if (typeof result !== 'object' || result === null) return out;
  for (const [k, v] of Object.entries(result)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k === 'seconds' ? 'runSeconds' : k] = v;
  }
  return out;
}

/**
 * `hubtrends schedule` (DESIGN §11): run collect → build → report on a cron expression with
 * node-cron, in this long-running process, until `deps.signal` aborts.
 *
 * - Never two runs at once: a tick while a run is going is skipped with a log line; across
 *   processes the warehouse lock taken by `runPipeline` refuses the second (logged, skipped).
 * - Catch-up at start-up: when the lake is empty, a crawl was left unfinished, or the newest
 *   snapshot started longer ago than the schedule's period (the gap between its next two fire
 *   times), a run starts at once.
 * - A failed run is logged with its reason and exit code; the scheduler goes on.
 * - A tick on a day whose snapshot is already published (a catch-up ran earlier that day) is
 *   skipped instead of failing on the existing snapshot.
 * - Abort: scheduling stops, a running crawl stops at its next page boundary (its checkpoint
 *   intact, resumed by the next run), the lock is released, and the promise resolves with the
 *   summary.
 *
 * Throws UsageError (exit 2) for an invalid expression or time zone, before anything runs.
 */
export async function schedule(config: Config, opts: ScheduleOptions, deps: ScheduleDeps): Promise<ScheduleSummary> {
  validateSchedule(opts);
  const { logger, clock } = deps;
  const signal = deps.signal ?? new AbortController().signal;
  const runOnce = deps.runOnce ?? ((s: AbortSignal) => runPipeline(config, { logger, clock, signal: s }));
  const summary: ScheduleSummary = { runs: 0, succeeded: 0, failed: 0, stopped: 0, skipped: 0 };
  if (signal.aborted) return summary;

  let current: Promise<void> | null = null;
  const task = cron.createTask(opts.cron, () => start('tick'), { timezone: opts.tz, name: 'hubtrends-run', logger: cronLogger(logger) });
  task.on('execution:missed', (ctx) => logger.warn({ at: ctx.date.toISOString() }, 'a tick was missed (the process was busy or suspended)'));

  const next = (): string | null => task.getNextRun()?.toISOString() ?? null;

  const runOne = async (reason: 'catch-up' | 'tick'): Promise<void> => {
    const run = ++summary.runs;
    const t0 = clock.now().getTime();
    const seconds = (): number => (clock.now().getTime() - t0) / 1000;
    logger.info({ run, reason }, 'scheduled run started');
    try {
      const result = await runOnce(signal);
      summary.succeeded++;
      logger.info({ run, reason, seconds: seconds(), ...figures(result) }, 'scheduled run finished');
    } catch (err) {
      if (signal.aborted) {
        summary.stopped++;
        logger.info({ run, reason, seconds: seconds() }, 'scheduled run stopped by a signal; an unfinished crawl resumes from its checkpoint at the next run');
      } else if (err instanceof LockedError) {
        summary.runs--;
        summary.skipped++;
        logger.warn({ run, reason, holder: err.message }, 'run skipped: another process holds the warehouse lock');
      } else {
        summary.failed++;
        logger.error({ run, reason, seconds: seconds(), exitCode: exitCodeOf(err), err }, 'scheduled run failed; the scheduler goes on and the next tick tries again');
      }
    }
    if (!signal.aborted) logger.info({ next: next() }, 'waiting for the next tick');
  };

  function start(reason: 'catch-up' | 'tick'): void {
    if (signal.aborted) return;
    if (current) {
      summary.skipped++;
      logger.info({ reason }, 'tick skipped: the previous run is still going');
      return;
    }
    if (reason === 'tick') {
      const today = isoDate(clock.now());
      if (publishedSnapshots(config.warehouse).includes(today) && !hasInterruptedCrawl(config.warehouse)) {
        summary.skipped++;
        logger.info({ snapshot: today }, "tick skipped: the lake already holds today's snapshot");
        return;
      }
    }
    current = runOne(reason).finally(() => {
      current = null;
    });
  }

  let periodMs: number;
  let catchUp: ReturnType<typeof catchUpDecision>;
  try {
    periodMs = periodOf(task, opts);
    catchUp = catchUpDecision(config.warehouse, periodMs, clock.now());
  } catch (err) {
    await task.destroy();
    throw err;
  }
  logger.info({ cron: opts.cron, tz: opts.tz, next: next(), periodHours: periodMs / 3_600_000, catchUp }, 'scheduler started');
  await task.start();
  if (catchUp.due) start('catch-up');

  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await task.destroy();
  if (current) {
    logger.info('stopping: waiting for the running run to stop at a page boundary');
    await current;
  }
  logger.info({ ...summary }, 'scheduler stopped');
  return summary;
}
