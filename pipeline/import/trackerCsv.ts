import { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { UsageError } from '../errors.js';
import { parseModel } from '../hub/modelRow.js';
import type { Logger } from '../log.js';
import { MAP_FIELDS, resolveColumns, type ColumnMap, type MapField } from './columnMap.js';
import { parseCount } from './counts.js';
import { sniffDialect } from './csvDialect.js';
import { dateFromPath, parseDateValue } from './dateFromName.js';
import type { InputFile } from './inputFiles.js';
import { inputError } from './inputError.js';
import { normaliseModelId } from './modelId.js';
import type { SnapshotBatch } from './SnapshotBatch.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from './inputLimits.js';
import { textChunks } from './textChunks.js';

export interface TrackerContext {
  readonly batch: SnapshotBatch;
  readonly map: ColumnMap;
  /** `--snapshot`: the date of rows that carry none. */
  readonly snapshot: string | undefined;
  readonly logger: Logger;
  /** Fields named with `--map` that some file had a column for (filled in here). */
  readonly mappedFound: Set<MapField>;
  readonly limits?: InputLimits;
}

const HEAD_BYTES = 1 << 20;

/** The start of a text stream (at least its first two lines, when it has them) and the stream. */
async function peek(chunks: AsyncGenerator<string>): Promise<{ head: string; all: AsyncGenerator<string> }> {
  let head = '';
  for (;;) {
    if ((head.match(/\n|\r/g)?.length ?? 0) >= 3 || head.length >= HEAD_BYTES) break;
    const next = await chunks.next();
    if (next.done) break;
    head += next.value;
  }
  async function* all(): AsyncGenerator<string> {
    if (head) yield head;
    yield* chunks;
  }
  return { head, all: all() };
}

function csvReason(err: CsvError): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is not closed';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote inside a field that is not quoted';
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'text after the closing quote of a field';
    case 'CSV_MAX_RECORD_SIZE':
      return 'a record longer than 128,000 characters (is the delimiter right?)';
    default:
      return err.message.replace(/^Invalid \w+( \w+)*: /, '');
  }
}

