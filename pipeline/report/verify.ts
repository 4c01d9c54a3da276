import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { HubtrendsError, UsageError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Clock } from '../clock.js';
import { seriesDir, shippedRegistryDir, snapshotDir, sqlDir, warehousePaths } from '../paths.js';
import { importedSeries } from '../storage/importedSeries.js';
import { SNAPSHOT_DATE_RE } from '../storage/SnapshotStage.js';
import { VERSION } from '../version.js';
import { sha256File, sha256Text } from '../storage/sha256.js';
import { build } from '../build/build.js';
import { listSqlSteps } from '../build/sqlFiles.js';
import { report, type ReportManifest } from './report.js';

/** Exit code of `hubtrends verify` when a report does not match its inputs or its re-derivation. */
export const VERIFY_DIFFERS_EXIT_CODE = 5;

/** One way a report and what it was made from have parted. */
export interface Difference {
  /** `input`: something the report was made from; `output`: a file of the report folder. */
  readonly kind: 'input' | 'output';
  /** The input (`snapshot 2025-08-25`, `registry orgs.csv`, `sql/050_model_origin.sql`) or the output file (`report.md`). */
  readonly name: string;
  /**
   * `missing`: gone; `changed`: other bytes; `added`: an input present now but not recorded (a new
   * SQL file); `extra`: an output the manifest lists but the re-derivation does not produce.
   */
  readonly problem: 'missing' | 'changed' | 'added' | 'extra';
  readonly detail?: string;
}

/**
 * A report differs from what it claims to be made of, or from its re-derivation. Exit 5 (DESIGN
 * §9 knows 0–4; 5 is verify's "differs"). `differences` names every input or file concerned.
 */
export class VerifyError extends HubtrendsError {
  readonly differences: readonly Difference[];
  constructor(message: string, differences: readonly Difference[]) {
    super(message, VERIFY_DIFFERS_EXIT_CODE);
    this.differences = differences;
  }
}

export interface VerifyOptions {
  /**
   * Read the inputs from this warehouse instead of the one recorded in the manifest (a report
   * and its lake copied to another machine). Default: the recorded warehouse.
   */
  readonly warehouse?: string;
}

export interface VerifyDeps {
  readonly logger: Logger;
  readonly clock: Clock;
}

export interface VerifyResult {
  readonly dir: string;
  readonly asOf: string;
  /** Output files compared, all identical. */
  readonly files: number;
  readonly snapshots: number;
}

function readReportManifest(dir: string): ReportManifest {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) throw new UsageError(`${dir}: no manifest.json; expected a report folder written by "hubtrends report"`);
  let m: Partial<ReportManifest>;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as Partial<ReportManifest>;
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const i = m.inputs;
  if (m.report !== 'hubtrends' || typeof m.as_of !== 'string' || !i || !Array.isArray(i.snapshots) || typeof m.outputs !== 'object' || m.outputs === null) {
    throw new UsageError(`${file}: not the manifest of a hubtrends report (expected "report": "hubtrends", "as_of", "inputs" and "outputs")`);
  }
  // Dates become folder names: anything but YYYY-MM-DD could point a path outside the lake.
  const dates = [m.as_of, ...(i.snapshots as { snapshot?: unknown }[]).map((s) => s.snapshot)];
  const bad = dates.find((d) => typeof d !== 'string' || !SNAPSHOT_DATE_RE.test(d));
  if (bad !== undefined) throw new UsageError(`${file}: ${JSON.stringify(bad)} is not a snapshot date YYYY-MM-DD`);
  for (const x of (i.series ?? []) as readonly { series?: unknown }[]) {
    if (typeof x.series !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(x.series)) {
      throw new UsageError(`${file}: ${JSON.stringify(x.series)} is not a series name`);
    }
  }
  for (const [name] of Object.entries(m.outputs as object)) {
    if (name.split('/').some((part) => part === '..' || part === '') || name.startsWith('/')) {
      throw new UsageError(`${file}: output ${JSON.stringify(name)} is not a path inside the report`);
    }
  }
  return m as ReportManifest;
}

/** Every file under `dir`, as `/`-separated paths relative to it. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Compare recorded sha256s (name → hash) with the files of a folder now. */
function compareFiles(label: (name: string) => string, recorded: Readonly<Record<string, string>>, dir: string, present: readonly string[]): Difference[] {
  const out: Difference[] = [];
  for (const [name, sha] of Object.entries(recorded).sort(([a], [b]) => a.localeCompare(b))) {
    const file = join(dir, name);
    if (!existsSync(file)) out.push({ kind: 'input', name: label(name), problem: 'missing', detail: file });
    else if (sha256Text(readFileSync(file)) !== sha) out.push({ kind: 'input', name: label(name), problem: 'changed', detail: file });
  }
  for (const name of present) if (!(name in recorded)) out.push({ kind: 'input', name: label(name), problem: 'added', detail: join(dir, name) });
  return out;
}

