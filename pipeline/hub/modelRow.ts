/**
 * One row of `models.parquet` (DESIGN §4), made from a `/api/models` object of any vintage.
 * Validation lives here so collect and every importer skip the same things for the same reasons.
 */
export interface ModelRow {
  model_id: string;
  author: string | null;
  /** ISO 8601 in UTC, or null when the object has none. */
  created_at: string | null;
  downloads_30d: number | null;
  downloads_all_time: number | null;
  likes: number | null;
  pipeline_tag: string | null;
  library_name: string | null;
  tags: string[] | null;
  base_models: string[] | null;
  base_relation: string | null;
}

export const BASE_RELATIONS = ['finetune', 'adapter', 'quantized', 'merge'] as const;

/** Reasons an object is skipped, counted by name in the snapshot's manifest. */
export type SkipReason = 'not_an_object' | 'missing_id' | 'bad_id' | 'bad_counter';

export type ParseResult = { ok: true; row: ModelRow } | { ok: false; reason: SkipReason };

/** The API fields a full collect asks for with `expand` (DESIGN §3). */
export const EXPAND_FIELDS = [
  'author',
  'createdAt',
  'downloads',
  'downloadsAllTime',
  'likes',
  'pipeline_tag',
  'library_name',
  'tags',
  'baseModels',
] as const;

const ID_RE = /^[\w.-]+(\/[\w.-]+)?$/;

function counter(v: unknown): number | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  return undefined; // present but not a non-negative integer
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** The Hub's own form, already canonical: kept as is without a parse (a hot path at 2 M rows). */
const CANONICAL_ISO = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

function isoTimestamp(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  if (CANONICAL_ISO.test(v)) return v;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** Lineage from `baseModels`, else from `base_model:[<relation>:]<id>` tags. */
export function lineageOf(obj: Record<string, unknown>, tags: string[] | null): { bases: string[] | null; relation: string | null } {
  const bm = obj.baseModels;
  if (bm && typeof bm === 'object' && !Array.isArray(bm)) {
    const rec = bm as { models?: unknown; relation?: unknown };
    const ids = Array.isArray(rec.models)
      ? rec.models
          .map((m) => (m && typeof m === 'object' ? str((m as { id?: unknown }).id) : str(m)))
          .filter((x): x is string => x !== null)
      : [];
    if (ids.length > 0) {
      return { bases: [...new Set(ids)], relation: str(rec.relation) };
    }
  }
  if (!tags) return { bases: null, relation: null };
  const bases: string[] = [];
  let relation: string | null = null;
  for (const tag of tags) {
    if (!tag.startsWith('base_model:')) continue;
    const rest = tag.slice('base_model:'.length);
    const colon = rest.indexOf(':');
    const head = colon > 0 ? rest.slice(0, colon) : '';
    if ((BASE_RELATIONS as readonly string[]).includes(head)) {
      relation ??= head;
      bases.push(rest.slice(colon + 1));
    } else if (rest.length > 0) {
      bases.push(rest);
    }
  }
  const unique = [...new Set(bases)].filter((b) => b.length > 0);
  return unique.length > 0 ? { bases: unique, relation } : { bases: null, relation: null };
}

export function parseModel(obj: unknown): ParseResult {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return { ok: false, reason: 'not_an_object' };
  const o = obj as Record<string, unknown>;
  const rawId = o.id ?? o.modelId;
  if (rawId === undefined || rawId === null || rawId === '') return { ok: false, reason: 'missing_id' };
  if (typeof rawId !== 'string' || !ID_RE.test(rawId)) return { ok: false, reason: 'bad_id' };

  const downloads = counter(o.downloads);
  const allTime = counter(o.downloadsAllTime);
  const likes = counter(o.likes);
  if (downloads === undefined || allTime === undefined || likes === undefined) return { ok: false, reason: 'bad_counter' };

  const slash = rawId.indexOf('/');
  const tags = Array.isArray(o.tags) ? o.tags.filter((t): t is string => typeof t === 'string') : null;
  const { bases, relation } = lineageOf(o, tags);
  return {
    ok: true,
    row: {
      model_id: rawId,
      author: str(o.author) ?? (slash > 0 ? rawId.slice(0, slash) : null),
      created_at: isoTimestamp(o.createdAt),
      downloads_30d: downloads,
      downloads_all_time: allTime,
      likes,
      pipeline_tag: str(o.pipeline_tag),
      library_name: str(o.library_name),
      tags,
      base_models: bases,
      base_relation: relation,
    },
  };
}

/** Counts of skipped objects by reason, as written in manifests. */
export type SkipCounts = Partial<Record<SkipReason | string, number>>;

export function addSkip(counts: SkipCounts, reason: string, n = 1): void {
  counts[reason] = (counts[reason] ?? 0) + n;
}
