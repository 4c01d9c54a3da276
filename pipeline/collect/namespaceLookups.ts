import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database, readSql, sqlLiteral } from '../duckdb.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { HubError } from '../errors.js';
import type { HubClient, OverviewAnswer } from '../hub/HubClient.js';
import type { Registry } from '../build/registry.js';
import { publishedSnapshots } from '../storage/publishedSnapshots.js';
import { snapshotDir, type WarehousePaths } from '../paths.js';

/** Namespaces looked up per crawl unless the caller says otherwise (`collect --lookups N`). */
export const DEFAULT_NAMESPACE_LOOKUPS = 2000;
/** A lookup is trusted this long; older ones are asked again. */
export const LOOKUP_TTL_MS = 90 * 86_400_000;
/** After this many lookups in a row without an answer the hub is not answering: stop asking. */
const GIVE_UP_AFTER = 10;

/** What the Hub said about one namespace; a row of `namespaces.parquet` (DESIGN §4). */
export interface NamespaceLookup {
  readonly namespace: string;
  /** `org` or `user` as the Hub's `authorData.type` says; `not_found` when neither endpoint knows it. */
  readonly kind: 'org' | 'user' | 'not_found';
  readonly display_name: string | null;
  /** ISO 8601 UTC. */
  readonly looked_up_at: string;
}

export interface LookupStats {
  /** Unmapped namespaces chosen for this snapshot (the top ones by 30-day downloads). */
  candidates: number;
  /** Answered by a lookup of an earlier snapshot younger than 90 days, or of this crawl before a restart. */
  cached: number;
  /** Asked and answered now. */
  answered: number;
  /** Asked and left unanswered (they stay unknown). */
  failed: number;
}

/** The staged lookups of one snapshot: one JSON object a line, appended as answers arrive. */
export function stagedLookupsFile(stageDir: string): string {
  return join(stageDir, 'namespaces.jsonl');
}

/** Namespaces the registry attributes: its rows, and every alias whose chain ends at one. */
export function mappedNamespaces(registry: Registry): string[] {
  const orgs = new Set(registry.orgs.map((o) => o.org));
  const to = new Map(registry.aliases.filter((a) => !a.from.includes('/') && !a.to.includes('/')).map((a) => [a.from, a.to]));
  const out = new Set(orgs);
  for (const from of to.keys()) {
    let cur: string | undefined = from;
    for (let hops = 0; cur !== undefined && hops < 16; hops++) {
      if (orgs.has(cur)) {
        out.add(from);
        break;
      }
      cur = to.get(cur);
    }
  }
  return [...out].sort();
}

function readStaged(file: string): Map<string, NamespaceLookup> {
  const out = new Map<string, NamespaceLookup>();
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const l = JSON.parse(line) as NamespaceLookup;
      out.set(l.namespace, l);
    } catch {
      // a line cut short by a kill: that namespace is simply asked again
    }
  }
  return out;
}