/** The inputs the manifest names, checked against the files now. */
async function checkInputs(m: ReportManifest, warehouse: string, registryDir: string): Promise<Difference[]> {
  const diffs: Difference[] = [];
  const paths = warehousePaths(warehouse);
  for (const s of m.inputs.snapshots) {
    const dir = snapshotDir(paths, s.snapshot);
    const parquet = join(dir, 'models.parquet');
    if (!existsSync(parquet)) {
      diffs.push({ kind: 'input', name: `snapshot ${s.snapshot}`, problem: 'missing', detail: parquet });
      continue;
    }
    if ((await sha256File(parquet)) !== s.sha256) diffs.push({ kind: 'input', name: `snapshot ${s.snapshot}`, problem: 'changed', detail: `${parquet}: sha256 differs from the one recorded` });
    const manifest = join(dir, 'manifest.json');
    if (!existsSync(manifest)) diffs.push({ kind: 'input', name: `snapshot ${s.snapshot} manifest.json`, problem: 'missing', detail: manifest });
    else if (s.manifest_sha256 && sha256Text(readFileSync(manifest)) !== s.manifest_sha256) {
      diffs.push({ kind: 'input', name: `snapshot ${s.snapshot} manifest.json`, problem: 'changed', detail: manifest });
    }
  }
  const seriesNow = new Map(importedSeries(paths).map((x) => [x.series, x.sha256]));
  for (const s of m.inputs.series ?? []) {
    const now = seriesNow.get(s.series);
    if (now === undefined) diffs.push({ kind: 'input', name: `series ${s.series}`, problem: 'missing', detail: seriesDir(paths, s.series) });
    else if (now !== s.sha256) diffs.push({ kind: 'input', name: `series ${s.series}`, problem: 'changed', detail: seriesDir(paths, s.series) });
  }
  const registryFiles = ['orgs.csv', 'aliases.csv', 'families.csv'].filter((f) => existsSync(join(registryDir, f)));
  diffs.push(...compareFiles((n) => `registry ${n}`, m.inputs.registry_sha256, registryDir, registryFiles));
  diffs.push(...compareFiles((n) => `sql/${n}`, m.inputs.build_sql_sha256, sqlDir, listSqlSteps(sqlDir).map((s) => s.name)));
  const reportSql = readdirSync(join(sqlDir, 'report')).filter((f) => f.endsWith('.sql')).map((f) => `report/${f}`);
  diffs.push(...compareFiles((n) => `sql/${n}`, m.inputs.report_sql_sha256, sqlDir, reportSql));
  return diffs;
}

/** Place exactly the recorded snapshots in a fresh lake: symlinks, or copies where links fail. */
function stageLake(m: ReportManifest, from: string, to: string, logger: Logger): void {
  const src = warehousePaths(from);
  const dst = warehousePaths(to);
  mkdirSync(dst.snapshots, { recursive: true });
  let copied = false;
  for (const s of m.inputs.snapshots) {
    const a = snapshotDir(src, s.snapshot);
    const b = snapshotDir(dst, s.snapshot);
    try {
      symlinkSync(a, b, 'dir');
    } catch {
      cpSync(a, b, { recursive: true });
      copied = true;
    }
  }
  for (const s of m.inputs.series ?? []) {
    const a = seriesDir(src, s.series);
    const b = seriesDir(dst, s.series);
    mkdirSync(join(dst.lake, 'series'), { recursive: true });
    try {
      symlinkSync(a, b, 'dir');
    } catch {
      cpSync(a, b, { recursive: true });
      copied = true;
    }
  }
  if (copied) logger.debug('symlinks unavailable: lake folders copied for the re-derivation');
}

function describe(d: Difference): string {
  return `${d.name} (${d.problem})`;
}

