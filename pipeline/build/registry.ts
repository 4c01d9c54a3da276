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

/**
 * A registry CSV with exactly `columns` as its header; each row with its line number. Each problem
 * goes to `problem` (the default stops at the first, as build does for references and scopes).
 */
export function readCsv(
  file: string,
  columns: readonly string[],
  problem: (message: string) => void = (m) => {
    throw new UsageError(m);
  },
  lines = true,
): { row: Row; line: number }[] {
  const text = readFileSync(file, 'utf8');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    if (lines) {
      records = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
    } else {
      // Without line numbers csv-parse is 3-5x faster; the line of a row is then its place.
      const plain = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
      records = plain.map((record, i) => ({ record, info: { lines: i + 1 } }));
    }
  } catch (err) {
    const e = err as Error & { lines?: number };
    problem(`${file}:${e.lines ?? '?'}: malformed CSV (${e.message})`);
    return [];
  }
  const header = records[0]?.record;
  if (!header || header.join(',') !== columns.join(',')) {
    problem(`${file}:1: expected the header ${columns.join(',')}, got ${header ? header.join(',') : 'an empty file'}`);
    return [];
  }
  const out: { row: Row; line: number }[] = [];
  for (const { record, info } of records.slice(1)) {
    if (record.length !== columns.length) {
      problem(`${file}:${info.lines}: expected ${columns.length} fields (${columns.join(',')}), got ${record.length}`);
      continue;
    }
    const row: Row = {};
    columns.forEach((c, i) => (row[c] = (record[i] ?? '').trim()));
    out.push({ row, line: info.lines });
  }
  return out;
}

export const NAMESPACE_RE = /^[\w.-]+$/;
export const MODEL_ID_RE = /^[\w.-]+\/[\w.-]+$/;

/** Why one `orgs.csv` row is refused, or null: the rules of build and of `registry add` alike. */
export function orgRowProblem(row: Readonly<Record<string, string | undefined>>): string | null {
  if (!NAMESPACE_RE.test(row.org ?? '')) return `org ${JSON.stringify(row.org)} is not a Hub namespace`;
  if (!isCountryCode(row.country ?? '')) return `country ${JSON.stringify(row.country)} is not an ISO 3166-1 alpha-2 code or INTL`;
  if (!(KINDS as readonly string[]).includes(row.kind ?? '')) return `kind ${JSON.stringify(row.kind)} is not one of ${KINDS.join(', ')}`;
  return null;
}

/** A registry read as far as it can be, with every problem found (file:line: reason), in file order. */
export interface RegistryInspection {
  readonly registry: Registry;
  readonly problems: string[];
}

/**
 * Read a registry folder and collect every problem instead of stopping at the first:
 * `hubtrends registry check` lists them all, `loadRegistry` (build) refuses the first.
 */
export function inspectRegistry(dir: string, shipped = false): RegistryInspection {
  // Every build reads the registry, and a sound one needs no line numbers: csv-parse's line
  // info took 0.1 s of each build for 14,000 orgs. Only a registry with problems is read again
  // with them, so that each problem names its line.
  const fast = inspectRegistryRows(dir, shipped, false);
  return fast.problems.length === 0 ? fast : inspectRegistryRows(dir, shipped, true);
}

function inspectRegistryRows(dir: string, shipped: boolean, lines: boolean): RegistryInspection {
  const orgFile = join(dir, 'orgs.csv');
  const aliasFile = join(dir, 'aliases.csv');
  const familyFile = join(dir, 'families.csv');
  const problems: string[] = [];
  const problem = (m: string): void => void problems.push(m);
  const present = (f: string): boolean => {
    if (existsSync(f)) return true;
    problem(`registry file missing: ${f}`);
    return false;
  };
  const orgs: OrgRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, line } of present(orgFile) ? readCsv(orgFile, ['org', 'country', 'kind', 'source'], problem, lines) : []) {
    const where = `${orgFile}:${line}`;
    const bad = orgRowProblem(row);
    if (bad) {
      problem(`${where}: ${bad}`);
      continue;
    }
    if (seen.has(row.org!)) {
      problem(`${where}: duplicate org ${row.org} (first on line ${seen.get(row.org!)})`);
      continue;
    }
    seen.set(row.org!, line);
    orgs.push(row as unknown as OrgRow);
  }

  const aliases: AliasRow[] = [];
  const aliasLine = new Map<string, number>();
  for (const { row, line } of present(aliasFile) ? readCsv(aliasFile, ['from', 'to'], problem, lines) : []) {
    const where = `${aliasFile}:${line}`;
    const { from, to } = row as unknown as AliasRow;
    const nsAlias = NAMESPACE_RE.test(from) && NAMESPACE_RE.test(to);
    const idAlias = NAMESPACE_RE.test(from) && MODEL_ID_RE.test(to);
    const idToId = MODEL_ID_RE.test(from) && MODEL_ID_RE.test(to);
    if (!nsAlias && !idAlias && !idToId) {
      problem(`${where}: ${JSON.stringify(from)} → ${JSON.stringify(to)} is neither a namespace nor a model id alias`);
      continue;
    }
    if (aliasLine.has(from)) {
      problem(`${where}: duplicate alias for ${from} (first on line ${aliasLine.get(from)})`);
      continue;
    }
    aliasLine.set(from, line);
    aliases.push({ from, to });
  }
  const target = new Map(aliases.map((a) => [a.from, a.to]));
  const reported = new Set<string>();
  for (const a of aliases) {
    const chain = [a.from];
    let cur: string | undefined = a.to;
    while (cur !== undefined) {
      if (chain.includes(cur)) {
        // one report per loop, at the first of its aliases in the file
        const loop = chain.slice(chain.indexOf(cur));
        const id = [...loop].sort().join('\u0000');
        if (!reported.has(id)) problem(`${aliasFile}:${aliasLine.get(a.from)}: alias cycle ${[...chain, cur].join(' → ')}`);
        reported.add(id);
        break;
      }
      chain.push(cur);
      cur = target.get(cur);
    }
  }

  const families: FamilyRow[] = [];
  const pairs = new Set<string>();
  for (const { row, line } of present(familyFile) ? readCsv(familyFile, ['family', 'pattern'], problem, lines) : []) {
    const where = `${familyFile}:${line}`;
    if (!row.family || !row.pattern) {
      problem(`${where}: family and pattern must both be set`);
      continue;
    }
    const key = `${row.family}\u0000${row.pattern}`;
    if (pairs.has(key)) {
      problem(`${where}: duplicate row ${row.family},${row.pattern}`);
      continue;
    }
    pairs.add(key);
    families.push(row as unknown as FamilyRow);
  }
  return { registry: { dir, shipped, orgs, aliases, families, files: [orgFile, aliasFile, familyFile] }, problems };
}

/**
 * Read and validate a registry folder (DESIGN §5). Any bad row fails with file, line and reason:
 * a registry that silently drops rows would silently move downloads to `unknown`.
 */
export function loadRegistry(dir: string, shipped = false): Registry {
  const { registry, problems } = inspectRegistry(dir, shipped);
  if (problems.length > 0) throw new UsageError(problems[0]!);
  return registry;
}

/** The warehouse's own registry, else the one shipped with the package (DESIGN §5). */
export function resolveRegistry(warehouseRegistryDir: string): Registry {
  if (existsSync(join(warehouseRegistryDir, 'orgs.csv'))) return loadRegistry(warehouseRegistryDir, false);
  return loadRegistry(shippedRegistryDir, true);
}
