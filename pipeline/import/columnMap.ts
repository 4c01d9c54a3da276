import { UsageError } from '../errors.js';

/** Fields a tracker column can feed, as named on the command line (`--map id=…,downloads=…`). */
export const MAP_FIELDS = ['id', 'downloads', 'downloads_all_time', 'date', 'author', 'likes', 'created_at', 'pipeline_tag', 'library_name'] as const;
export type MapField = (typeof MAP_FIELDS)[number];

/**
 * Header names each field is found under when `--map` does not name its column, compared after
 * lower-casing and dropping everything but letters and digits (`Model ID`, `model_id` and
 * `modelId` are all `modelid`). The first that a file has wins.
 */
export const DEFAULT_COLUMNS: Readonly<Record<MapField, readonly string[]>> = {
  id: ['id', 'modelid', 'modelurl', 'model', 'repoid', 'repo'],
  downloads: ['downloads', 'downloads30d', 'downloadslast30days'],
  downloads_all_time: ['downloadsalltime', 'alltimedownloads', 'totaldownloads'],
  date: ['date', 'snapshot', 'snapshotdate'],
  author: ['author', 'organization', 'organisation', 'org'],
  likes: ['likes'],
  created_at: ['createdat'],
  pipeline_tag: ['pipelinetag'],
  library_name: ['libraryname'],
};

/**
 * `--map id=Model,downloads=DL 30d`: columns named explicitly, by their header as written
 * (matched exactly, else ignoring case and surrounding spaces). `date=` with no column means
 * "ignore any date column". Fields not named keep their defaults.
 */
export type ColumnMap = Partial<Record<MapField, string>>;

export function parseColumnMap(spec: string | undefined): ColumnMap {
  const map: ColumnMap = {};
  if (spec === undefined) return map;
  for (const part of spec.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    const value = eq < 0 ? undefined : part.slice(eq + 1).trim();
    if (!(MAP_FIELDS as readonly string[]).includes(key)) {
      throw new UsageError(`--map: unknown field ${JSON.stringify(key)}; expected some of ${MAP_FIELDS.join(', ')} (e.g. --map id=model_url,downloads=dl)`);
    }
    if (value === undefined || (value === '' && key !== 'date')) {
      throw new UsageError(`--map: expected ${key}=COLUMN, got ${JSON.stringify(part.trim())}`);
    }
    if (key in map) throw new UsageError(`--map: ${key} is given twice`);
    map[key as MapField] = value;
  }
  return map;
}

export function normaliseHeader(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Which column index feeds each field in one file, and the explicitly mapped columns it lacks. */
export interface ResolvedColumns {
  readonly index: Partial<Record<MapField, number>>;
  readonly missingMapped: MapField[];
}

/**
 * Resolve the fields of one file's header. Refuses a header in which the column chosen for a
 * field appears twice, since either could be the right one.
 */
export function resolveColumns(header: readonly string[], map: ColumnMap, file: string): ResolvedColumns {
  const index: Partial<Record<MapField, number>> = {};
  const missingMapped: MapField[] = [];
  const trimmed = header.map((h) => h.trim());
  const used = new Map<number, MapField>();
  const take = (field: MapField, matches: number[], label: string): void => {
    if (matches.length > 1) {
      throw new UsageError(`${file}:1: the column ${JSON.stringify(label)} for ${field} appears ${matches.length} times in the header`);
    }
    const i = matches[0];
    if (i === undefined) return;
    const other = used.get(i);
    if (other !== undefined) {
      throw new UsageError(`${file}:1: --map names the column ${JSON.stringify(trimmed[i])} for both ${other} and ${field}`);
    }
    index[field] = i;
    used.set(i, field);
  };
  // Columns named with --map first, so that a default never takes a column the user gave another field.
  for (const field of MAP_FIELDS) {
    const wanted = map[field];
    if (wanted === undefined || wanted === '') continue; // date= : no date column
    let matches = trimmed.flatMap((h, i) => (h === wanted ? [i] : []));
    if (matches.length === 0) matches = trimmed.flatMap((h, i) => (h.toLowerCase() === wanted.toLowerCase() ? [i] : []));
    if (matches.length === 0) missingMapped.push(field);
    take(field, matches, wanted);
  }
  for (const field of MAP_FIELDS) {
    if (map[field] !== undefined) continue;
    for (const candidate of DEFAULT_COLUMNS[field]) {
      const matches = trimmed.flatMap((h, i) => (normaliseHeader(h) === candidate && !used.has(i) ? [i] : []));
      if (matches.length > 0) {
        take(field, matches, trimmed[matches[0]!]!);
        break;
      }
    }
  }
  return { index, missingMapped };
}
