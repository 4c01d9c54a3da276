import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectRegistry } from '../../pipeline/build/registry.js';
import { writeBenchRegistry } from '../bench/benchRegistry.js';

describe('the bench registry', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('is a registry build accepts, giving 70% of the synthetic organisations a country, and is never written over', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hubtrends-bench-registry-'));
    dirs.push(dir);
    expect(writeBenchRegistry(dir)).toBe(true);
    const { registry, problems } = inspectRegistry(dir);
    expect(problems).toEqual([]);
    expect(registry.orgs).toHaveLength(14_000);
    const share = (c: string) => registry.orgs.filter((o) => o.country === c).length / registry.orgs.length;
    expect(share('CN')).toBeCloseTo(0.15, 2);
    expect(share('US')).toBeCloseTo(0.15, 2);
    expect(registry.families).toHaveLength(60);
    expect(writeBenchRegistry(dir)).toBe(false);
  });
});
