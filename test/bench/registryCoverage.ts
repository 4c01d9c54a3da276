import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { loadRegistry, type Registry } from '../../pipeline/build/registry.js';
import { packageRoot, shippedRegistryDir } from '../../pipeline/paths.js';

/** One model of a real listing: its id as listed, its uploader when the id has no namespace. */
export interface ListedModel {
  id: string;
  author?: string;
  downloads: number;
}

export interface Coverage {
  models: number;
  downloads: number;
  covered: number;
  share: number;
  /** Namespaces without a registry row, by downloads (largest first, then by name). */
  unmapped: [string, number][];
}

/**
 * The namespace `build` attributes a model to: legacy-id aliases first (gpt2 →
 * openai-community/gpt2), then namespace renames followed to the end (THUDM → zai-org), as in
 * sql/050_model_origin.sql. Kept beside the SQL so the figures measured here are the ones a
 * build would report.
 */
export function namespaceOf(model: ListedModel, registry: Registry): string | undefined {
  const idAlias = registry.aliases.find((a) => a.from === model.id && a.to.includes('/'));
  const id = idAlias?.to ?? model.id;
  let ns = id.includes('/') ? id.split('/')[0] : model.author;
  const renames = new Map(registry.aliases.filter((a) => !a.from.includes('/') && !a.to.includes('/')).map((a) => [a.from, a.to]));
  // loadRegistry has refused cycles, so this walk ends.
  while (ns !== undefined && renames.has(ns)) ns = renames.get(ns);
  return ns;
}

/** Share of a listing's downloads whose namespace has a registry row. */
export function coverage(models: readonly ListedModel[], registry: Registry): Coverage {
  const orgs = new Set(registry.orgs.map((o) => o.org));
  let downloads = 0;
  let covered = 0;
  const unmapped = new Map<string, number>();
  for (const m of models) {
    downloads += m.downloads;
    const ns = namespaceOf(m, registry);
    if (ns !== undefined && orgs.has(ns)) covered += m.downloads;
    else unmapped.set(ns ?? '(none)', (unmapped.get(ns ?? '(none)') ?? 0) + m.downloads);
  }
  return {
    models: models.length,
    downloads,
    covered,
    share: downloads === 0 ? 1 : covered / downloads,
    unmapped: [...unmapped].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
  };
}

/** The Hub's /api/models objects of February 2022, one a line (test/fixtures/hub-api-2022-sample.jsonl). */
export function readApiJsonl(file: string): ListedModel[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const o = JSON.parse(l) as { modelId?: string; id?: string; author?: string; downloads?: number };
      return { id: (o.id ?? o.modelId)!, author: o.author, downloads: o.downloads ?? 0 };
    });
}

/** A listing recorded as CSV with `model_id` and `downloads` columns (test/fixtures/trending-2026.csv). */
export function readListingCsv(file: string): ListedModel[] {
  const rows = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return rows.map((r) => ({ id: r.model_id!, downloads: Number(r.downloads) }));
}

/** The TAIDE tracker's monthly files: every month's 30-day downloads of every model. */
export function readTaideTracker(dir: string): ListedModel[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .flatMap((f) => {
      const rows = parse(readFileSync(join(dir, f), 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
      return rows.map((r) => ({ id: r.model_url!, downloads: Number(r.downloads) }));
    });
}

export const fixturesDir = join(packageRoot, 'test', 'fixtures');

/** The three real listings the registry is measured on, by name. */
export function realListings(dir = fixturesDir): Record<string, ListedModel[]> {
  return {
    'hub-api-2022-sample': readApiJsonl(join(dir, 'hub-api-2022-sample.jsonl')),
    'trending-2026': readListingCsv(join(dir, 'trending-2026.csv')),
    taide: readTaideTracker(join(dir, 'taide')),
  };
}

function main(): void {
  const registry = loadRegistry(shippedRegistryDir, true);
  const out: string[] = [`registry: ${registry.orgs.length} namespaces, ${registry.aliases.length} aliases`];
  for (const [name, models] of Object.entries(realListings())) {
    const c = coverage(models, registry);
    out.push(`${name}: ${c.models} models, ${c.downloads} downloads, ${(100 * c.share).toFixed(2)}% with a registry row`);
    for (const [ns, d] of c.unmapped.slice(0, 15)) out.push(`  unmapped ${ns}: ${d}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