/** `createdAt` as an ISO timestamp, or a reason. Dates without a zone are UTC. */
function parseCreatedAt(text: string): { iso: string } | { reason: string } {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
  const t = m ? Date.parse(`${m[1]}T${m[2] ?? '00:00'}${m[3] ?? 'Z'}`.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
  return Number.isNaN(t) ? { reason: `created_at: expected an ISO date-time, got ${JSON.stringify(text)}` } : { iso: new Date(t).toISOString() };
}

/**
 * Read one tracker file into the batch: one row per model and date, the date taken from the row's
 * date column, else `--snapshot`, else the file name. Any row that cannot be read fails the file
 * with its line and the reason: a tracker is small, kept by hand, and a bad row means the file is
 * not what we think it is.
 */
export async function importTrackerCsv(file: InputFile, ctx: TrackerContext): Promise<number> {
  const limits = ctx.limits ?? DEFAULT_INPUT_LIMITS;
  const { head, all } = await peek(textChunks(file.path, file.name, limits.maxInputBytes));
  if (head.replace(/^\ufeff/, '').trim() === '') throw emptyFile(file);
  const dialect = sniffDialect(head);
  const parser = parse({
    delimiter: dialect.delimiter,
    from_line: dialect.headerLine,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    bom: true,
    max_record_size: limits.maxLineChars,
  });
  const source = Readable.from(all);
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);

  let header: string[] | null = null;
  let headerLine = dialect.headerLine;
  let index: Partial<Record<MapField, number>> = {};
  let fileDate: string | null | undefined;
  let rows = 0;
  const fail = (line: number, reason: string) => inputError(file.name, line, reason);
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      const line = info.lines;
      if (header === null) {
        header = record.map((h, i) => (i === 0 ? h.replace(/^\ufeff/, '') : h));
        headerLine = line;
        const resolved = resolveColumns(header, ctx.map, file.name);
        index = resolved.index;
        for (const f of MAP_FIELDS) if (ctx.map[f] && index[f] !== undefined) ctx.mappedFound.add(f);
        if (index.id === undefined) {
          throw fail(line, `no model id column: expected ${ctx.map.id ? JSON.stringify(ctx.map.id) : 'one of id, model_id, modelId, model_url, model'} (or --map id=COLUMN); the header has ${header.map((h) => JSON.stringify(h.trim())).join(', ')}`);
        }
        if (index.downloads === undefined && index.downloads_all_time === undefined) {
          throw fail(line, `no download count column: expected downloads or downloadsAllTime (or --map downloads=COLUMN,downloads_all_time=COLUMN); the header has ${header.map((h) => JSON.stringify(h.trim())).join(', ')}`);
        }
        ctx.logger.debug({ file: file.name, delimiter: dialect.delimiter, columns: Object.fromEntries(Object.entries(index).map(([k, i]) => [k, header![i]])) }, 'tracker columns');
        continue;
      }
      if (record.every((c) => c.trim() === '')) continue; // a spreadsheet's trailing empty row
      if (record.length < header.length) throw fail(line, `${record.length} fields where the header (line ${headerLine}) has ${header.length}`);
      if (record.length > header.length && record.slice(header.length).some((c) => c.trim() !== '')) {
        throw fail(line, `${record.length} fields where the header (line ${headerLine}) has ${header.length} (an unquoted delimiter inside a value?)`);
      }
      const cell = (f: MapField): string | undefined => (index[f] === undefined ? undefined : record[index[f]!]!.trim());

      const rawId = cell('id')!;
      if (rawId === '') throw fail(line, 'no model id');
      const id = normaliseModelId(rawId);
      if ('reason' in id) throw fail(line, id.reason);

      const counts: Partial<Record<'downloads' | 'downloads_all_time' | 'likes', number | null>> = {};
      for (const f of ['downloads', 'downloads_all_time', 'likes'] as const) {
        const text = cell(f);
        if (text === undefined) continue;
        const c = parseCount(text, dialect.decimalMark);
        if ('reason' in c) throw fail(line, `${f}: ${c.reason}`);
        counts[f] = c.value;
      }
      let createdAt: string | undefined;
      const createdText = cell('created_at');
      if (createdText) {
        const c = parseCreatedAt(createdText);
        if ('reason' in c) throw fail(line, c.reason);
        createdAt = c.iso;
      }

      let date: string | null = null;
      const dateText = cell('date');
      if (dateText) {
        const d = parseDateValue(dateText);
        if ('reason' in d) throw fail(line, `date: ${d.reason}`);
        date = d.date;
        if (ctx.snapshot !== undefined && date !== ctx.snapshot) {
          throw fail(line, `the row's date ${date} differs from --snapshot ${ctx.snapshot}; drop --snapshot, or ignore the date column with --map date=`);
        }
      }
      if (date === null) date = ctx.snapshot ?? (fileDate === undefined ? (fileDate = dateFromPath(file.dateSegments)) : fileDate);
      if (date === null) {
        throw fail(line, `no snapshot date: the row has no date column${index.date === undefined ? '' : ' value'} and the file name holds none; pass --snapshot YYYY-MM-DD or --map date=COLUMN`);
      }

      const parsed = parseModel({
        id: id.id,
        author: cell('author') || undefined,
        downloads: counts.downloads,
        downloadsAllTime: counts.downloads_all_time,
        likes: counts.likes,
        createdAt,
        pipeline_tag: cell('pipeline_tag') || undefined,
        library_name: cell('library_name') || undefined,
      });
      if (!parsed.ok) {
        throw fail(line, parsed.reason === 'bad_id' ? `${JSON.stringify(id.id)} is not a model id (expected org/name or a legacy name such as gpt2)` : `not a model row (${parsed.reason})`);
      }
      await ctx.batch.add(date, parsed.row, file);
      rows++;
    }
  } catch (err) {
    if (err instanceof CsvError) {
      const line = typeof err.lines === 'number' ? err.lines : null;
      throw inputError(file.name, line, csvReason(err), err);
    }
    throw err;
  } finally {
    source.destroy();
  }
  if (header === null || rows === 0) throw emptyFile(file, header === null ? undefined : headerLine);
  ctx.logger.info({ file: file.name, rows }, 'tracker file read');
  return rows;
}

function emptyFile(file: InputFile, headerLine?: number): UsageError {
  return inputError(
    file.name,
    null,
    `empty file: ${headerLine === undefined ? 'no header and no rows' : 'a header and no rows'}; an empty snapshot would make every model look vanished, so nothing is imported`,
  );
}
