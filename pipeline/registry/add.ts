import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectRegistry, orgRowProblem, type OrgRow } from '../build/registry.js';
import { UsageError } from '../errors.js';

/** One CSV field as the registry writes it: quoted only when it must be (RFC 4180). */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Lines of orgs.csv after the header, as they are (quoting kept), with each line's org. */
function orgLines(text: string): { line: string; org: string }[] {
  return text
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((line) => ({ line, org: line.startsWith('"') ? JSON.parse(line.slice(0, line.indexOf('"', 1) + 1)) as string : line.slice(0, line.indexOf(',')) }));
}

/**
 * Where a new row goes: the file holds the seed block (sorted without regard to case), then the
 * additions sorted by org in byte order (registry/README.md). The additions start at the first row
 * that sorts before the one above it without regard to case; with none yet, they start at the end.
 */
export function insertionIndex(orgs: readonly string[], org: string): number {
  let start = orgs.length;
  for (let i = 1; i < orgs.length; i++) {
    if (orgs[i]!.toLowerCase() < orgs[i - 1]!.toLowerCase()) {
      start = i;
      break;
    }
  }
  let i = start;
  while (i < orgs.length && orgs[i]! < org) i++;
  return i;
}

/**
 * `hubtrends registry add NAMESPACE COUNTRY --kind K --source S`: one reviewed row into orgs.csv,
 * checked by the same rules as build (orgRowProblem), refused without a source or when the
 * namespace already has a row, placed where the file's order puts it, written by rename.
 * Returns the file and the line the row landed on.
 */
export function registryAdd(registryDir: string, row: OrgRow): { file: string; line: number } {
  const file = join(registryDir, 'orgs.csv');
  const { registry, problems } = inspectRegistry(registryDir);
  const orgProblems = problems.filter((p) => p.startsWith(file));
  if (orgProblems.length > 0) throw new UsageError(`${orgProblems[0]} (fix orgs.csv first; "hubtrends registry check" lists every problem)`);
  const org = row.org.trim();
  const source = row.source.trim();
  const candidate = { org, country: row.country.trim(), kind: row.kind, source };
  const bad = orgRowProblem(candidate);
  if (bad) throw new UsageError(`registry add: ${bad}`);
  if (source === '') throw new UsageError('registry add: --source is required: a URL or citation saying why this namespace has this country');
  if (/[\r\n]/.test(source)) throw new UsageError('registry add: --source must be one line');
  const existing = registry.orgs.find((o) => o.org === org);
  if (existing) throw new UsageError(`registry add: ${org} already has a row (${existing.country}, ${existing.kind}, ${existing.source}); edit orgs.csv to change it`);
  const text = readFileSync(file, 'utf8');
  const lines = orgLines(text);
  const at = insertionIndex(lines.map((l) => l.org), org);
  const newLine = [org, candidate.country, candidate.kind, source].map(field).join(',');
  const header = text.split('\n', 1)[0]!;
  const out = [header, ...lines.slice(0, at).map((l) => l.line), newLine, ...lines.slice(at).map((l) => l.line)].join('\n') + '\n';
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, out);
  renameSync(tmp, file);
  return { file, line: at + 2 };
}
