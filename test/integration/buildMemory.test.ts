import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { packageRoot } from '../../pipeline/paths.js';
import { publishSnapshot, queryWarehouse, row, tempDir, writeRegistry } from '../helpers.js';

const cli = join(packageRoot, 'dist', 'pipeline', 'cli.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd, env: { PATH: process.env.PATH, TZ: 'UTC', ...env }, timeout: 60_000 });
  return { code: r.status, stderr: r.stderr };
}

describe('build memory budget', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse');
  const memoryLimit = async () => (await queryWarehouse<{ m: string }>(wh, "SELECT info->>'memory_limit' AS m FROM build_info"))[0]!.m;

  beforeAll(async () => {
    writeRegistry(wh, ['acme-us,US,company,test']);
    await publishSnapshot(wh, '2025-01-06', [row({ model_id: 'acme-us/a', downloads_all_time: 10, downloads_30d: 10 })]);
    await publishSnapshot(wh, '2025-01-13', [row({ model_id: 'acme-us/a', downloads_all_time: 30, downloads_30d: 25 })]);
  });
  afterAll(() => tmp.cleanup());

  it('refuses a size DuckDB would not take, naming it, from the flag, the environment and the config file', () => {
    const flag = run(['build', '--warehouse', wh, '--memory', 'lots']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('"lots"');
    const env = run(['build', '--warehouse', wh], { HUBTRENDS_MEMORY: '3' });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('"3"');
    writeFileSync(join(tmp.dir, 'hubtrends.config.json'), JSON.stringify({ memory: '0GiB' }));
    const file = run(['build', '--warehouse', wh], {}, tmp.dir);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('"0GiB"');
  });

  it('gives DuckDB the budget (default 2 GiB; flag beats env) and leaves no spill folder behind', async () => {
    expect(run(['build', '--warehouse', wh]).code).toBe(0);
    expect(await memoryLimit()).toBe('2.0 GiB');
    expect(run(['build', '--warehouse', wh, '--memory', '256MiB'], { HUBTRENDS_MEMORY: '300MiB' }).code).toBe(0);
    expect(await memoryLimit()).toBe('256.0 MiB');
    expect(existsSync(join(wh, '.build'))).toBe(false);
  }, 120_000);

  it('refuses a registry broken after a build while copying the database, leaving the published one as it was', () => {
    expect(run(['build', '--warehouse', wh]).code).toBe(0);
    const database = join(wh, 'hubtrends.duckdb');
    const digest = () => createHash('sha256').update(readFileSync(database)).digest('hex');
    const before = digest();
    const orgs = join(wh, 'registry', 'orgs.csv');
    const good = readFileSync(orgs, 'utf8');
    writeFileSync(orgs, good + 'acme-xx,XX,company,test\n');
    try {
      const r = run(['build', '--warehouse', wh]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${orgs}:3: country "XX"`);
      expect(existsSync(join(wh, '.build')), 'the work folder and its copy are removed').toBe(false);
      expect(digest()).toBe(before);
    } finally {
      writeFileSync(orgs, good);
    }
  }, 120_000);
});
