import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { UsageError } from '../errors.js';
import { shippedRegistryDir } from '../paths.js';

export const KINDS = ['company', 'lab', 'community', 'individual', 'intermediary'] as const;
export type Kind = (typeof KINDS)[number];

export interface OrgRow {
  org: string;
  country: string;
  kind: Kind;
  source: string;
}
export interface AliasRow {
  from: string;
  to: string;
}
export interface FamilyRow {
  family: string;
  pattern: string;
}

export interface Registry {
  /** The folder read, and whether it is the copy shipped with the package. */
  readonly dir: string;
  readonly shipped: boolean;
  readonly orgs: OrgRow[];
  readonly aliases: AliasRow[];
  readonly families: FamilyRow[];
  /** Files read, for manifests. */
  readonly files: string[];
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** ISO 3166-1 alpha-2 (as known to ICU), or INTL for international/online collectives. */
export function isCountryCode(code: string): boolean {
  if (code === 'INTL') return true;
  if (!/^[A-Z]{2}$/.test(code)) return false;
  // Reserved and user-assigned codes that ICU still names: not countries.
  if (['EU', 'UN', 'EZ', 'AA', 'ZZ'].includes(code) || /^(Q[M-Z]|X[A-Z])$/.test(code)) return false;
  try {
    return regionNames.of(code) !== code;
  } catch {
    return false;
  }
}

export function countryName(code: string): string {
  if (code === 'INTL') return 'International/Online';
  if (code === 'unknown') return 'Unknown';
  return isCountryCode(code) ? (regionNames.of(code) ?? code) : code;
}

type Row = Record<string, string>;

/** A registry CSV with exactly `columns` as its header; each row with its line number. */
export function readCsv(file: string, columns: readonly string[]): { row: Row; line: number }[] {
  const text = readFileSync(file, 'utf8');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new UsageError(`${file}:${e.lines ?? '?'}: malformed CSV (${e.message})`);
  }
  const header = records[0]?.record;
  if (!header || header.join(',') !== columns.join(',')) {
    throw new UsageError(`${file}:1: expected the header ${columns.join(',')}, got ${header ? header.join(',') : 'an empty file'}`);
  }
  return records.slice(1).map(({ record, info }) => {
    if (record.length !== columns.length) {
      throw new UsageError(`${file}:${info.lines}: expected ${columns.length} fields (${columns.join(',')}), got ${record.length}`);
    }
    const row: Row = {};
    columns.forEach((c, i) => (row[c] = (record[i] ?? '').trim()));
    return { row, line: info.lines };
  });
}

export const NAMESPACE_RE = /^[\w.-]+$/;
export const MODEL_ID_RE = /^[\w.-]+\/[\w.-]+$/;

/**
 * Read and validate a registry folder (DESIGN §5). Any bad row fails with file, line and reason:
 * a registry that silently drops rows would silently move downloads to `unknown`.
 */
export function loadRegistry(dir: string, shipped = false): Registry {
  const orgFile = join(dir, 'orgs.csv');
  const aliasFile = join(dir, 'aliases.csv');
  const familyFile = join(dir, 'families.csv');
  for (const f of [orgFile, aliasFile, familyFile]) {
    if (!existsSync(f)) throw new UsageError(`registry file missing: ${f}`);
  }
  const orgs: OrgRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, line } of readCsv(orgFile, ['org', 'country', 'kind', 'source'])) {
    const where = `${orgFile}:${line}`;
    if (!NAMESPACE_RE.test(row.org!)) throw new UsageError(`${where}: org ${JSON.stringify(row.org)} is not a Hub namespace`);
    if (seen.has(row.org!)) throw new UsageError(`${where}: duplicate org ${row.org} (first on line ${seen.get(row.org!)})`);
    if (!isCountryCode(row.country!)) {
      throw new UsageError(`${where}: country ${JSON.stringify(row.country)} is not an ISO 3166-1 alpha-2 code or INTL`);
    }
    if (!(KINDS as readonly string[]).includes(row.kind!)) {
      throw new UsageError(`${where}: kind ${JSON.stringify(row.kind)} is not one of ${KINDS.join(', ')}`);
    }
    seen.set(row.org!, line);
    orgs.push(row as unknown as OrgRow);
  }

  const aliases: AliasRow[] = [];
  const aliasLine = new Map<string, number>();
  for (const { row, line } of readCsv(aliasFile, ['from', 'to'])) {
    const where = `${aliasFile}:${line}`;
    const { from, to } = row as unknown as AliasRow;
    const nsAlias = NAMESPACE_RE.test(from) && NAMESPACE_RE.test(to);
    const idAlias = NAMESPACE_RE.test(from) && MODEL_ID_RE.test(to);
    const idToId = MODEL_ID_RE.test(from) && MODEL_ID_RE.test(to);
    if (!nsAlias && !idAlias && !idToId) throw new UsageError(`${where}: ${JSON.stringify(from)} → ${JSON.stringify(to)} is neither a namespace nor a model id alias`);
    if (aliasLine.has(from)) throw new UsageError(`${where}: duplicate alias for ${from} (first on line ${aliasLine.get(from)})`);
    aliasLine.set(from, line);
    aliases.push({ from, to });
  }
  const target = new Map(aliases.map((a) => [a.from, a.to]));
  for (const a of aliases) {
    const chain = [a.from];
    let cur: string | undefined = a.to;
    while (cur !== undefined) {
      if (chain.includes(cur)) {
        throw new UsageError(`${aliasFile}:${aliasLine.get(a.from)}: alias cycle ${[...chain, cur].join(' → ')}`);
      }
      chain.push(cur);
      cur = target.get(cur);
    }
  }

  const families: FamilyRow[] = [];
  const pairs = new Set<string>();
  for (const { row, line } of readCsv(familyFile, ['family', 'pattern'])) {
    const where = `${familyFile}:${line}`;
    if (!row.family || !row.pattern) throw new UsageError(`${where}: family and pattern must both be set`);
    const key = `${row.family}\u0000${row.pattern}`;
    if (pairs.has(key)) throw new UsageError(`${where}: duplicate row ${row.family},${row.pattern}`);
    pairs.add(key);
    families.push(row as unknown as FamilyRow);
  }
  return { dir, shipped, orgs, aliases, families, files: [orgFile, aliasFile, familyFile] };
}

/** The warehouse's own registry, else the one shipped with the package (DESIGN §5). */
export function resolveRegistry(warehouseRegistryDir: string): Registry {
  if (existsSync(join(warehouseRegistryDir, 'orgs.csv'))) return loadRegistry(warehouseRegistryDir, false);
  return loadRegistry(shippedRegistryDir, true);
}
