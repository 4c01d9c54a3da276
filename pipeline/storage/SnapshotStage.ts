import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Database, readSql, sqlLiteral } from '../duckdb.js';
import { UsageError } from '../errors.js';
import type { ModelRow, SkipCounts } from '../hub/modelRow.js';
import type { Logger } from '../log.js';
import { VERSION } from '../version.js';
import { fsyncPath, writeFileDurable } from './durable.js';
import { manifestJson, type SnapshotManifest } from './manifest.js';
import { sha256File } from './sha256.js';
import { duplicateHashes } from './duplicateHashes.js';
import { snapshotDir, type WarehousePaths } from '../paths.js';
import { globLiteral } from '../globLiteral.js';
import { pauseAt } from '../testPause.js';

/** What a staged crawl or import has made durable so far; the unit of resume. */
export interface Checkpoint {
  format: 1;
  snapshot: string;
  /** Identifies the job, so a resume never mixes two different crawls. */
  job: Record<string, string | number | null>;
  started_at: string;
  pages: number;
  rows: number;
  skipped: SkipCounts;
  next: string | null;
  done: boolean;
  synthetic: boolean;
}

export const SNAPSHOT_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function assertSnapshotDate(date: string): void {
  const t = Date.parse(`${date}T00:00:00Z`);
  if (!SNAPSHOT_DATE_RE.test(date) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== date) {
    throw new UsageError(`--snapshot: expected a date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  }
}

/** The latest creation time a model in snapshot `date` can have: the end of the next day (UTC). */
function createdAtLimit(date: string): string {
  return `${new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)} 23:59:59.999`;
}

/** The earliest snapshot date accepted without --allow-date: the Hub's model API is younger. */
export const EARLIEST_SNAPSHOT = '2019-01-01';

/**
 * Refuse a snapshot date no real snapshot can have, before 2019 or after tomorrow (UTC, from `now`),
 * unless `allowDate`: a typo of 9999 would otherwise pin `latest.json` to it for good.
 */
export function assertSnapshotDateInRange(date: string, now: Date, allowDate: boolean): void {
  assertSnapshotDate(date);
  if (allowDate) return;
  const tomorrow = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
  if (date < EARLIEST_SNAPSHOT || date > tomorrow) {
    throw new UsageError(`snapshot date ${date} is ${date < EARLIEST_SNAPSHOT ? `before ${EARLIEST_SNAPSHOT}` : `after tomorrow (${tomorrow})`}; pass --allow-date if it is really meant`);
  }
}

/**
 * One snapshot being written under `lake/.staging/snapshot=DATE/`: page files of normalised rows
 * (NDJSON), a checkpoint made durable after each page, and at the end `models.parquet` and
 * `manifest.json`, renamed into `lake/snapshots/` as the very last step.
 */
export class SnapshotStage {
  readonly dir: string;
  private readonly pagesDir: string;
  private readonly checkpointPath: string;

  private constructor(
    private readonly paths: WarehousePaths,
    readonly checkpoint: Checkpoint,
    private readonly logger: Logger,
  ) {
    this.dir = join(paths.staging, `snapshot=${checkpoint.snapshot}`);
    this.pagesDir = join(this.dir, 'pages');
    this.checkpointPath = join(this.dir, 'checkpoint.json');
  }

  /** Staged snapshots left by earlier runs, newest first. */
  static staged(paths: WarehousePaths): Checkpoint[] {
    if (!existsSync(paths.staging)) return [];
    const out: Checkpoint[] = [];
    for (const name of readdirSync(paths.staging).sort().reverse()) {
      const file = join(paths.staging, name, 'checkpoint.json');
      if (!name.startsWith('snapshot=') || !existsSync(file)) continue;
      try {
        out.push(JSON.parse(readFileSync(file, 'utf8')) as Checkpoint);
      } catch {
        // a checkpoint is written by rename, so an unreadable one is not ours: ignore it
      }
    }
    return out;
  }

  /**
   * Open the stage of `snapshot`: resume it when a staged job with the same identity exists
   * (unless `fresh`), start it anew otherwise. Refuses a date already published unless `replace`.
   */
  static open(args: {
    paths: WarehousePaths;
    snapshot: string;
    job: Checkpoint['job'];
    startedAt: string;
    replace: boolean;
    fresh: boolean;
    logger: Logger;
    /** Accept a date before 2019 or after tomorrow (relative to startedAt). */
    allowDate?: boolean;
  }): SnapshotStage {
    const { paths, snapshot, job, logger } = args;
    assertSnapshotDateInRange(snapshot, new Date(args.startedAt), args.allowDate ?? false);
    if (existsSync(snapshotDir(paths, snapshot)) && !args.replace) {
      throw new UsageError(`snapshot ${snapshot} already exists in ${paths.snapshots}; pass --replace to replace it`);
    }
    const dir = join(paths.staging, `snapshot=${snapshot}`);
    const cpFile = join(dir, 'checkpoint.json');
    // A crash between the two renames of a --replace publish leaves the old snapshot here and
    // none in the lake: put it back before anything else touches this folder.
    const stranded = join(dir, 'replaced');
    if (existsSync(stranded) && !existsSync(snapshotDir(paths, snapshot))) {
      renameSync(stranded, snapshotDir(paths, snapshot));
      logger.warn({ snapshot }, 'restored a snapshot left aside by an interrupted --replace');
    }
    if (!args.fresh && existsSync(cpFile)) {
      const cp = JSON.parse(readFileSync(cpFile, 'utf8')) as Checkpoint;
      if (JSON.stringify(cp.job) === JSON.stringify(job)) {
        const stage = new SnapshotStage(paths, cp, logger);
        stage.dropUncheckpointedPages();
        logger.info({ snapshot, pages: cp.pages, rows: cp.rows }, 'resuming a staged snapshot from its checkpoint');
        return stage;
      }
      logger.warn({ snapshot, staged: cp.job, wanted: job }, 'discarding a staged snapshot made with other settings');
    }
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'pages'), { recursive: true });
    const cp: Checkpoint = {
      format: 1,
      snapshot,
      job,
      started_at: args.startedAt,
      pages: 0,
      rows: 0,
      skipped: {},
      next: null,
      done: false,
      synthetic: false,
    };
    const stage = new SnapshotStage(paths, cp, logger);
    stage.saveCheckpoint();
    return stage;
  }

  private pageFile(n: number): string {
    return join(this.pagesDir, `${String(n).padStart(6, '0')}.jsonl`);
  }

  /** Page files written after the last checkpoint belong to no durable state: remove them. */
  private dropUncheckpointedPages(): void {
    mkdirSync(this.pagesDir, { recursive: true });
    for (const name of readdirSync(this.pagesDir)) {
      const n = Number.parseInt(name, 10);
      if (!(n >= 1 && n <= this.checkpoint.pages && name.endsWith('.jsonl'))) rmSync(join(this.pagesDir, name), { force: true });
    }
  }

  private saveCheckpoint(): void {
    writeFileDurable(this.checkpointPath, `${JSON.stringify(this.checkpoint)}\n`);
  }

  /**
   * Append one page of rows, then advance the checkpoint: rows count only once both the page
   * file and the checkpoint that names it are on disk.
   */
  async appendPage(rows: readonly ModelRow[], skipped: SkipCounts, next: string | null): Promise<void> {
    const n = this.checkpoint.pages + 1;
    let seq = this.checkpoint.rows;
    let text = '';
    // `_s` is spliced into the JSON text: copying every row object to add it costs a third of the page.
    for (const row of rows) text += `${JSON.stringify(row).slice(0, -1)},"_s":${seq++}}\n`;
    const fh = await open(this.pageFile(n), 'w');
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    this.checkpoint.pages = n;
    this.checkpoint.rows = seq;
    for (const [reason, count] of Object.entries(skipped)) {
      this.checkpoint.skipped[reason] = (this.checkpoint.skipped[reason] ?? 0) + (count ?? 0);
    }
    this.checkpoint.next = next;
    this.saveCheckpoint();
  }

  /**
   * Take NDJSON page files written by someone else (DuckDB, for an import that never leaves SQL)
   * as the next pages, in the given order, holding `rows` rows numbered in `_s` from the current
   * row count on; then advance the checkpoint as appendPage does.
   */
  adoptPages(files: readonly string[], rows: number, skipped: SkipCounts): void {
    let n = this.checkpoint.pages;
    for (const file of files) renameSync(file, this.pageFile(++n));
    fsyncPath(this.pagesDir);
    this.checkpoint.pages = n;
    this.checkpoint.rows += rows;
    for (const [reason, count] of Object.entries(skipped)) {
      this.checkpoint.skipped[reason] = (this.checkpoint.skipped[reason] ?? 0) + (count ?? 0);
    }
    this.saveCheckpoint();
  }

  markSynthetic(): void {
    this.checkpoint.synthetic = true;
  }

  /**
   * Write `models.parquet` and `manifest.json` from the staged pages and move them into the lake.
   * Returns the manifest.
   */
  async publish(args: {
    source: SnapshotManifest['source'];
    finishedAt: string;
    minDownloads: number | null;
    sort: string | null;
    replace: boolean;
    memoryLimit?: string;
    /** Writes further files of the snapshot into its folder before the rename; returns manifest fields for them. */
    extraFiles?: (outDir: string) => Promise<Partial<SnapshotManifest>>;
  }): Promise<SnapshotManifest> {
    this.checkpoint.done = true;
    this.saveCheckpoint();
    const out = join(this.dir, 'out');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const parquet = join(out, 'models.parquet');
    const tmpDir = join(this.dir, 'duckdb-tmp');
    const impossible = { rows: 0 };
    const summary = await Database.with(':memory:', { memoryLimit: args.memoryLimit ?? '96MB', tempDirectory: tmpDir, threads: 1 }, async (db) => {
      // An empty crawl still publishes a valid, empty Parquet file with the full schema.
      if (this.checkpoint.pages === 0) await this.appendPage([], {}, null);
      // Two streaming passes over the staged pages: the id hashes out to find duplicates, then
      // the rows to Parquet without them.
      await db.setVariable('stage_glob', join(globLiteral(this.pagesDir), '*.jsonl'));
      await db.setVariable('created_at_limit', createdAtLimit(this.checkpoint.snapshot));
      await db.run(readSql('stage/staged_models.sql'));
      const dups = await duplicateHashes(db, readSql('stage/staged_id_hashes.sql'), impossible);
      await db.run(`SET VARIABLE dup_hashes = [${dups.join(', ')}]::UBIGINT[]`);
      await db.run(readSql('stage/deduplicated_models.sql'));
      await db.run(`COPY deduplicated_models TO ${sqlLiteral(parquet)} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 9, ROW_GROUP_SIZE 30720)`);
      await db.setVariable('parquet_path', globLiteral(parquet));
      const [row] = await db.rows<{ rows: string; sum_downloads_30d: string; sum_downloads_all_time: string }>(readSql('stage/parquet_summary.sql'));
      return row!;
    });
    rmSync(tmpDir, { recursive: true, force: true });
    const rows = Number(summary.rows);
    const manifest: SnapshotManifest = {
      snapshot: this.checkpoint.snapshot,
      source: args.source,
      started_at: this.checkpoint.started_at,
      finished_at: args.finishedAt,
      rows,
      pages: this.checkpoint.pages,
      sum_downloads_30d: Number(summary.sum_downloads_30d),
      sum_downloads_all_time: Number(summary.sum_downloads_all_time),
      sha256: await sha256File(parquet),
      version: VERSION,
      skipped: Object.fromEntries(Object.entries(this.checkpoint.skipped).sort(([a], [b]) => a.localeCompare(b))),
      duplicates_dropped: this.checkpoint.rows - rows,
      created_at_impossible: impossible.rows,
      min_downloads: args.minDownloads,
      sort: args.sort,
      synthetic: this.checkpoint.synthetic,
      ...(args.extraFiles ? await args.extraFiles(out) : {}),
    };
    if (impossible.rows > 0) {
      this.logger.warn({ snapshot: manifest.snapshot, rows: impossible.rows }, 'createdAt before 2016 or after the snapshot date: stored as unknown (NULL) and counted in the manifest as created_at_impossible');
    }
    writeFileDurable(join(out, 'manifest.json'), manifestJson(manifest));
    fsyncPath(out);

    mkdirSync(this.paths.snapshots, { recursive: true });
    const target = snapshotDir(this.paths, this.checkpoint.snapshot);
    if (existsSync(target)) {
      if (!args.replace) throw new UsageError(`snapshot ${this.checkpoint.snapshot} already exists; pass --replace to replace it`);
      const old = join(this.dir, 'replaced');
      rmSync(old, { recursive: true, force: true }); // left by a crash after the last publish's swap
      renameSync(target, old);
      pauseAt('replace-swap');
    }
    renameSync(out, target);
    fsyncPath(this.paths.snapshots);
    rmSync(this.dir, { recursive: true, force: true });
    this.logger.info({ snapshot: manifest.snapshot, rows, pages: manifest.pages, path: target }, 'snapshot published');
    return manifest;
  }

  /** Throw the staged work away (`--fresh`, or an import that failed). */
  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

