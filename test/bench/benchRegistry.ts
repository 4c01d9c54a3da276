import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The synthetic lake's uploaders are org0 … org19999 (sql/bench/synthetic_snapshot.sql). */
const BENCH_ORGS = 20_000;

/**
 * Countries by share of the mapped organisations: China and the United States 15% each, the rest
 * 5% each, so that the origin measures have about as many keys as the Hub's.
 */
const COUNTRIES = ['CN', 'US', 'CN', 'US', 'FR', 'DE', 'GB', 'KR', 'JP', 'CA', 'CN', 'US', 'IN', 'IL', 'AE', 'SG', 'CH', 'NL', 'SE', 'TW'] as const;

/**
 * A registry for the bench lake, written into its warehouse when it has none. The shipped
 * registry names real namespaces, none of which the synthetic lake holds: every download would be
 * of unknown origin and the origin, family and curation figures of the bench degenerate. This one
 * gives 70% of the organisations a country (the share of Hub downloads a registry attributes is
 * 60-80%) and the first 60 mapped ones a model family.
 */
export function writeBenchRegistry(registryDir: string): boolean {
  if (existsSync(join(registryDir, 'orgs.csv'))) return false;
  mkdirSync(registryDir, { recursive: true });
  const orgs = ['org,country,kind,source'];
  const families = ['family,pattern'];
  for (let i = 0; i < BENCH_ORGS; i++) {
    if (i % 10 >= 7) continue;
    orgs.push(`org${i},${COUNTRIES[Math.floor(i / 10) % COUNTRIES.length]},company,synthetic bench registry`);
    if (families.length <= 60) families.push(`Family${i},org${i}/%`);
  }
  writeFileSync(join(registryDir, 'orgs.csv'), `${orgs.join('\n')}\n`);
  writeFileSync(join(registryDir, 'aliases.csv'), 'from,to\n');
  writeFileSync(join(registryDir, 'families.csv'), `${families.join('\n')}\n`);
  return true;
}
