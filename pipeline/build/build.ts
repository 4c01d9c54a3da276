import { existsSync, readFileSync, rmSync } from 'node:fs';
import { publishedSnapshots } from '../storage/publishedSnapshots.js';
import { importedSeries } from '../storage/importedSeries.js';
import { join } from 'node:path';
import { Database, sqlLiteral } from '../duckdb.js';
import { UsageError } from '../errors.js';
import { DEFAULT_MEMORY } from '../config.js';
import type { Logger } from '../log.js';
import type { Clock } from '../clock.js';
import { snapshotDir, sqlDir, warehousePaths } from '../paths.js';
import { VERSION } from '../version.js';
import { resolveRegistry } from './registry.js';
import { comparisonInputs } from './comparisonInputs.js';
import { fillTemplate, listSqlSteps, type SqlStep } from './sqlFiles.js';
import { sha256Text } from '../storage/sha256.js';
import { publishBuildFolder, startBuildFolder } from './buildFolder.js';
import { completeManifests } from './completeManifests.js';
import { pausePoint } from './pausePoint.js';
import type { StepProgress } from '../StepProgress.js';
import { globLiteral } from '../globLiteral.js';
import { PeriodFiles } from './periodFiles.js';

export interface BuildOptions {
  /** Recompute everything instead of keeping what earlier builds computed. */
  readonly full: boolean;
  /** DuckDB's memory budget, e.g. `2GiB`; it spills to `<warehouse>/.build/tmp/` beyond it. Default {@link DEFAULT_MEMORY}. */
  readonly memory?: string;
}

export interface BuildResult {
  readonly snapshots: number;
  readonly periodsComputed: number;
  /** Models whose per-model rows (origin, lineage, families) were computed again: all of them after a registry edit or when the catalog was rebuilt. */
  readonly modelsRecomputed: number;
  readonly seconds: number;
  readonly registryShipped: boolean;
}

/**
 * Run the text of one step. At log level `trace` each statement runs and is timed on its own
 * (`build statement`), to find which one of a file the time goes to before profiling it.
 */
async function runText(db: Database, text: string, name: string, logger: Logger, clock: Clock): Promise<void> {
  if (!logger.isLevelEnabled('trace')) return db.run(text);
  for (const [i, stmt] of text.split(/;\s*\n/).entries()) {
    const sql = stmt.replace(/--.*$/gm, '').trim();
    if (!sql) continue;
    const t = clock.now().getTime();
    await db.run(stmt);
    logger.trace({ step: name, statement: i + 1, sql: sql.replace(/\s+/g, ' ').slice(0, 100), ms: clock.now().getTime() - t }, 'build statement');
  }
}

/** Run one file of `sql/` (once per row of its foreach query, if any); returns the runs. */
async function runStep(db: Database, step: SqlStep, params: Readonly<Record<string, string | readonly string[]>>, logger: Logger, clock: Clock): Promise<number> {
  const t = clock.now().getTime();
  try {
    let runs = 1;
    if (step.foreach) {
      const rows = await db.rows(fillTemplate(step.foreach, params, step.name));
      for (const row of rows) {
        // Each column is a variable, and a placeholder too: a path COPY writes to must be a literal.
        const values: Record<string, string | readonly string[]> = {};
        for (const [k, v] of Object.entries(row)) {
          await db.setVariable(k, v === null ? null : Array.isArray(v) ? v.map(String) : String(v));
          if (v !== null) values[k] = Array.isArray(v) ? v.map(String) : String(v);
        }
        await runText(db, fillTemplate(step.text, { ...params, ...values }, step.name), step.name, logger, clock);
      }
      runs = rows.length;
    } else {
      await runText(db, fillTemplate(step.text, params, step.name), step.name, logger, clock);
    }
    logger.debug({ step: step.name, runs, ms: clock.now().getTime() - t }, 'build step');
    return runs;
  } catch (err) {
    throw new Error(`sql/${step.name}: ${(err as Error).message}`, { cause: err });
  }
}


/** The methodology fingerprint recorded by the last build, or null for a new warehouse. */
async function previousMethodology(db: Database): Promise<string | null> {
  const [exists] = await db.rows<{ n: string }>("SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'build_info' AND NOT temporary");
  if (!exists || Number(exists.n) === 0) return null;
  const [row] = await db.rows<{ m: string | null }>("SELECT info->>'methodology' AS m FROM build_info");
  return row?.m ?? '';
}

