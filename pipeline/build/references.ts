import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { isCountryCode, readCsv } from './registry.js';
import { HUB_SCOPE, NAME_RE } from './scopes.js';

export const REFERENCE_COLUMNS = [
  'study',
  'figure',
  'metric',
  'mode',
  'scope',
  'origin',
  'window_start',
  'window_end',
  'value',
  'unit',
  'source_section',
  'source_url',
  'confirmed_at',
  'accessed',
] as const;

export type ReferenceFigure = Record<(typeof REFERENCE_COLUMNS)[number], string>;

export const METRICS = ['period', 'trailing', 'cumulative', 'all_time', 'window30'] as const;
export const MODES = ['uploader', 'lineage'] as const;
export const UNITS = ['percent', 'share', 'downloads'] as const;

/** A month (`2025-08`, as studies write their windows) or a day; never a guessed day. */
const WINDOW_RE = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;
const URL_RE = /^https?:\/\/\S+$/;

function validWindow(text: string): boolean {
  const m = WINDOW_RE.exec(text);
  if (!m) return false;
  const iso = `${m[1]}-${m[2]}-${m[3] ?? '01'}`;
  const t = Date.parse(`${iso}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === iso;
}

/**
 * `<registry>/references.csv`: one published figure a row (absent: no figures). Every field is
 * checked, and a bad row fails with file and line, so a figure is never compared under a metric,
 * scope or window it was not published for. `scopes` are the scope files that exist.
 */
export function loadReferences(registryDir: string, scopes: readonly string[]): { file: string | null; figures: ReferenceFigure[] } {
  const file = join(registryDir, 'references.csv');
  if (!existsSync(file)) return { file: null, figures: [] };
  const figures: ReferenceFigure[] = [];
  const seen = new Map<string, number>();
  for (const { row, line } of readCsv(file, REFERENCE_COLUMNS)) {
    const r = row as ReferenceFigure;
    const bad = (what: string): never => {
      throw new UsageError(`${file}:${line}: ${what}`);
    };
    if (!NAME_RE.test(r.study)) bad(`study ${JSON.stringify(r.study)} must be lower-case letters, digits, '-' or '_'`);
    if (!NAME_RE.test(r.figure)) bad(`figure ${JSON.stringify(r.figure)} must be lower-case letters, digits, '-' or '_'`);
    const key = `${r.study}/${r.figure}`;
    if (seen.has(key)) bad(`duplicate figure ${key} (first on line ${seen.get(key)})`);
    seen.set(key, line);
    if (!(METRICS as readonly string[]).includes(r.metric)) bad(`metric ${JSON.stringify(r.metric)} is not one of ${METRICS.join(', ')}`);
    if (!(MODES as readonly string[]).includes(r.mode)) bad(`mode ${JSON.stringify(r.mode)} is not one of ${MODES.join(', ')}`);
    if (r.scope !== HUB_SCOPE && !scopes.includes(r.scope)) bad(`scope ${JSON.stringify(r.scope)} is neither "${HUB_SCOPE}" nor a file scopes/${r.scope}.csv`);
    if (r.origin !== 'unknown' && !isCountryCode(r.origin)) bad(`origin ${JSON.stringify(r.origin)} is not an ISO 3166-1 alpha-2 code, INTL or unknown`);
    // all_time counts since each model's creation: it has no start, and every other metric has one.
    if (r.metric === 'all_time' ? r.window_start !== '' : !validWindow(r.window_start)) {
      bad(`window_start ${JSON.stringify(r.window_start)}: expected YYYY-MM or YYYY-MM-DD, and empty for all_time only`);
    }
    if (!validWindow(r.window_end)) bad(`window_end ${JSON.stringify(r.window_end)}: expected YYYY-MM or YYYY-MM-DD`);
    if (r.window_start !== '' && r.window_start.slice(0, 7) > r.window_end.slice(0, 7)) bad(`window_start ${r.window_start} is after window_end ${r.window_end}`);
    if (r.window_start.length === 10 && r.window_start > r.window_end) bad(`window_start ${r.window_start} is after window_end ${r.window_end}`);
    if (!(UNITS as readonly string[]).includes(r.unit)) bad(`unit ${JSON.stringify(r.unit)} is not one of ${UNITS.join(', ')}`);
    const value = /^\d+(\.\d+)?$/.test(r.value) ? Number(r.value) : NaN;
    if (!Number.isFinite(value)) bad(`value ${JSON.stringify(r.value)} is not a number ≥ 0 (write 17.1, not 17,1 or 17.1%)`);
    if ((r.unit === 'percent' && value > 100) || (r.unit === 'share' && value > 1)) bad(`value ${r.value} is out of range for unit ${r.unit}`);
    if (r.source_section === '') bad('source_section is empty: say where in the source the figure is');
    if (!URL_RE.test(r.source_url)) bad(`source_url ${JSON.stringify(r.source_url)} is not an http(s) URL`);
    if (r.confirmed_at !== '' && !URL_RE.test(r.confirmed_at)) bad(`confirmed_at ${JSON.stringify(r.confirmed_at)} is not an http(s) URL`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(r.accessed) || !validWindow(r.accessed)) bad(`accessed ${JSON.stringify(r.accessed)}: expected the date YYYY-MM-DD`);
    figures.push(r);
  }
  return { file, figures };
}

/** Region buckets of a reference's published registry (ATOM's `organization_regions.csv`). */
export const REFERENCE_REGIONS = ['us', 'china', 'eu', 'other', 'unknown'] as const;

export interface ReferenceRegistryRow {
  readonly study: string;
  readonly namespace: string;
  readonly region: string;
  readonly notes: string;
}

/**
 * `<registry>/reference_registries/<study>.csv`: a study's own namespace → region mapping, kept as
 * the study publishes it (`hf_org,region,notes`), so that namespaces it maps differently from
 * `orgs.csv` can be counted. A bad row fails with file and line.
 */
export function loadReferenceRegistries(registryDir: string): { files: string[]; rows: ReferenceRegistryRow[] } {
  const dir = join(registryDir, 'reference_registries');
  const files: string[] = [];
  const rows: ReferenceRegistryRow[] = [];
  const names = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.csv')).sort() : [];
  for (const name of names) {
    const file = join(dir, name);
    const study = name.slice(0, -'.csv'.length);
    if (!NAME_RE.test(study)) throw new UsageError(`${file}: a study name must be lower-case letters, digits, '-' or '_', got ${JSON.stringify(study)}`);
    files.push(file);
    const seen = new Map<string, number>();
    for (const { row, line } of readCsv(file, ['hf_org', 'region', 'notes'])) {
      const where = `${file}:${line}`;
      if (!/^[\w.-]+$/.test(row.hf_org!)) throw new UsageError(`${where}: hf_org ${JSON.stringify(row.hf_org)} is not a Hub namespace`);
      if (seen.has(row.hf_org!)) throw new UsageError(`${where}: duplicate hf_org ${row.hf_org} (first on line ${seen.get(row.hf_org!)})`);
      if (!(REFERENCE_REGIONS as readonly string[]).includes(row.region!)) {
        throw new UsageError(`${where}: region ${JSON.stringify(row.region)} is not one of ${REFERENCE_REGIONS.join(', ')}`);
      }
      seen.set(row.hf_org!, line);
      rows.push({ study, namespace: row.hf_org!, region: row.region!, notes: row.notes! });
    }
  }
  return { files, rows };
}
