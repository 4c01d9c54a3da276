/**
 * `npm run bench [-- --scale 0.05] [-- --weeks 52] [-- --only collect|build] [-- --keep] [-- --root DIR]`: measures every stage at Hub
 * scale (2.2 million models, a year of weekly snapshots) in a temporary folder and prints a
 * table and one JSON line per figure. A script, not a test: nothing here asserts a time.
 * `--root DIR` works in DIR and keeps it; a lake an earlier run left there (`--keep`) with the
 * same scale and weeks is measured again without being written again.
 */
import { watchRss } from './watchRss.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Database, readSql, sqlLiteral } from '../../pipeline/duckdb.js';
import { packageRoot, snapshotDir, warehousePaths } from '../../pipeline/paths.js';
import { writeBenchRegistry } from './benchRegistry.js';
import { sha256File } from '../../pipeline/storage/sha256.js';
import { fsyncPath } from '../../pipeline/storage/durable.js';
import { runQuery } from '../../pipeline/query/query.js';
import { collect } from '../../pipeline/collect/collect.js';
import { loadConfig } from '../../pipeline/config.js';
import { silentLogger } from '../../pipeline/log.js';
import { systemClock } from '../../pipeline/clock.js';

const HUB_MODELS = 2_200_000;
const cli = join(packageRoot, 'dist', 'pipeline', 'cli.js');

interface Figure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}
const figures: Figure[] = [];
function record(name: string, value: number, unit: string, note?: string): void {
  const f = { name, value: Number(value.toPrecision(4)), unit, ...(note ? { note } : {}) };
  figures.push(f);
  console.log(JSON.stringify({ bench: f.name, value: f.value, unit: f.unit, ...(note ? { note } : {}) }));
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}


async function runCli(args: string[]): Promise<{ seconds: number; peakRss: number; stdout: string }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, ...args, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TZ: 'UTC' } });
  const stop = watchRss(child);
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  const peakRss = stop();
  if (code !== 0) throw new Error(`hubtrends ${args.join(' ')} exited ${code}`);
  return { seconds: (performance.now() - t0) / 1000, peakRss, stdout };
}

async function startHub(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [cli, 'localhub', ...args, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (c) => reject(new Error(`localhub exited ${c}`)));
  });
  return { url, child };
}