/** Tables an incremental build keeps from the last one; `--full` drops them. */
const PERSISTED: readonly string[] = [
  'model_catalog',
  'model_catalog_stored',
  'model_edges',
  'model_inputs_state',
  'model_origin',
  'model_lineage',
  'model_family',
  'periods',
  'period_downloads',
  'period_files',
  'period_flags',
  'build_state',
  'attribution_state',
  'attribution_classes',
  'attribution_terms',
  'period_measures',
  'snapshot_measures',
  'series_downloads',
  'window_measures',
  'window_running',
  'origin_shares',
  'family_shares',
  'concentration',
  'unattributed_breakdown',
  'unattributed_inputs',
  'scope_snapshot_measures',
  'scope_snapshot_done',
  'scope_period_downloads',
  'scope_period_done',
];


/** Drop the kept tables; a name an older build made a table and this one a view (or back) goes too. */
async function dropPersisted(db: Database): Promise<void> {
  const rows = await db.rows<{ name: string; type: string }>(
    "SELECT table_name AS name, 'TABLE' AS type FROM duckdb_tables() WHERE NOT temporary UNION ALL SELECT view_name, 'VIEW' FROM duckdb_views() WHERE NOT temporary AND NOT internal",
  );
  for (const { name, type } of rows) if (PERSISTED.includes(name)) await db.run(`DROP ${type} ${name}`);
}

/**
 * Build the warehouse (DESIGN §7): run `sql/*.sql` in file-name order over the lake and the
 * registry into a copy of the database in `<warehouse>/.build/`, then publish it by renaming it
 * over `hubtrends.duckdb`. Readers keep the last complete build until the rename; a build that
 * fails or is killed leaves it untouched, and the next build starts its copy again.
 */