function textOf(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/**
 * Ask the Hub what one namespace is. The user endpoint first: most unmapped namespaces are
 * people. Its answer carries `type` like `authorData`; a 404 there sends us to the
 * organisation endpoint. Endpoints as huggingface_hub's `get_user_overview` /
 * `get_organization_overview` call them (see pipeline/hub/README.md).
 */
async function lookUp(client: HubClient, namespace: string, now: Date, signal?: AbortSignal): Promise<NamespaceLookup> {
  const name = encodeURIComponent(namespace);
  const at = now.toISOString();
  const user: OverviewAnswer = await client.fetchOverview(`/api/users/${name}/overview`, signal);
  if (user.status === 200) {
    const kind = user.body.type === 'org' ? 'org' : 'user';
    return { namespace, kind, display_name: textOf(user.body.fullname), looked_up_at: at };
  }
  const org = await client.fetchOverview(`/api/organizations/${name}/overview`, signal);
  if (org.status === 200) return { namespace, kind: 'org', display_name: textOf(org.body.fullname), looked_up_at: at };
  return { namespace, kind: 'not_found', display_name: null, looked_up_at: at };
}

/**
 * Learn the kind (organisation or user) and display name of the most downloaded namespaces of a
 * staged crawl that the registry does not attribute (DESIGN §3–4). Bounded by `limit`; answers
 * younger than 90 days, from earlier snapshots or from this crawl before a restart, are reused;
 * each answer is appended to the stage at once, so a killed crawl resumes its lookups. It never
 * fails the crawl: an unanswered namespace stays unknown. Only an abort (a signal) propagates.
 */
export async function lookUpNamespaces(args: {
  readonly paths: WarehousePaths;
  readonly stageDir: string;
  readonly pagesGlob: string;
  readonly registry: Registry;
  readonly client: HubClient;
  readonly limit: number;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
}): Promise<LookupStats> {
  const { logger, clock, signal } = args;
  const stats: LookupStats = { candidates: 0, cached: 0, answered: 0, failed: 0 };
  if (args.limit <= 0) return stats;
  const file = stagedLookupsFile(args.stageDir);
  logger.debug({ limit: args.limit }, 'namespace lookups started');
  let candidates: string[];
  let known: Map<string, NamespaceLookup>;
  try {
    const earlier = publishedSnapshots(args.paths.root)
      .map((d) => join(snapshotDir(args.paths, d), 'namespaces.parquet'))
      .filter((f) => existsSync(f));
    ({ candidates, known } = await Database.with(':memory:', { memoryLimit: '96MB', threads: 1 }, async (db) => {
      await db.setVariable('stage_glob', args.pagesGlob);
      await db.setVariable('mapped', mappedNamespaces(args.registry));
      await db.setVariable('lookup_limit', String(args.limit));
      const top = await db.rows<{ namespace: string }>(readSql('stage/unmapped_namespace_downloads.sql'));
      const cache = new Map<string, NamespaceLookup>();
      if (earlier.length > 0) {
        await db.setVariable('namespace_files', earlier);
        for (const r of await db.rows<NamespaceLookup>(readSql('stage/known_namespaces.sql'))) cache.set(r.namespace, r);
      }
      return { candidates: top.map((r) => r.namespace), known: cache };
    }));
  } catch (err) {
    logger.warn({ err: { message: (err as Error).message } }, 'namespace lookups skipped: the staged crawl could not be read for candidates');
    return stats;
  }
  const staged = readStaged(file);
  // A line cut short by a kill would run into the next one appended: keep only whole lines.
  if (staged.size > 0) writeFileSync(file, [...staged.values()].map((l) => `${JSON.stringify(l)}\n`).join(''));
  for (const [ns, l] of staged) known.set(ns, l);
  logger.debug({ candidates: candidates.length, known: known.size }, 'namespace lookup candidates chosen');
  stats.candidates = candidates.length;
  const now = clock.now();
  let misses = 0;
  for (const namespace of candidates) {
    if (signal?.aborted) throw signal.reason;
    const prior = known.get(namespace);
    if (prior && now.getTime() - Date.parse(prior.looked_up_at) < LOOKUP_TTL_MS) {
      stats.cached++;
      // carried into this snapshot, so each snapshot's file says all that was known then
      if (!staged.has(namespace)) appendFileSync(file, `${JSON.stringify(prior)}\n`);
      continue;
    }
    if (misses >= GIVE_UP_AFTER) {
      stats.failed++;
      continue;
    }
    try {
      const l = await lookUp(args.client, namespace, clock.now(), signal);
      appendFileSync(file, `${JSON.stringify(l)}\n`);
      stats.answered++;
      misses = 0;
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      stats.failed++;
      misses++;
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof HubError) logger.warn({ namespace, error: message }, 'namespace lookup unanswered; it stays unknown');
      else logger.error({ namespace, error: message }, 'namespace lookup failed unexpectedly; it stays unknown');
      if (misses === GIVE_UP_AFTER) logger.warn({ left: candidates.length - stats.cached - stats.answered - stats.failed }, 'the hub is not answering namespace lookups; the rest stay unknown this time');
    }
  }
  logger.info(stats, 'namespace lookups finished');
  return stats;
}

/** Write `namespaces.parquet` into `outDir` from the staged lookups; returns its row count (0: no file). */
export async function writeNamespacesParquet(stageDir: string, outDir: string): Promise<number> {
  const file = stagedLookupsFile(stageDir);
  if (!existsSync(file) || readFileSync(file, 'utf8').trim() === '') return 0;
  const out = join(outDir, 'namespaces.parquet');
  return Database.with(':memory:', { memoryLimit: '96MB', threads: 1 }, async (db) => {
    await db.setVariable('lookups_file', file);
    await db.run(readSql('stage/namespaces_parquet.sql'));
    await db.run(`COPY staged_namespaces TO ${sqlLiteral(out)} (FORMAT parquet, COMPRESSION zstd)`);
    const [r] = await db.rows<{ n: string }>('SELECT count(*)::VARCHAR AS n FROM staged_namespaces');
    return Number(r!.n);
  });
}
