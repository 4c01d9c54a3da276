import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import { assertSnapshotDate } from '../storage/SnapshotStage.js';
import type { SnapshotManifest } from '../storage/manifest.js';
import type { Logger } from '../log.js';
import { warehousePaths } from '../paths.js';
import { importApiJsonl } from './apiJsonl.js';
import { parseColumnMap, type MapField } from './columnMap.js';
import { dateFromPath } from './dateFromName.js';
import { importHubStats } from './hubStats.js';
import { inputFiles, type InputFile } from './inputFiles.js';
import { SnapshotBatch } from './SnapshotBatch.js';
import { importTrackerCsv } from './trackerCsv.js';

/** Formats `hubtrends import` reads (DESIGN §1; `timeseries` is designed separately). */
export const IMPORT_FORMATS = ['api-jsonl', 'hub-stats', 'tracker-csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportOptions {
  /** Files or folders to import. Example: `['dumps/2022-02-21.jsonl']`. */
  readonly files: readonly string[];
  readonly format: ImportFormat;
  /**
   * Snapshot date of rows whose file or row does not say. Example: `'2022-02-21'`.
   * Required for `api-jsonl` and `hub-stats` files whose name holds no date.
   */
  readonly snapshot?: string;
  /** `tracker-csv` only: columns by field. Example: `'id=Model,downloads=DL 30d'`. */
  readonly map?: string;
  /** Replace snapshots of the same dates instead of refusing them. Default false. */
  readonly replace: boolean;
  /** Accept snapshot dates before 2019 or after tomorrow. Default false. */
  readonly allowDate?: boolean;
}

export interface ImportDeps {
  readonly logger: Logger;
  readonly clock: Clock;
  /** Stops the import between pages and files (SIGINT/SIGTERM); nothing is published then. */
  readonly signal?: AbortSignal;
}

/** File name endings looked for in folders, by format (each also compressed with gzip). */
const EXTENSIONS: Record<ImportFormat, readonly string[]> = {
  'api-jsonl': ['.jsonl', '.ndjson', '.json', '.jsonl.gz', '.ndjson.gz', '.json.gz'],
  'hub-stats': ['.parquet'],
  'tracker-csv': ['.csv', '.tsv', '.csv.gz', '.tsv.gz'],
};

/**
 * Backfill the lake from published files (DESIGN §1, §4): every snapshot an import makes goes
 * through the same staged, atomic path as `collect` (`SnapshotStage`), with the source files'
 * names and sha256 in its manifest. All files are read before anything is published, so one
 * unreadable file fails the whole import (a `UsageError`, exit 2, naming the file, the line and
 * the reason) and nothing of it lands in the lake. A date already in the lake is refused unless
 * `replace`. Returns the manifests of the published snapshots, oldest first.
 *
 * Dates: `api-jsonl` and `hub-stats` files take `--snapshot`, else the date in their name (for
 * hub-stats, or in the name of their folder); `tracker-csv` rows take their date column, else
 * `--snapshot`, else the file name. Several files of one date make one snapshot, the last row of
 * a model winning.
 */
export async function importFiles(config: Config, opts: ImportOptions, deps: ImportDeps): Promise<SnapshotManifest[]> {
  const { logger, clock } = deps;
  if (!(IMPORT_FORMATS as readonly string[]).includes(opts.format)) {
    throw new UsageError(`--format: expected one of ${IMPORT_FORMATS.join(', ')}, got ${JSON.stringify(opts.format)}`);
  }
  if (opts.files.length === 0) throw new UsageError('import: name at least one file or folder to import');
  if (opts.snapshot !== undefined) assertSnapshotDate(opts.snapshot);
  if (opts.map !== undefined && opts.format !== 'tracker-csv') {
    throw new UsageError(`--map: only tracker-csv files have columns to map, not ${opts.format}`);
  }
  const map = parseColumnMap(opts.map);
  const paths = warehousePaths(config.warehouse);
  const limits = { maxLineChars: config.maxLineChars, maxInputBytes: config.maxInputBytes };
  const files = await inputFiles(opts.files, { extensions: EXTENSIONS[opts.format], folderDates: opts.format === 'hub-stats', logger, maxInputBytes: limits.maxInputBytes, signal: deps.signal });
  const startedAt = clock.now();
  logger.info({ format: opts.format, files: files.length, snapshot: opts.snapshot ?? null }, 'import started');

  const dateOf = (file: InputFile): string => {
    const date = opts.snapshot ?? dateFromPath(file.dateSegments);
    if (date === null) {
      throw new UsageError(`${file.name}: no snapshot date: the ${opts.format === 'hub-stats' ? 'file and folder names hold' : 'file name holds'} none; pass --snapshot YYYY-MM-DD`);
    }
    return date;
  };
  if (opts.format !== 'tracker-csv') for (const f of files) dateOf(f); // fail before reading anything
  if (opts.format === 'hub-stats' && opts.snapshot !== undefined && files.length > 1) {
    logger.warn({ snapshot: opts.snapshot, files: files.length }, '--snapshot puts every hub-stats file into one snapshot (shards of one day); the last row of a model wins');
  }

  const batch = new SnapshotBatch({ paths, format: opts.format, files, startedAt: startedAt.toISOString(), replace: opts.replace, allowDate: opts.allowDate, logger, signal: deps.signal });
  try {
    // Open the stage of every date a file name gives now, so that a date already in the lake is
    // refused before any file is read.
    if (opts.format !== 'tracker-csv') for (const f of files) batch.prepare(dateOf(f), f);
    if (opts.format === 'api-jsonl') {
      for (const file of files) await importApiJsonl(file, dateOf(file), batch, logger, limits);
    } else if (opts.format === 'hub-stats') {
      await importHubStats(files, dateOf, batch, { paths, logger });
    } else {
      const mappedFound = new Set<MapField>();
      for (const file of files) await importTrackerCsv(file, { batch, map, snapshot: opts.snapshot, logger, mappedFound, limits });
      for (const [field, column] of Object.entries(map)) {
        if (column !== '' && !mappedFound.has(field as MapField)) {
          throw new UsageError(`--map ${field}=${column}: no file has a column ${JSON.stringify(column)}`);
        }
      }
    }
    deps.signal?.throwIfAborted();
    const manifests = await batch.publishAll(clock);
    for (const m of manifests) {
      logger.info({ snapshot: m.snapshot, rows: m.rows, duplicates_dropped: m.duplicates_dropped, skipped: m.skipped, files: 'files' in m.source ? m.source.files.map((f) => f.name) : [] }, 'snapshot imported');
    }
    logger.info({ format: opts.format, snapshots: manifests.map((m) => m.snapshot), seconds: (clock.now().getTime() - startedAt.getTime()) / 1000 }, 'import finished');
    return manifests;
  } catch (err) {
    batch.discardAll();
    throw err;
  }
}
