import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { loadRegistry, isCountryCode } from '../../pipeline/build/registry.js';
import { shippedRegistryDir } from '../../pipeline/paths.js';
import { UsageError } from '../../pipeline/errors.js';
import { tempDir, writeRegistry } from '../helpers.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

function registryWith(orgs: string[], aliases: string[] = [], families: string[] = []): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  writeRegistry(t.dir, orgs, aliases, families);
  return join(t.dir, 'registry');
}

function failure(dir: string): UsageError {
  try {
    loadRegistry(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected the registry to be refused');
}

describe('registry validation', () => {
  it('accepts the shipped registry: at least 300 namespaces, valid aliases and families', () => {
    const r = loadRegistry(shippedRegistryDir, true);
    expect(r.orgs.length).toBeGreaterThanOrEqual(300);
    const byOrg = new Map(r.orgs.map((o) => [o.org, o]));
    expect(byOrg.get('Qwen')?.country).toBe('CN');
    expect(byOrg.get('meta-llama')?.country).toBe('US');
    expect(byOrg.get('mistralai')?.country).toBe('FR');
    expect(byOrg.get('tiiuae')?.country).toBe('AE');
    expect(byOrg.get('unsloth')?.kind).toBe('intermediary');
    expect(r.aliases.find((a) => a.from === 'gpt2')?.to).toBe('openai-community/gpt2');
    expect(r.aliases.find((a) => a.from === 'THUDM')?.to).toBe('zai-org');
    for (const a of r.aliases) {
      const ns = a.to.includes('/') ? a.to.split('/')[0]! : a.to;
      expect(byOrg.has(ns), `alias target ${a.to} has an org row`).toBe(true);
    }
    expect(r.families.some((f) => f.family === 'Qwen')).toBe(true);
  });

  it('knows ISO codes and INTL, and refuses made-up ones', () => {
    for (const c of ['CN', 'US', 'FR', 'AE', 'KR', 'INTL']) expect(isCountryCode(c), c).toBe(true);
    for (const c of ['XX', 'ZZ', 'QX', 'EU', 'cn', 'USA', '']) expect(isCountryCode(c), c).toBe(false);
  });

  it('refuses an unknown country code with file, line and reason', () => {
    const e = failure(registryWith(['a,US,company,x', 'b,ZZ,company,x']));
    expect(e.message).toMatch(/orgs\.csv:3: country "ZZ" is not an ISO 3166-1 alpha-2 code or INTL/);
    expect(e.exitCode).toBe(2);
  });

  it('names the file line of a problem after blank lines and a quoted field across lines', () => {
    // rows: a (line 2), blank (3), b with a two-line source (4-5), blank (6), c (7)
    const e = failure(registryWith(['a,US,company,x', '', 'b,CN,lab,"first line', 'second line"', '', 'c,ZZ,lab,x']));
    expect(e.message).toMatch(/orgs\.csv:7: country "ZZ"/);
    expect(failure(registryWith(['a,US,company,x', '', 'b,CN,lab,"two', 'lines"', 'a,CN,lab,x'])).message).toMatch(/orgs\.csv:6: duplicate org a \(first on line 2\)/);
  });

  it('refuses a duplicate namespace, naming both lines', () => {
    expect(failure(registryWith(['a,US,company,x', 'b,CN,lab,x', 'a,CN,lab,x'])).message).toMatch(/orgs\.csv:4: duplicate org a \(first on line 2\)/);
  });

  it('refuses an unknown kind and a malformed line', () => {
    expect(failure(registryWith(['a,US,startup,x'])).message).toMatch(/orgs\.csv:2: kind "startup"/);
    expect(failure(registryWith(['a,US,company'])).message).toMatch(/orgs\.csv:2: expected 4 fields/);
    expect(failure(registryWith(['a,US,company,"unterminated'])).message).toMatch(/orgs\.csv:\d+: malformed CSV/);
  });

  it('refuses an alias cycle and a duplicate alias', () => {
    expect(failure(registryWith(['a,US,company,x'], ['x,y', 'y,z', 'z,x'])).message).toMatch(/aliases\.csv:\d+: alias cycle x → y → z → x/);
    expect(failure(registryWith(['a,US,company,x'], ['x,y', 'x,z'])).message).toMatch(/aliases\.csv:3: duplicate alias for x/);
  });

  it('refuses a bad header', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    writeRegistry(t.dir, []);
    writeFileSync(join(t.dir, 'registry', 'families.csv'), 'name,like\nQwen,Qwen/%\n');
    expect(failure(join(t.dir, 'registry')).message).toMatch(/families\.csv:1: expected the header family,pattern/);
  });
});