/**
 * `hubtrends verify REPORT_DIR` (DESIGN §8): check that a report is what its manifest says.
 *
 * 1. Every input named in `manifest.json` is compared with the file now: each snapshot's
 *    `models.parquet` (and `manifest.json`) in the recorded warehouse's lake, the registry files,
 *    `sql/*.sql` and `sql/report/*.sql`. Anything changed, missing or added fails here, named.
 * 2. The report is re-derived in a temporary folder: a fresh warehouse holding exactly the recorded
 *    snapshots (symlinked) and registry (copied), `build --full`, then `report` with the same as-of.
 * 3. Every output's sha256 is compared three ways: the re-derived file, the file in REPORT_DIR, and
 *    the sha256 the manifest records. Files that differ or are missing are named.
 *
 * Resolves when the report is identical to its re-derivation; throws {@link VerifyError} (exit 5)
 * naming what differs, or UsageError (exit 2) when REPORT_DIR is not a report.
 */
export async function verify(reportDir: string, deps: VerifyDeps, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const dir = resolve(reportDir);
  const m = readReportManifest(dir);
  const asOf = m.inputs.parameters?.as_of ?? m.as_of;
  const warehouse = resolve(opts.warehouse ?? m.inputs.warehouse);
  // `build` reads `<warehouse>/registry/`, else the shipped one (DESIGN §5): the same rule here,
  // so a warehouse moved since its build (its recorded registry_dir stale) is still checked right.
  const registryDir = m.inputs.registry_shipped ? shippedRegistryDir : warehousePaths(warehouse).registry;
  if (m.inputs.registry_dir && resolve(m.inputs.registry_dir) !== registryDir) {
    deps.logger.info({ recorded: m.inputs.registry_dir, checked: registryDir }, 'the registry is checked where the warehouse keeps it now');
  }
  const versionNote = m.version !== VERSION ? ` (the report was made by hubtrends ${m.version}; this is ${VERSION})` : '';

  const inputDiffs = await checkInputs(m, warehouse, registryDir);
  if (inputDiffs.length > 0) {
    for (const d of inputDiffs) deps.logger.error({ input: d.name, problem: d.problem, detail: d.detail }, 'input differs from the one the report was made from');
    throw new VerifyError(`${dir}: ${inputDiffs.length} input(s) changed since the report was made, so it cannot be re-derived: ${inputDiffs.map(describe).join(', ')}`, inputDiffs);
  }

  const tmp = mkdtempSync(join(tmpdir(), 'hubtrends-verify-'));
  try {
    const tmpWarehouse = join(tmp, 'warehouse');
    stageLake(m, warehouse, tmpWarehouse, deps.logger);
    if (!m.inputs.registry_shipped) cpSync(registryDir, warehousePaths(tmpWarehouse).registry, { recursive: true });
    const quiet = { logger: deps.logger.child({ verify: dir }), clock: deps.clock };
    await build(tmpWarehouse, { full: true }, quiet);
    const out = join(tmp, 'report');
    await report(tmpWarehouse, join(tmp, 'reports'), { asOf, out }, quiet);

    const rederived = readReportManifest(out).outputs;
    const present = listFiles(dir).filter((f) => f !== 'manifest.json');
    const names = [...new Set([...Object.keys(rederived), ...Object.keys(m.outputs)])].sort();
    const diffs: Difference[] = [];
    for (const name of names) {
      const expected = rederived[name];
      const file = join(dir, ...name.split('/'));
      if (expected === undefined) {
        diffs.push({ kind: 'output', name, problem: 'extra', detail: 'recorded in manifest.json but not produced by the re-derivation' });
      } else if (!existsSync(file)) {
        diffs.push({ kind: 'output', name, problem: 'missing', detail: file });
      } else if ((await sha256File(file)) !== expected) {
        diffs.push({ kind: 'output', name, problem: 'changed', detail: `${file} differs from its re-derivation` });
      } else if (m.outputs[name] !== expected) {
        diffs.push({ kind: 'output', name, problem: 'changed', detail: 'manifest.json records another sha256 than the file and its re-derivation have' });
      }
    }
    const unlisted = present.filter((f) => !(f in m.outputs) && !(f in rederived));
    if (unlisted.length > 0) deps.logger.warn({ files: unlisted }, 'files in the report folder that the manifest does not list (not compared)');
    if (diffs.length > 0) {
      for (const d of diffs) deps.logger.error({ file: d.name, problem: d.problem, detail: d.detail }, 'output differs from its re-derivation');
      throw new VerifyError(`${dir}: ${diffs.length} of ${names.length} output file(s) differ from the re-derivation: ${diffs.map(describe).join(', ')}${versionNote}`, diffs);
    }
    deps.logger.info({ dir, asOf, files: names.length, snapshots: m.inputs.snapshots.length }, 'report verified: identical to its re-derivation');
    return { dir, asOf, files: names.length, snapshots: m.inputs.snapshots.length };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