export async function build(warehouse: string, opts: BuildOptions, deps: { logger: Logger; clock: Clock; onStep?: StepProgress }): Promise<BuildResult> {
  const { logger, clock } = deps;
  const t0 = clock.now().getTime();
  const paths = warehousePaths(warehouse);
  const snaps = publishedSnapshots(warehouse);
  if (snaps.length === 0) {
    throw new UsageError(`the lake ${paths.snapshots} holds no snapshot yet; run "hubtrends collect" or "hubtrends import" first`);
  }
  const work = startBuildFolder(paths, opts.full);
  const periodFiles = new PeriodFiles(paths.periodDownloads);
  let periodsComputed = 0;
  let modelsRecomputed = 0;
  let keep: string[] = [];
  let full = opts.full;
  let copyWaitMs = 0;
  const memory = opts.memory ?? DEFAULT_MEMORY;
  let registryShipped = false;
  try {
    const registry = resolveRegistry(paths.registry);
    registryShipped = registry.shipped;
    if (registry.shipped) logger.info({ registry: registry.dir }, 'the warehouse has no registry of its own; using the one shipped with hubtrends');
    const comparison = comparisonInputs(registry.dir);
    const series = importedSeries(paths);
    const params = {
      lake_glob: join(globLiteral(paths.snapshots), 'snapshot=*', 'models.parquet'),
      snapshots_glob_dir: globLiteral(paths.snapshots),
      manifest_glob: join(globLiteral(paths.snapshots), 'snapshot=*', 'manifest.json'),
      manifests: globLiteral(work.file('manifests.ndjson')),
      registry_orgs: globLiteral(join(registry.dir, 'orgs.csv')),
      registry_aliases: globLiteral(join(registry.dir, 'aliases.csv')),
      registry_families: globLiteral(join(registry.dir, 'families.csv')),
      series_names: series.map((x) => x.series),
      series_sha256: series.map((x) => x.sha256),
      series_files: series.map((x) => globLiteral(x.file)),
      namespace_files: snaps.map((d) => join(snapshotDir(paths, d), 'namespaces.parquet')).filter((f) => existsSync(f)).map(globLiteral),
      period_dir: paths.periodDownloads,
      period_glob_dir: globLiteral(paths.periodDownloads),
      period_files: periodFiles.published(),
      build_id: periodFiles.buildId,
      ...comparison.params,
    };
    const steps = listSqlSteps(sqlDir);
    const methodology = sha256Text(JSON.stringify({ version: VERSION, sql: steps.map((s) => [s.name, s.text]) }));
    const buildInto = async (db: Database): Promise<void> => {
      const tm = clock.now().getTime();
      const completed = await completeManifests(db, paths, snaps, work.file('manifests.ndjson'));
      logger.debug({ ms: clock.now().getTime() - tm }, 'build manifests');
      if (completed.computed > 0) logger.info({ snapshots: completed.computed }, 'manifests without sha256 or counter sums: computed from models.parquet');
      await db.run('BEGIN TRANSACTION');
      try {
        if (full) await dropPersisted(db);
        await db.run('CREATE TABLE IF NOT EXISTS build_state (snapshot DATE, sha256 VARCHAR)');
        for (const [i, step] of steps.entries()) {
          deps.onStep?.(step.name, i + 1, steps.length);
          const runs = await runStep(db, step, params, logger, clock);
          if (step.name === '071_period_downloads_fill.sql') periodsComputed += runs;
          if (step.name === '049_model_redo.sql') {
            const [m] = await db.rows<{ n: string }>("SELECT CASE WHEN getvariable('model_everything') THEN (SELECT count(*) FROM model_catalog) ELSE (SELECT count(*) FROM model_redo) END AS n");
            modelsRecomputed = Number(m!.n);
          }
          await pausePoint(`after:${step.name}`);
        }
        await db.run('DELETE FROM build_state');
        await db.run('INSERT INTO build_state SELECT snapshot, sha256 FROM snapshots');
        const [limits] = await db.rows<{ memory_limit: string }>("SELECT current_setting('memory_limit') AS memory_limit");
        const info = {
          version: VERSION,
          memory_limit: limits!.memory_limit,
          registry_dir: registry.dir,
          registry_shipped: registry.shipped,
          registry_sha256: Object.fromEntries(registry.files.map((f) => [f.slice(registry.dir.length + 1), sha256Text(readFileSync(f))])),
          // The published figures, scopes and study registries read (registry-relative name → sha256).
          comparison_sha256: Object.fromEntries(comparison.files.map((f) => [f.slice(registry.dir.length + 1), sha256Text(readFileSync(f))])),
          sql_sha256: Object.fromEntries(steps.map((s) => [s.name, sha256Text(s.text)])),
          methodology,
        };
        await db.run(`CREATE OR REPLACE TABLE build_info AS SELECT ${sqlLiteral(JSON.stringify(info))}::JSON AS info`);
        keep = (await db.rows<{ file: string }>('SELECT file FROM period_files')).map((r) => r.file);
        // A week appends a few rows to each kept table, each append a new row group. DuckDB's
        // checkpoint merges the last, partly filled row groups whenever that saves one, and so
        // rewrote about 450,000 rows of window_measures and snapshot_measures every week (0.45 s
        // of a 0.6 s checkpoint at Hub scale). An incremental build turns that off: each week's
        // rows keep their own row groups, the small tables are rewritten whole instead (180), and
        // `build --full` writes every table compactly again.
        if (!full) await db.run('SET max_vacuum_tasks = 0');
        const tc = clock.now().getTime();
        await db.run('COMMIT');
        logger.debug({ ms: clock.now().getTime() - tc }, 'build commit');
      } catch (err) {
        await db.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
      const tk = clock.now().getTime();
      await db.run('CHECKPOINT');
      logger.debug({ ms: clock.now().getTime() - tk }, 'build checkpoint');
    };
    const open = { tempDirectory: work.spill, memoryLimit: memory };
    const tc = clock.now().getTime();
    await work.copied;
    copyWaitMs = clock.now().getTime() - tc;
    // Kept results are only valid for the SQL that computed them: new SQL means a full build,
    // started from an empty database as --full is, so that both are the same build. The check
    // runs on the connection the build then uses (opening the database twice cost 0.1-0.2 s).
    const current = await Database.with(work.database, open, async (db) => {
      const previous = full ? null : await previousMethodology(db);
      if (previous !== null && previous !== methodology) return false;
      await buildInto(db);
      return true;
    });
    if (!current) {
      logger.info('the build SQL or the version changed since the last build; recomputing everything');
      rmSync(work.database);
      rmSync(`${work.database}.wal`, { force: true });
      full = true;
      await Database.with(work.database, open, buildInto);
    }
    await work.copyFlushed;
  } catch (err) {
    // The published database is untouched; only the unfinished copy and this build's files go.
    await Promise.allSettled([work.copied, work.copyFlushed]);
    rmSync(work.dir, { recursive: true, force: true });
    periodFiles.removeWritten();
    throw err;
  }
  await pausePoint('before-publish');
  const tp = clock.now().getTime();
  publishBuildFolder(work, paths);
  periodFiles.removeAllBut(keep);
  const seconds = (clock.now().getTime() - t0) / 1000;
  logger.info({ snapshots: snaps.length, periodsComputed, modelsRecomputed, seconds, copyWaitMs, publishMs: clock.now().getTime() - tp, full, memory }, 'build finished');
  return { snapshots: snaps.length, periodsComputed, modelsRecomputed, seconds, registryShipped };
}
