#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from './config.js';
import { createLogger, createTerminalLogger, LOG_LEVELS, type Logger } from './log.js';
import { systemClock, type Clock } from './clock.js';
import { exitCodeOf, InterruptedError, UsageError } from './errors.js';
import { VERSION } from './version.js';
import { TtyProgress } from './collect/TtyProgress.js';
import { StatusLine } from './terminal/StatusLine.js';
import { stepLine } from './terminal/stepLine.js';
import { ttyDemoProgress } from './demo/ttyDemoProgress.js';
import { stopOnSignals } from './schedule/signals.js';
import { QUERY_FORMATS, type QueryFormat } from './query/formats.js';
import { DEMO_DEFAULTS } from './demo/defaults.js';
import { resolve } from 'node:path';

// Stages are imported when their command runs: the collector must not carry the chart
// renderer's memory, and `--help` should answer at once.
const stages = {
  collect: () => import('./collect/collect.js'),
  import: () => import('./import/importFiles.js'),
  importTimeseries: () => import('./import/importTimeseries.js'),
  build: () => import('./build/build.js'),
  report: () => import('./report/report.js'),
  verify: () => import('./report/verify.js'),
  demo: () => import('./demo/demo.js'),
  run: () => import('./schedule/runPipeline.js'),
  schedule: () => import('./schedule/schedule.js'),
  localhub: () => import('./localhub/startLocalHub.js'),
  query: () => import('./query/query.js'),
  queryOutput: () => import('./query/queryOutput.js'),
  csv: () => import('./report/csv.js'),
  registry: () => import('./registry/commands.js'),
  compare: () => import('./compare/compare.js'),
};

import { WarehouseLock } from './storage/WarehouseLock.js';
import { snapshotDir, warehousePaths } from './paths.js';
import { publishedSnapshots } from './storage/publishedSnapshots.js';
import { readManifest } from './storage/manifest.js';

/** What the CLI writes to and reads from; tests pass their own. */
export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly clock: Clock;
  /** Set by tests to capture logs; otherwise pino to stderr. */
  readonly logger?: Logger;
}

interface GlobalFlags {
  warehouse?: string;
  reports?: string;
  logLevel?: string;
  logJson?: boolean;
}

function intArg(name: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v)) throw new UsageError(`${name}: expected a whole number, got ${JSON.stringify(v)}`);
    return Number(v);
  };
}

function addGlobals(cmd: Command): Command {
  return cmd
    .option('--warehouse <dir>', 'warehouse folder (default ./warehouse, env HUBTRENDS_WAREHOUSE)')
    .option('--reports <dir>', 'reports folder (default ./reports)')
    .addOption(new Option('--log-level <level>', 'log level').choices([...LOG_LEVELS]))
    .option('--log-json', 'log JSON lines even on a terminal (and draw no progress line)');
}