function stopHub(child: ChildProcess): Promise<void> {
  return new Promise((r) => {
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
}

function du(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((s, f) => s + du(join(path, f)), 0);
}

function weekDate(w: number): string {
  return new Date(Date.parse('2025-01-06T00:00:00Z') + w * 7 * 86_400_000).toISOString().slice(0, 10);
}

/** Write week w of the synthetic lake with DuckDB (no HTTP: that is measured on its own). */
async function writeWeek(db: Database, lakeRoot: string, models: number, w: number): Promise<void> {
  const date = weekDate(w);
  const dir = snapshotDir(warehousePaths(lakeRoot), date);
  mkdirSync(dir, { recursive: true });
  await db.setVariable('models', models);
  await db.setVariable('week', w);
  await db.run(readSql('bench/synthetic_snapshot.sql'));
  const file = join(dir, 'models.parquet');
  await db.run(`COPY bench_snapshot TO ${sqlLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`);
  const [s] = await db.rows<{ rows: string; sum_downloads_30d: string; sum_downloads_all_time: string }>(
    `SELECT count(*) AS rows, sum(downloads_30d) AS sum_downloads_30d, sum(downloads_all_time) AS sum_downloads_all_time FROM read_parquet(${sqlLiteral(file)})`,
  );
  const manifest = {
    snapshot: date, source: { hub: 'bench' }, started_at: `${date}T00:00:00.000Z`, finished_at: `${date}T00:30:00.000Z`,
    rows: Number(s!.rows), pages: 0, sum_downloads_30d: Number(s!.sum_downloads_30d), sum_downloads_all_time: Number(s!.sum_downloads_all_time),
    sha256: await sha256File(file), version: 'bench', skipped: {}, duplicates_dropped: 0, min_downloads: null, sort: 'createdAt', synthetic: true,
  };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** How many times each incremental week is built, from the same state. */
const WEEK_RUNS = 3;

/**
 * Build the new week `runs` times, each from the state before it: the database and the period
 * files as they were are put back between runs. One run varies by a second or more with what
 * the machine is still writing from the build before; the median of three is steadier.
 */
async function repeatedWeek(wh: string, saved: string, runs: number): Promise<number[]> {
  const paths = warehousePaths(wh);
  copyFileSync(paths.database, saved);
  // The copies that save and restore the state are hundreds of MB of dirty pages: written out
  // before each build, so that the build's own fsync does not pay for the bench's copies.
  fsyncPath(saved);
  const files = new Set(existsSync(paths.periodDownloads) ? readdirSync(paths.periodDownloads) : []);
  const seconds: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      if (i > 0) {
        copyFileSync(saved, paths.database);
        fsyncPath(paths.database);
        for (const f of readdirSync(paths.periodDownloads)) if (!files.has(f)) rmSync(join(paths.periodDownloads, f));
      }
      seconds.push((await runCli(['build', '--warehouse', wh])).seconds);
    }
  } finally {
    rmSync(saved, { force: true });
  }
  return seconds;
}

async function main(): Promise<void> {
  const scale = Number(arg('scale', '1'));
  const weeks = Number(arg('weeks', '52'));
  const only = arg('only', 'all');
  const models = Math.round(HUB_MODELS * scale);
  const given = arg('root', '');
  const root = given ? resolve(given) : mkdtempSync(join(tmpdir(), 'hubtrends-bench-'));
  mkdirSync(root, { recursive: true });
  console.log(`# hubtrends bench: ${models} models, ${weeks} weeks, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; in ${root}`);
  try {
    // 1. collect over HTTP from the local hub (a separate process), no faults.
    if (only !== 'build') {
      const hub = await startHub(['--synthetic', String(models), '--as-of', '2030-01-01']);
      const wh = join(root, 'collect');
      const r = await runCli(['collect', '--hub', hub.url, '--snapshot', '2030-01-01', '--allow-date', '--warehouse', wh]);
      await stopHub(hub.child);
      const dir = snapshotDir(warehousePaths(wh), '2030-01-01');
      const rows = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { rows: number }).rows;
      record('collect.models_per_s', rows / r.seconds, 'models/s', `${rows} models in ${r.seconds.toFixed(1)} s`);
      record('collect.peak_rss', r.peakRss / 2 ** 20, 'MiB');
      record('collect.bytes_per_row', statSync(join(dir, 'models.parquet')).size / rows, 'B/row');
    }
    // 2. overlap: 200 pages answered after 200 ms each; the crawl alone is timed (in process,
    // from the first request to the last page written), not the publish after it.
    if (only !== 'build') {
      const pages = Math.max(10, Math.round(200 * Math.min(1, scale * 20)));
      const hub = await startHub(['--synthetic', String(pages * 1000 - 500), '--as-of', '2030-01-01', '--faults', 'slow:200']);
      const config = loadConfig({ flags: { warehouse: join(root, 'overlap'), hubUrl: hub.url, logLevel: 'silent' }, env: {}, cwd: root });
      const t0 = performance.now();
      let crawlSeconds = 0;
      const progress = { update: () => undefined, stop: () => void (crawlSeconds = (performance.now() - t0) / 1000) };
      const r = await collect(config, { snapshot: '2030-01-01', replace: false, fresh: true, allowDate: true }, { logger: silentLogger(), clock: systemClock, progress });
      await stopHub(hub.child);
      record('collect.slow_pages_ratio', crawlSeconds / (pages * 0.2), '× pages·200ms', `${r.manifest.pages} pages crawled in ${crawlSeconds.toFixed(1)} s`);
    }
    if (only === 'collect') return;
    // 3. a year of weekly snapshots written straight to the lake.
    const wh = join(root, 'warehouse');
    const lake = warehousePaths(wh);
    const spare = join(root, 'spare-weeks');
    mkdirSync(spare, { recursive: true });
    // A lake an earlier run left here: the snapshots it parked go back, and it is not written again.
    for (const d of readdirSync(spare)) renameSync(join(spare, d), snapshotDir(lake, d));
    const written = existsSync(lake.snapshots) ? readdirSync(lake.snapshots).filter((d) => d.startsWith('snapshot=')).length : 0;
    if (written > 0 && written !== weeks) throw new Error(`the lake in ${root} holds ${written} snapshots, not ${weeks}`);
    if (written === 0) {
      const t0 = performance.now();
      await Database.with(':memory:', { threads: 2 }, async (db) => {
        for (let w = 0; w < weeks; w++) await writeWeek(db, wh, models, w);
      });
      record('lake.write_seconds', (performance.now() - t0) / 1000, 's', `${weeks} snapshots`);
    }
    const park = (from: number, to: number) => {
      for (let w = from; w < to; w++) renameSync(snapshotDir(lake, weekDate(w)), join(spare, weekDate(w)));
    };
    const unpark = (from: number, to: number) => {
      for (let w = from; w < to; w++) renameSync(join(spare, weekDate(w)), snapshotDir(lake, weekDate(w)));
    };
    // 4. incremental build of one week at 13, 26 and 52 weeks of history (and more, up to --weeks).
    // 104 to 365: the slope of a year of daily snapshots (`--weeks 365`), the next scale
    const marks = [13, 26, 52, 104, 208, 365].filter((m) => m <= weeks);
    if (writeBenchRegistry(lake.registry)) console.log(`# wrote a registry for the synthetic namespaces to ${lake.registry}`);
    park(marks[0]! - 1, weeks);
    await runCli(['build', '--full', '--warehouse', wh]);
    let have = marks[0]! - 1;
    const incremental: Record<number, number> = {};
    for (const m of marks) {
      if (have < m - 1) {
        unpark(have, m - 1);
        await runCli(['build', '--warehouse', wh]);
      }
      unpark(m - 1, m);
      have = m;
      const runs = await repeatedWeek(wh, join(root, 'week-before.duckdb'), WEEK_RUNS);
      const median = [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
      incremental[m] = median;
      record(`build.incremental_${m}w`, median, 's', `one new week on ${m - 1} weeks, median of ${runs.map((x) => x.toFixed(2)).join(' / ')} s`);
    }
    if (have < weeks) unpark(have, weeks);
    // 5. full build against a bare DuckDB scan of the same Parquet.
    const full = await runCli(['build', '--full', '--warehouse', wh]);
    record('build.full', full.seconds, 's', `${weeks} snapshots`);
    record('build.full_peak_rss', full.peakRss / 2 ** 20, 'MiB');
    const scanStart = performance.now();
    await Database.with(':memory:', {}, (db) =>
      db.rows(`SELECT snapshot, count(*), sum(downloads_all_time), sum(downloads_30d), count(DISTINCT model_id) FROM read_parquet(${sqlLiteral(join(lake.snapshots, '*', 'models.parquet'))}, hive_partitioning = true) GROUP BY snapshot`),
    );
    const scan = (performance.now() - scanStart) / 1000;
    record('scan.bare', scan, 's');
    record('build.full_vs_scan', full.seconds / scan, '×');
    // The reference: the columns the build needs, read once, no hashing of ids.
    const refStart = performance.now();
    await Database.with(':memory:', {}, (db) =>
      db.rows(`SELECT snapshot, count(*), sum(downloads_all_time), sum(downloads_30d), max(model_id) FROM read_parquet(${sqlLiteral(join(lake.snapshots, '*', 'models.parquet'))}, hive_partitioning = true) GROUP BY snapshot`),
    );
    const reference = (performance.now() - refStart) / 1000;
    record('scan.reference', reference, 's', 'snapshot, model_id and both counters read once, no hashing');
    record('build.full_vs_reference', full.seconds / reference, '×');
    // What publishing costs each incremental build: one copy of the database.
    const copyStart = performance.now();
    copyFileSync(lake.database, join(root, 'copy.duckdb'), constants.COPYFILE_FICLONE);
    record('build.publish_copy', (performance.now() - copyStart) / 1000, 's', 'copy of hubtrends.duckdb made by each build');
    rmSync(join(root, 'copy.duckdb'));
    const lastInc = incremental[marks.at(-1)!];
    if (lastInc !== undefined) record('build.incremental_vs_full', lastInc / full.seconds, '×');
    // 6. report and queries.
    const rep = await runCli(['report', '--warehouse', wh, '--reports', join(root, 'reports')]);
    record('report', rep.seconds, 's');
    const queries: Record<string, string> = {
      cn_vs_us_trailing: "SELECT window_end, mode, origin, share FROM origin_shares WHERE metric = 'trailing' AND origin IN ('CN', 'US') ORDER BY window_end, mode, origin",
      top_cn_namespaces: "SELECT key, downloads FROM window_measures w JOIN registry_orgs o ON o.org = w.key WHERE subject = 'namespace' AND metric = 'all_time' AND o.country = 'CN' AND window_end = (SELECT max(snapshot) FROM snapshots) ORDER BY downloads DESC LIMIT 20",
      qwen_vs_llama: "SELECT window_end, family, downloads FROM family_shares WHERE metric = 'cumulative' AND scope = 'with_derivatives' AND family IN ('Qwen', 'Llama') ORDER BY window_end, family",
      curation_queue: 'SELECT * FROM unmapped_namespaces LIMIT 20',
    };
    for (const [name, sql] of Object.entries(queries)) {
      const t0 = performance.now();
      await runQuery(wh, sql);
      record(`query.${name}`, (performance.now() - t0) * 1, 'ms');
    }
    record('size.lake', du(lake.lake) / 2 ** 20, 'MiB');
    record('size.duckdb', du(lake.database) / 2 ** 20, 'MiB');
  } finally {
    console.log('\n| figure | value | unit | note |\n|---|---:|---|---|');
    for (const f of figures) console.log(`| ${f.name} | ${f.value} | ${f.unit} | ${f.note ?? ''} |`);
    if (!process.argv.includes('--keep') && !given) rmSync(root, { recursive: true, force: true });
  }
}

await main();
