import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { Database } from '../duckdb.js';
import { UsageError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Clock } from '../clock.js';
import { snapshotDir, sqlDir, warehousePaths, type WarehousePaths } from '../paths.js';
import { publishedSnapshots } from '../storage/publishedSnapshots.js';
import { readManifest } from '../storage/manifest.js';
import { importedSeries } from '../storage/importedSeries.js';
import { VERSION } from '../version.js';
import { snapshotSha256 } from '../storage/snapshotSha256.js';
import { sha256Text } from '../storage/sha256.js';
import { toCsv } from './csv.js';
import { concentrationSpec, coverageSpec, familySpec, renderSvg, shareByRegionSpec, trailingYearSpec } from './charts.js';
import { curationDocument, periodNoun, reportDocument, type ReportData } from './reportDocument.js';
import { renderMarkdownDocument } from './renderMarkdown.js';
import { renderHtmlDocument } from './renderHtml.js';
import { recoverDirectory, replaceDirectory } from './replaceDirectory.js';
import { formatValue } from './format.js';
import { updateLatest } from './latest.js';
import type { StepProgress } from '../StepProgress.js';

export interface ReportOptions {
  readonly asOf?: string;
  /** Write into this folder itself; default `<reports>/<as-of>/` (`<reports>/demo/<as-of>/` for synthetic data). */
  readonly out?: string;
}

export interface ReportResult {
  readonly dir: string;
  readonly asOf: string;
  readonly headline: string;
  readonly synthetic: boolean;
  /** Whether `<reports>/latest.json` now points at this report. */
  readonly latest: boolean;
}

/** `manifest.json` of a report: what `verify` reads back. */
export interface ReportManifest {
  readonly report: 'hubtrends';
  readonly version: string;
  readonly as_of: string;
  readonly synthetic: boolean;
  /** The only field that changes between two reports of the same inputs. */
  readonly generated_at: string;
  readonly inputs: {
    /** Absolute path of the warehouse the report was made from. */
    readonly warehouse: string;
    /**
     * Every snapshot the warehouse was built from (a model's lineage comes from its newest row, so
     * later snapshots count too): the sha256 of `models.parquet` and of its `manifest.json`.
     */
    readonly snapshots: readonly { snapshot: string; sha256: string; manifest_sha256: string | null }[];
    /** Imported download series the warehouse was built from. */
    readonly series?: readonly { series: string; sha256: string }[];
    /** The registry folder the build read (the shipped one when `registry_shipped`). */
    readonly registry_dir: string | null;
    readonly registry_shipped: boolean;
    /** File name in the registry folder → sha256. */
    readonly registry_sha256: Readonly<Record<string, string>>;
    /** File name in `sql/` → sha256. */
    readonly build_sql_sha256: Readonly<Record<string, string>>;
    /** `report/<name>.sql` → sha256. */
    readonly report_sql_sha256: Readonly<Record<string, string>>;
    readonly parameters: { readonly as_of: string };
  };
  /** Versions of what rendered the outputs, for when a re-derivation differs. Not compared. */
  readonly environment: { readonly node: string; readonly duckdb: string; readonly vega: string; readonly vega_lite: string };
  /** Output file (relative, `/`-separated) → sha256. Every file of the folder but this one. */
  readonly outputs: Readonly<Record<string, string>>;
}

type Row = Record<string, unknown>;

/** Dates as `YYYY-MM-DD` strings and BIGINTs as numbers, so every output formats one way. */
function plain(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === 'bigint') out[k] = Number(v);
    else if (v instanceof Date) out[k] = formatValue(v);
    else if (Array.isArray(v)) out[k] = v.map((x) => (x instanceof Date ? formatValue(x) : x));
    else out[k] = v;
  }
  return out;
}