/** Run the CLI; returns the exit code (DESIGN §9). The one place errors become exit codes. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let logger: Logger | undefined = io.logger;
  // On a terminal: single-line logs above one live progress line. Otherwise (or with
  // --log-json) JSON lines and no progress, for schedulers and log collectors.
  let terminal: StatusLine | undefined;
  const write = (s: string): void => {
    terminal?.clear();
    io.stdout.write(s);
  };
  const program = new Command('hubtrends')
    .description('Download-trend analytics for the Hugging Face Hub: where the downloaded models come from.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  addGlobals(program);

  const setup = (cmd: Command, extra: Partial<Record<keyof Config, string | number | undefined>> = {}): { config: Config; logger: Logger } => {
    const g = cmd.optsWithGlobals<GlobalFlags>();
    const config = loadConfig({ flags: { warehouse: g.warehouse, reports: g.reports, logLevel: g.logLevel, ...extra }, env: io.env, cwd: io.cwd });
    if (io.stderr.isTTY === true && !g.logJson) terminal ??= new StatusLine(io.stderr);
    logger ??= terminal ? createTerminalLogger(config.logLevel, terminal, { color: !('NO_COLOR' in io.env) }) : createLogger(config.logLevel);
    return { config, logger };
  };
  const withLock = async <T>(config: Config, command: string, log: Logger, fn: () => Promise<T>): Promise<T> => {
    const lock = WarehouseLock.acquire(warehousePaths(config.warehouse).lock, command, log, io.clock);
    try {
      return await fn();
    } finally {
      lock.release();
    }
  };

  /** Run long work so that SIGINT/SIGTERM stops it at a safe point (exit 130, resumable). */
  const interruptible = async <T>(log: Logger, what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const stop = stopOnSignals(log);
    try {
      return await fn(stop.signal);
    } catch (err) {
      if (stop.signal.aborted) throw new InterruptedError(`${what} stopped by a signal; run the same command again to resume`);
      throw err;
    } finally {
      stop.dispose();
    }
  };

  addGlobals(
    program
      .command('collect')
      .description('snapshot the download counters of every public model into the lake')
      .option('--hub <url>', 'hub to crawl (default https://huggingface.co, env HUBTRENDS_HUB_URL)')
      .option('--snapshot <date>', 'snapshot date YYYY-MM-DD (default: today, UTC)')
      .option('--min-downloads <n>', 'partial crawl: models with at least N downloads in 30 days', intArg('--min-downloads'))
      .option('--page-size <n>', 'models per page, at most 1000', intArg('--page-size'))
      .option('--replace', 'replace a snapshot of the same date', false)
      .option('--fresh', 'discard a staged, unfinished crawl instead of resuming it', false)
      .option('--allow-date', 'accept a snapshot date before 2019 or after tomorrow', false)
      .option('--lookups <n>', 'look up the kind of the N most downloaded unmapped namespaces (default 2000; 0: none)', intArg('--lookups'))
      .addHelpText('after', '\nExample:\n  HF_TOKEN=hf_… hubtrends collect --snapshot 2026-11-30'),
  ).action(async (o: { hub?: string; snapshot?: string; minDownloads?: number; pageSize?: number; replace: boolean; fresh: boolean; allowDate: boolean; lookups?: number }, cmd: Command) => {
    const { config, logger: log } = setup(cmd, { hubUrl: o.hub, pageSize: o.pageSize });
    const expected = expectedRows(config.warehouse);
    const progress = terminal ? new TtyProgress(terminal, expected, io.clock) : undefined;
    const result = await interruptible(log, 'collect', (signal) =>
      withLock(config, 'collect', log, async () => {
        const stage = await stages.collect();
        return stage.collect(
          config,
          { snapshot: o.snapshot, minDownloads: o.minDownloads, replace: o.replace, fresh: o.fresh, allowDate: o.allowDate, lookups: o.lookups ?? stage.DEFAULT_NAMESPACE_LOOKUPS },
          { logger: log, clock: io.clock, progress, signal },
        );
      }),
    );
    write(`snapshot ${result.manifest.snapshot}: ${result.manifest.rows} models\n`);
  });

  addGlobals(
    program
      .command('import')
      .description('backfill the lake from published snapshot files (one snapshot per date, staged and published atomically)')
      .argument('<files...>', 'files or folders (read recursively, in name order)')
      .addOption(new Option('--format <format>', 'input format').choices(['api-jsonl', 'hub-stats', 'tracker-csv', 'timeseries']).makeOptionMandatory())
      .option('--snapshot <date>', 'snapshot date YYYY-MM-DD when the files do not say')
      .option('--series <name>', 'timeseries only: the name of the series in the lake (default: the first file\'s name)')
      .option('--map <spec>', 'column names, e.g. id=model_url,downloads=dl,downloads_all_time=total,date=day,author=org (timeseries: id, period_start, period_end, downloads)')
      .option('--replace', 'replace snapshots of the same dates', false)
      .option('--allow-date', 'accept snapshot dates before 2019 or after tomorrow', false)
      .addHelpText('after', '\nExamples:\n  hubtrends import dumps/models-2022-02-21.jsonl --format api-jsonl --snapshot 2022-02-21\n  hubtrends import tracker/ --format tracker-csv --map id=model_url\n  hubtrends import weekly_downloads.csv --format timeseries --series study-2025'),
  ).action(async (files: string[], o: { format: 'api-jsonl' | 'hub-stats' | 'tracker-csv' | 'timeseries'; snapshot?: string; series?: string; map?: string; replace: boolean; allowDate: boolean }, cmd: Command) => {
    const { config, logger: log } = setup(cmd);
    const paths = files.map((f) => resolve(io.cwd, f));
    if (o.format === 'timeseries') {
      if (o.snapshot !== undefined) throw new UsageError('--snapshot: a timeseries carries its own periods; name the series with --series');
      const m = await withLock(config, 'import', log, async () =>
        (await stages.importTimeseries()).importTimeseries(config, { files: paths, series: o.series, map: o.map, replace: o.replace }, { logger: log, clock: io.clock }),
      );
      write(`series ${m.series}: ${m.rows} rows, ${m.periods} periods (${m.first_period_start} to ${m.last_period_end})\n`);
      return;
    }
    if (o.series !== undefined) throw new UsageError('--series: only timeseries imports are named series');
    const format = o.format;
    const manifests = await interruptible(log, 'import', (signal) =>
      withLock(config, 'import', log, async () =>
        (await stages.import()).importFiles(
          config,
          { files: paths, format, snapshot: o.snapshot, map: o.map, replace: o.replace, allowDate: o.allowDate },
          { logger: log, clock: io.clock, signal },
        ),
      ),
    );
    for (const m of manifests) write(`snapshot ${m.snapshot}: ${m.rows} models\n`);
  });

  addGlobals(
    program
      .command('build')
      .description('build the DuckDB warehouse from the lake and the registry')
      .option('--full', 'recompute everything instead of only what is new', false)
      .option('--memory <size>', 'memory budget, spilling to <warehouse>/.build/tmp beyond it (default 2GiB, env HUBTRENDS_MEMORY)')
      .addHelpText('after', '\nExample:\n  hubtrends build --full'),
  ).action(async (o: { full: boolean; memory?: string }, cmd: Command) => {
    const { config, logger: log } = setup(cmd, { memory: o.memory });
    (await import('./build/requireWarehouseFolder.js')).requireWarehouseFolder(config.warehouse);
    const r = await withLock(config, 'build', log, async () => (await stages.build()).build(config.warehouse, { full: o.full, memory: config.memory }, { logger: log, clock: io.clock, onStep: terminal && stepLine(terminal, 'build: SQL file') }));
    write(`warehouse ${warehousePaths(config.warehouse).database}: ${r.snapshots} snapshots, ${r.periodsComputed} periods computed, attribution of ${r.modelsRecomputed} models computed\n`);
  });

  addGlobals(
    program
      .command('report')
      .description('write the Markdown, CSV and SVG report of one date')
      .option('--as-of <date>', 'snapshot date of the report (default: the newest)')
      .option('--out <dir>', 'write into this folder (default <reports>/<as-of>/, or <reports>/demo/<as-of>/ for synthetic data)')
      .addHelpText('after', '\nExample:\n  hubtrends report --as-of 2026-11-30'),
  ).action(async (o: { asOf?: string; out?: string }, cmd: Command) => {
    const { config, logger: log } = setup(cmd);
    const r = await (await stages.report()).report(config.warehouse, config.reports, { asOf: o.asOf, out: o.out === undefined ? undefined : resolve(io.cwd, o.out) }, { logger: log, clock: io.clock, onStep: terminal && stepLine(terminal, 'report: step') });
    write(`${r.synthetic ? 'SYNTHETIC DATA — ' : ''}${r.headline}\n${r.dir}/report.md\n`);
  });

  addGlobals(
    program
      .command('run')
      .description('collect, build and report, holding the warehouse lock throughout')
      .option('--hub <url>', 'hub to crawl')
      .addHelpText('after', '\nExample:\n  HF_TOKEN=hf_… npx hubtrends run'),
  ).action(async (o: { hub?: string }, cmd: Command) => {
    const { config, logger: log } = setup(cmd, { hubUrl: o.hub });
    const progress = terminal && {
      progress: new TtyProgress(terminal, expectedRows(config.warehouse), io.clock, 'run: collect'),
      steps: { build: stepLine(terminal, 'run: build: SQL file'), report: stepLine(terminal, 'run: report: step') },
    };
    const r = await interruptible(log, 'run', async (signal) => (await stages.run()).runPipeline(config, { logger: log, clock: io.clock, signal, ...progress }));
    write(`${r.synthetic ? 'SYNTHETIC DATA — ' : ''}${r.headline}\n${r.dir}/report.md\n`);
  });

  addGlobals(
    program
      .command('schedule')
      .description('run collect, build and report on a cron schedule, catching up a missed run at start-up')
      .option('--cron <expr>', 'cron expression (default "0 6 * * 1", Mondays 06:00)')
      .option('--tz <zone>', 'time zone of the expression (default UTC)')
      .addHelpText('after', '\nExample:\n  hubtrends schedule --cron "0 6 * * 1" --tz UTC\n\nA signal stops a running crawl at a page boundary, releases the lock and exits 0; a second signal exits at once.'),
  ).action(async (o: { cron?: string; tz?: string }, cmd: Command) => {
    const { config, logger: log } = setup(cmd, { cron: o.cron, tz: o.tz });
    const stop = stopOnSignals(log);
    try {
      const s = await (await stages.schedule()).schedule(config, { cron: config.cron, tz: config.tz }, { logger: log, clock: io.clock, signal: stop.signal });
      write(`scheduler stopped: ${s.runs} runs, ${s.failed} failed, ${s.skipped} ticks skipped\n`);
    } finally {
      stop.dispose();
    }
  });

  addGlobals(
    program
      .command('verify')
      .description('re-derive a report from the inputs in its manifest and compare every file (exit 5 when they differ)')
      .argument('<report-dir>', 'a report folder, e.g. reports/2026-11-30')
      .addHelpText('after', '\nExample:\n  hubtrends verify reports/2026-11-30'),
  ).action(async (dir: string, _o: unknown, cmd: Command) => {
    const { logger: log } = setup(cmd);
    const g = cmd.optsWithGlobals<GlobalFlags>();
    const r = await (await stages.verify()).verify(dir, { logger: log, clock: io.clock }, { warehouse: g.warehouse });
    write(`${r.dir}: identical to its re-derivation (${r.files} files, ${r.snapshots} snapshots)\n`);
  });

  addGlobals(
    program
      .command('query')
      .description('run one read-only SQL statement against the warehouse')
      .argument('<sql>', 'the SQL statement')
      .addOption(new Option('--format <format>', 'output format').choices([...QUERY_FORMATS]).default('table'))
      .option('--timeout <seconds>', 'stop the statement after this many seconds, 0 for no limit (default 300)', intArg('--timeout'))
      .option('--out <file>', 'write the result to FILE instead of stdout (required for parquet; not inside the warehouse)')
      .option('--replace', 'overwrite the file of --out', false)
      .addHelpText('after', `\nExamples:\n  hubtrends query "SELECT * FROM origin_shares WHERE metric = 'trailing' AND mode = 'uploader' ORDER BY window_end DESC, share DESC LIMIT 10"\n  hubtrends query "SELECT * FROM origin_shares" --format arrow | python -c "import sys, pyarrow as pa; print(pa.ipc.open_stream(sys.stdin.buffer).read_pandas())"\n  hubtrends query "SELECT * FROM origin_shares" --format parquet --out origin_shares.parquet`),
  ).action(async (sql: string, o: { format: QueryFormat; timeout?: number; out?: string; replace: boolean }, cmd: Command) => {
    const { config } = setup(cmd);
    const { runQuery, terminalSafeResult } = await stages.query();
    const output = await stages.queryOutput();
    const options = { format: o.format, out: o.out === undefined ? undefined : resolve(io.cwd, o.out), replace: o.replace, warehouse: config.warehouse };
    output.checkQueryOutput(options, io.stdout);
    const result = await runQuery(config.warehouse, sql, { timeoutSeconds: o.timeout });
    // Text for people is escaped; data for programs (JSON, Arrow, CSV to a file or pipe) is not.
    const forPeople = options.out === undefined && (o.format === 'table' || (o.format === 'csv' && io.stdout.isTTY));
    await output.writeQueryOutput(forPeople ? terminalSafeResult(result) : result, options, io.stdout);
  });

  addGlobals(
    program
      .command('compare')
      .description('each published figure (registry/references.csv) next to hubtrends\' own at the closest window, and what explains the difference')
      .option('--study <name>', 'only the figures of this study')
      .addOption(new Option('--format <format>', 'output format').choices([...QUERY_FORMATS]).default('table'))
      .option('--out <file>', 'write the table to FILE instead of stdout (required for parquet; not inside the warehouse)')
      .option('--replace', 'overwrite the file of --out', false)
      .addHelpText('after', '\nExample:\n  hubtrends compare --study eoi --format csv'),
  ).action(async (o: { study?: string; format: QueryFormat; out?: string; replace: boolean }, cmd: Command) => {
    const { config } = setup(cmd);
    const output = await stages.queryOutput();
    const options = { format: o.format, out: o.out === undefined ? undefined : resolve(io.cwd, o.out), replace: o.replace, warehouse: config.warehouse };
    output.checkQueryOutput(options, io.stdout);
    const result = await (await stages.compare()).compare(config.warehouse, { study: o.study });
    const forPeople = options.out === undefined && o.format === 'table';
    await output.writeQueryOutput(forPeople ? (await stages.query()).terminalSafeResult(result) : result, options, io.stdout);
  });

  addGlobals(
    program
      .command('localhub')
      .description('serve a local Hub-compatible /api/models and namespace overviews (synthetic or from a file) on 127.0.0.1')
      .option('--port <n>', 'port (default: a free one)', intArg('--port'))
      .option('--synthetic <n>', 'serve a synthetic hub of N models', intArg('--synthetic'))
      .option('--data <file>', 'serve the API objects of a JSONL or JSON file')
      .option('--as-of <date>', 'the date the hub stands at (default: now)')
      .option('--faults <spec>', 'inject faults, e.g. 500:0.1,reset:0.05,slow:200 (overview.503:0.2 for the overview endpoints)')
      .option('--quota <n>', 'requests per rate-limit window before 429', intArg('--quota'))
      .option('--window <seconds>', 'rate-limit window in seconds', intArg('--window'))
      .addHelpText('after', '\nExample:\n  hubtrends localhub --synthetic 50000 --as-of 2025-08-25 --port 8080'),
  ).action(async (o: { port?: number; synthetic?: number; data?: string; asOf?: string; faults?: string; quota?: number; window?: number }, cmd: Command) => {
    const { logger: log } = setup(cmd);
    const hub = await (await stages.localhub()).startLocalHub({ ...o, now: io.clock.now().getTime() }, log);
    write(`${hub.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await hub.stop();
  });

  addGlobals(
    program
      .command('demo')
      .description('the whole pipeline on the bundled synthetic hub, offline, in warehouse/demo and reports/demo')
      .option('--models <n>', 'models in the synthetic hub', intArg('--models'), DEMO_DEFAULTS.models)
      .option('--weeks <n>', 'weekly snapshots to collect', intArg('--weeks'), DEMO_DEFAULTS.weeks)
      .addHelpText('after', '\nExample:\n  npm run demo'),
  ).action(async (o: { models: number; weeks: number }, cmd: Command) => {
    const { config, logger: log } = setup(cmd);
    if (o.weeks < 2) throw new UsageError(`--weeks: at least 2 snapshots make a period, got ${o.weeks}`);
    const t0 = io.clock.now().getTime();
    const { demo } = await stages.demo();
    const r = await withLock({ ...config, warehouse: `${config.warehouse}/demo` }, 'demo', log, () =>
      demo(config, { ...DEMO_DEFAULTS, models: o.models, weeks: o.weeks }, { logger: log, clock: io.clock, progress: terminal && ttyDemoProgress(terminal, io.clock) }),
    );
    const secs = ((io.clock.now().getTime() - t0) / 1000).toFixed(1);
    write(`SYNTHETIC DATA — ${r.headline}\nreport: ${r.dir}/report.md\n(${secs} s)\n`);
  });

  (await stages.registry()).addRegistryCommands(program, { addGlobals, setup, write, cwd: io.cwd });

  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    terminal?.clear();
    const code = exitCodeOf(err);
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`hubtrends: ${message.split('\n')[0]}\n`);
    logger?.debug({ err }, 'failure detail');
    return code;
  }
}

/** The previous snapshot's size: the best guess of a crawl's, for its ETA. */
function expectedRows(warehouse: string): number | null {
  const last = publishedSnapshots(warehouse).at(-1);
  return last ? (readManifest(snapshotDir(warehousePaths(warehouse), last))?.rows ?? null) : null;
}

function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // `hubtrends query … | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), clock: systemClock });
  process.exitCode = code;
}
