import type { Clock } from '../clock.js';
import type { Database } from '../duckdb.js';
import { UsageError } from '../errors.js';
import { addSkip, type ModelRow, type SkipCounts } from '../hub/modelRow.js';
import { SnapshotStage, type Checkpoint } from '../storage/SnapshotStage.js';
import type { SnapshotManifest } from '../storage/manifest.js';
import type { Logger } from '../log.js';
import type { WarehousePaths } from '../paths.js';
import { appendQueryPage } from './appendQueryPage.js';
import type { InputFile } from './inputFiles.js';

/** Rows staged per `appendPage` call. */
export const PAGE_ROWS = 10_000;

interface Pending {
  readonly stage: SnapshotStage;
  rows: ModelRow[];
  skipped: SkipCounts;
  /** Files that gave this snapshot rows or skips, in the order they did. */
  readonly files: Map<string, InputFile>;
}

/**
 * The snapshots one import makes, one `SnapshotStage` per date, opened when the first row of that
 * date arrives. Nothing is published until every file has been read: then `publishAll` publishes
 * each date through `SnapshotStage.publish` (the same staged, atomic path as collect), and any
 * failure before that discards every stage, so a bad file leaves nothing of the import in the lake.
 */
export class SnapshotBatch {
  private readonly pending = new Map<string, Pending>();
  private readonly stagedElsewhere: Map<string, Checkpoint>;

  constructor(
    private readonly args: {
      readonly paths: WarehousePaths;
      readonly format: string;
      readonly files: readonly InputFile[];
      readonly startedAt: string;
      readonly replace: boolean;
      readonly allowDate?: boolean;
      readonly logger: Logger;
      /** Checked at every page and file: an aborted import throws, and its stages are discarded. */
      readonly signal?: AbortSignal;
    },
  ) {
    this.stagedElsewhere = new Map(
      SnapshotStage.staged(args.paths)
        .filter((cp) => cp.job.kind !== 'import')
        .map((cp) => [cp.snapshot, cp]),
    );
  }

  private open(date: string, file: InputFile): Pending {
    let p = this.pending.get(date);
    if (!p?.files.has(file.name)) this.args.signal?.throwIfAborted();
    if (!p) {
      const other = this.stagedElsewhere.get(date);
      if (other && !this.args.replace) {
        throw new UsageError(
          `snapshot ${date}: an unfinished ${other.job.kind ?? 'crawl'} of that date is staged in ${this.args.paths.staging} (resume it with "hubtrends ${other.job.kind ?? 'collect'}"); pass --replace to discard it and import ${file.name}`,
        );
      }
      const stage = SnapshotStage.open({
        paths: this.args.paths,
        snapshot: date,
        job: { kind: 'import', format: this.args.format, files: this.args.files.map((f) => f.name).join(',') },
        startedAt: this.args.startedAt,
        replace: this.args.replace,
        allowDate: this.args.allowDate,
        fresh: true,
        logger: this.args.logger,
      });
      p = { stage, rows: [], skipped: {}, files: new Map() };
      this.pending.set(date, p);
    }
    if (!p.files.has(file.name)) p.files.set(file.name, file);
    return p;
  }

  /** Open the stage of `date` now (to refuse an existing date before reading a large file). */
  prepare(date: string, file: InputFile): void {
    this.open(date, file);
  }

  async add(date: string, row: ModelRow, file: InputFile): Promise<void> {
    const p = this.open(date, file);
    p.rows.push(row);
    if (p.rows.length >= PAGE_ROWS) await this.flushOne(p);
  }

  skip(date: string, reason: string, file: InputFile, n = 1): void {
    addSkip(this.open(date, file).skipped, reason, n);
  }

  /** Stage the rows of a DuckDB relation for `date` in one page (see `appendQueryPage`). */
  async addQuery(date: string, file: InputFile, db: Database, relation: string, rows: number, skipped: SkipCounts): Promise<void> {
    const p = this.open(date, file);
    await this.flushOne(p);
    await appendQueryPage(p.stage, db, relation, rows, skipped);
  }

  private async flushOne(p: Pending): Promise<void> {
    this.args.signal?.throwIfAborted();
    if (p.rows.length === 0 && Object.keys(p.skipped).length === 0) return;
    const { rows, skipped } = p;
    p.rows = [];
    p.skipped = {};
    await p.stage.appendPage(rows, skipped, null);
  }

  dates(): string[] {
    return [...this.pending.keys()].sort();
  }

  /**
   * Publish every snapshot, oldest first. A snapshot without a single valid row is refused (an
   * empty snapshot would make every model look vanished). If a publish fails, the snapshots not yet
   * published are discarded and the error names those that were.
   */
  async publishAll(clock: Clock): Promise<SnapshotManifest[]> {
    const dates = this.dates();
    for (const date of dates) await this.flushOne(this.pending.get(date)!);
    for (const date of dates) {
      const p = this.pending.get(date)!;
      if (p.stage.checkpoint.rows === 0) {
        const skipped = Object.entries(p.stage.checkpoint.skipped).map(([r, n]) => `${r} ${n}`).join(', ');
        throw new UsageError(`snapshot ${date}: no valid model row in ${[...p.files.keys()].join(', ')}${skipped ? ` (skipped: ${skipped})` : ''}; nothing imported`);
      }
    }
    const manifests: SnapshotManifest[] = [];
    for (const date of dates) {
      const p = this.pending.get(date)!;
      try {
        const manifest = await p.stage.publish({
          source: { files: [...p.files.values()].map((f) => ({ name: f.name, sha256: f.sha256 })), format: this.args.format },
          finishedAt: clock.now().toISOString(),
          minDownloads: null,
          sort: null,
          replace: this.args.replace,
        });
        this.pending.delete(date);
        manifests.push(manifest);
      } catch (err) {
        if (manifests.length > 0) {
          const done = manifests.map((m) => m.snapshot).join(', ');
          this.args.logger.error({ published: done, failed: date }, 'import failed after publishing some snapshots');
          throw new Error(`publishing snapshot ${date} failed after ${done} had been published: ${(err as Error).message}`, { cause: err });
        }
        throw err;
      }
    }
    return manifests;
  }

  /** Throw away every stage not yet published. */
  discardAll(): void {
    for (const p of this.pending.values()) p.stage.discard();
    this.pending.clear();
  }
}