/** The report's queries: `sql/report/*.sql`, each one CSV of the same name. */
function reportQueries(): { name: string; sql: string }[] {
  const dir = join(sqlDir, 'report');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ name: f.slice(0, -4), sql: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * Write `reports/<as-of>/` (DESIGN §8): report.md, one CSV per table, charts/*.svg and
 * manifest.json. Everything but the manifest's generation time is a function of the warehouse
 * and the as-of date, so the same inputs give byte-identical files.
 */
export async function report(warehouse: string, reportsDir: string, opts: ReportOptions, deps: { logger: Logger; clock: Clock; onStep?: StepProgress }): Promise<ReportResult> {
  const paths = warehousePaths(warehouse);
  if (!existsSync(paths.database)) throw new UsageError(`no warehouse database at ${paths.database}; run "hubtrends build" first`);
  if (opts.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) {
    throw new UsageError(`--as-of: expected a date YYYY-MM-DD, got ${JSON.stringify(opts.asOf)}`);
  }
  const queries = reportQueries();
  // Progress: each query, then the charts, then the files.
  const steps = queries.length + 2;
  const data = await Database.with(paths.database, { readOnly: true }, async (db) => {
    const dates = (await db.rows<{ snapshot: string }>('SELECT strftime(snapshot, \'%Y-%m-%d\') AS snapshot FROM snapshots ORDER BY snapshot')).map((r) => r.snapshot);
    await assertWarehouseMatchesLake(db, paths);
    const asOf = opts.asOf ?? dates.at(-1);
    if (asOf === undefined) throw new UsageError('the warehouse holds no snapshot; run collect and build first');
    if (!dates.includes(asOf)) {
      throw new UsageError(`--as-of ${asOf}: no snapshot of that date in the warehouse (snapshots: ${dates[0]} … ${dates.at(-1)})`);
    }
    await db.setVariable('as_of', asOf);
    const tables: Record<string, { columns: string[]; rows: Row[] }> = {};
    for (const [i, q] of queries.entries()) {
      deps.onStep?.(`${q.name}.sql`, i + 1, steps);
      const t = deps.clock.now().getTime();
      const reader = await db.connection.runAndReadAll(q.sql).catch((err: Error) => {
        throw new Error(`sql/report/${q.name}.sql: ${err.message}`, { cause: err });
      });
      tables[q.name] = { columns: reader.columnNames(), rows: (reader.getRowObjectsJS() as Row[]).map(plain) };
      deps.logger.debug({ query: q.name, rows: tables[q.name]!.rows.length, ms: deps.clock.now().getTime() - t }, 'report query');
    }
    const [info] = await db.rows<{ info: string }>('SELECT info::VARCHAR AS info FROM build_info');
    const build = JSON.parse(info?.info ?? '{}') as { registry_dir?: string; registry_sha256?: Record<string, string>; sql_sha256?: Record<string, string>; registry_shipped?: boolean; version?: string };
    const [ver] = await db.rows<{ v: string }>('SELECT library_version AS v FROM pragma_version()');
    const built = await db.rows<{ snapshot: string; sha256: string }>("SELECT strftime(snapshot, '%Y-%m-%d') AS snapshot, sha256 FROM snapshots ORDER BY snapshot");
    return { asOf, tables, build, built, duckdb: ver?.v ?? 'unknown' };
  });

  const inputs = data.tables.inputs!.rows;
  const synthetic = inputs.some((r) => r.synthetic === true);
  const reportData: ReportData = { asOf: data.asOf, synthetic, tables: Object.fromEntries(Object.entries(data.tables).map(([k, v]) => [k, v.rows])), registryShipped: data.build.registry_shipped ?? false };
  const { doc, headline } = reportDocument(reportData);
  deps.onStep?.('charts', steps - 1, steps);
  const charts = await renderCharts(data.tables, synthetic);

  deps.onStep?.('files', steps, steps);
  // Synthetic reports never land beside real ones, and never move the real latest.json.
  const reportsRoot = synthetic ? join(reportsDir, 'demo') : reportsDir;
  const out = resolve(opts.out ?? join(reportsRoot, data.asOf));
  recoverDirectory(out);
  assertReplaceableOutput(out);
  const files: Record<string, string> = {
    'report.md': renderMarkdownDocument(doc),
    'report.html': renderHtmlDocument(doc, charts),
    'curation.md': renderMarkdownDocument(curationDocument(reportData)),
  };
  for (const [name, t] of Object.entries(data.tables)) files[`${name}.csv`] = toCsv(t.columns, t.rows);
  for (const [name, svg] of Object.entries(charts)) files[`charts/${name}`] = svg;

  const snapshotManifestSha = (date: string): string | null => {
    const file = join(snapshotDir(paths, date), 'manifest.json');
    return existsSync(file) ? sha256Text(readFileSync(file)) : null;
  };
  const manifest: ReportManifest = {
    report: 'hubtrends',
    version: VERSION,
    as_of: data.asOf,
    synthetic,
    generated_at: deps.clock.now().toISOString(),
    inputs: {
      warehouse: paths.root,
      snapshots: data.built.map((r) => ({ snapshot: r.snapshot, sha256: r.sha256, manifest_sha256: snapshotManifestSha(r.snapshot) })),
      series: importedSeries(paths).map((x) => ({ series: x.series, sha256: x.sha256 })),
      registry_dir: data.build.registry_dir ?? null,
      registry_shipped: data.build.registry_shipped ?? false,
      registry_sha256: data.build.registry_sha256 ?? {},
      build_sql_sha256: data.build.sql_sha256 ?? {},
      report_sql_sha256: Object.fromEntries(queries.map((q) => [`report/${q.name}.sql`, sha256Text(q.sql)])),
      parameters: { as_of: data.asOf },
    },
    environment: { node: process.version, duckdb: data.duckdb, vega: vega.version, vega_lite: vl.version },
    outputs: Object.fromEntries(Object.keys(files).sort().map((name) => [name, sha256Text(files[name]!)])),
  };
  files['manifest.json'] = `${JSON.stringify(manifest, null, 2)}\n`;
  replaceDirectory(out, (tmp) => {
    mkdirSync(join(tmp, 'charts'), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(tmp, name), text);
  });
  const latest = updateLatest(reportsRoot, out, data.asOf, synthetic, deps.logger);
  deps.logger.info({ dir: out, asOf: data.asOf, latest }, 'report written');
  return { dir: out, asOf: data.asOf, headline, synthetic, latest };
}

type Tables = Readonly<Record<string, { columns: string[]; rows: Row[] }>>;

/** Every chart of the report, by file name under `charts/`. */
async function renderCharts(tables: Tables, synthetic: boolean): Promise<Record<string, string>> {
  const label = synthetic ? ' (synthetic data)' : '';
  const rows = <T>(name: string): T[] => (tables[name]?.rows ?? []) as T[];
  const charts: Record<string, string> = {};
  const trend = rows<{ period_end: string; region: string; share: number; mode: string }>('trend');
  const trailing = rows<{ window_end: string; region: string; share: number; share_high: number; mode: string; weeks: number }>('trailing_trend');
  const noun = periodNoun(rows<{ period_start: string; period_end: string }>('trend'));
  const maxWeeks = Math.max(0, ...trailing.map((r) => r.weeks));
  const trailingNote = maxWeeks < 52 ? `At most ${maxWeeks} of 52 weeks of history per point.` : '52 weeks per point.';
  for (const mode of ['uploader', 'lineage']) {
    charts[`share_by_region_${mode}.svg`] = await renderSvg(shareByRegionSpec(`Share of each ${noun}’s downloads by model origin, ${mode} attribution${label}`, trend.filter((r) => r.mode === mode)));
    charts[`trailing_year_${mode}.svg`] = await renderSvg(
      trailingYearSpec(`Share of the trailing year’s downloads by model origin, ${mode} attribution${label}`, `${trailingNote} Band: up to the share with all unattributed downloads added.`, trailing.filter((r) => r.mode === mode)),
    );
  }
  const family = rows<{ metric: string; window_end: string; family: string; scope: string; downloads: number }>('qwen_llama_series');
  charts['qwen_vs_llama_all_time.svg'] = await renderSvg(
    familySpec(`Qwen vs Llama: all-time downloads (the Hub’s counter since each model’s creation)${label}`, 'All-time downloads', family.filter((r) => r.metric === 'all_time')),
  );
  charts['qwen_vs_llama_since_first_snapshot.svg'] = await renderSvg(
    familySpec(`Qwen vs Llama: downloads since the first snapshot${label}`, 'Downloads since the first snapshot', family.filter((r) => r.metric === 'cumulative')),
  );
  charts['concentration.svg'] = await renderSvg(
    concentrationSpec(`Concentration of each ${noun}’s downloads over uploader namespaces${label}`, rows<{ metric: string; window_end: string; hhi: number; top10_share: number }>('concentration').filter((r) => r.metric === 'period')),
  );
  charts['coverage.svg'] = await renderSvg(
    coverageSpec(`Share of each ${noun}’s downloads with a known origin${label}`, rows<{ metric: string; window_end: string; mode: string; coverage: number }>('coverage').filter((r) => r.metric === 'period')),
  );
  return charts;
}

/**
 * A report reads the warehouse's tables and, for the curation queue, the lake itself: both must
 * be of the same state, or one report would mix two. Refuse when snapshots were published,
 * replaced or removed since the last build.
 */
async function assertWarehouseMatchesLake(db: Database, paths: WarehousePaths): Promise<void> {
  const built = new Map(
    (await db.rows<{ snapshot: string; sha256: string }>("SELECT strftime(snapshot, '%Y-%m-%d') AS snapshot, sha256 FROM snapshots")).map((r) => [r.snapshot, r.sha256]),
  );
  // A manifest written by another tool may lack sha256: build computed it, so compute it here too.
  const lake = new Map<string, string>();
  for (const d of publishedSnapshots(paths.root)) lake.set(d, await snapshotSha256(paths, d, readManifest(snapshotDir(paths, d))?.sha256));
  const differ = [...new Set([...built.keys(), ...lake.keys()])].filter((d) => built.get(d) !== lake.get(d)).sort();
  if (differ.length > 0) {
    throw new UsageError(`the warehouse was built before the lake changed (snapshots ${differ.join(', ')}); run "hubtrends build" first`);
  }
}

/** `--out` may name a new or empty folder, or an earlier report, which is replaced; nothing else. */
function assertReplaceableOutput(out: string): void {
  if (!existsSync(out)) return;
  if (readdirSync(out).length === 0) return;
  const manifest = join(out, 'manifest.json');
  let isReport = false;
  try {
    isReport = (JSON.parse(readFileSync(manifest, 'utf8')) as { report?: unknown }).report === 'hubtrends';
  } catch {
    isReport = false;
  }
  if (!isReport) throw new UsageError(`--out ${out}: the folder exists, is not empty and holds no hubtrends report; name a new or empty folder`);
}
