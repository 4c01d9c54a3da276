import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { loadRegistry, KINDS } from '../../pipeline/build/registry.js';
import { shippedRegistryDir } from '../../pipeline/paths.js';
import { coverage, fixturesDir, namespaceOf, realListings } from '../bench/registryCoverage.js';

const registry = loadRegistry(shippedRegistryDir, true);
const listings = realListings();

describe('the shipped registry on real listings', () => {
  // Targets of issue 12: a registry row for the namespace of ≥97% of the 2022 listing's downloads
  // and ≥90% of the 2026 trending downloads, after aliases.
  it('covers at least 97% of the February 2022 API sample', () => {
    const c = coverage(listings['hub-api-2022-sample']!, registry);
    expect(c.models).toBe(250);
    expect(c.share).toBeGreaterThanOrEqual(0.97);
  });

  it('covers at least 90% of the 2026 trending listing', () => {
    const c = coverage(listings['trending-2026']!, registry);
    expect(c.models).toBeGreaterThanOrEqual(100);
    expect(c.share).toBeGreaterThanOrEqual(0.9);
  });

  it('covers every download of the TAIDE tracker', () => {
    const c = coverage(listings.taide!, registry);
    expect(c.downloads).toBeGreaterThan(0);
    expect(c.unmapped).toEqual([]);
  });

  it('resolves legacy ids and renamed namespaces the way build does', () => {
    expect(namespaceOf({ id: 'gpt2', downloads: 1 }, registry)).toBe('openai-community');
    expect(namespaceOf({ id: 'THUDM/glm-4-9b', downloads: 1 }, registry)).toBe('zai-org');
    expect(namespaceOf({ id: 'legacy-id-without-alias', author: 'someone', downloads: 1 }, registry)).toBe('someone');
  });
});

describe('every row of the shipped registry', () => {
  const text = readFileSync(join(shippedRegistryDir, 'orgs.csv'), 'utf8');
  const rows = parse(text, { columns: true }) as Record<string, string>[];

  it('validates and says where its attribution comes from', () => {
    // loadRegistry above would have thrown on a malformed row; here the rules it does not check.
    expect(rows.length).toBe(registry.orgs.length);
    for (const r of rows) {
      expect(r.source!.trim(), `${r.org}: source`).not.toBe('');
      expect(KINDS as readonly string[], `${r.org}: kind`).toContain(r.kind);
      expect(r.source, `${r.org}: no trailing spaces`).toBe(r.source!.trim());
    }
    expect(text.endsWith('\n') && !text.includes('\r')).toBe(true);
  });

  it('keeps the seed block first and the additions sorted by org', () => {
    const seed = rows.filter((r) => r.source!.startsWith('tracked-models (Apache-2.0)'));
    const additions = rows.slice(seed.length);
    expect(rows.slice(0, seed.length)).toEqual(seed);
    const orgs = additions.map((r) => r.org!);
    // Namespaces are ASCII, so code-unit order is byte order.
    expect(orgs).toEqual([...orgs].sort());
  });

  it('names the listing each 2026 fixture row was copied from', () => {
    const fixture = parse(readFileSync(join(fixturesDir, 'trending-2026.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const ids = fixture.map((r) => r.model_id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of fixture) {
      expect(r.listing, r.model_id).toMatch(/^https:\/\/huggingface\.co\//);
      expect(Number(r.downloads), r.model_id).toBeGreaterThan(0);
    }
  });
});
