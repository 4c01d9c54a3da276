import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../pipeline/paths.js';
import { tempDir } from '../helpers.js';

const cli = join(packageRoot, 'dist', 'pipeline', 'cli.js');

describe('build --warehouse of a folder that does not exist (a real process)', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('exits 2 naming the folder, and creates nothing', () => {
    const missing = join(tmp.dir, 'typo', 'warehouse');
    const r = spawnSync(process.execPath, [cli, 'build', '--warehouse', missing], { encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'UTC' }, timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`no warehouse folder ${missing}`);
    expect(existsSync(join(tmp.dir, 'typo'))).toBe(false);
  });

  it('exits 2 when the warehouse path is a file', () => {
    const file = join(tmp.dir, 'a-file');
    writeFileSync(file, 'x');
    const r = spawnSync(process.execPath, [cli, 'build', '--warehouse', file], { encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'UTC' }, timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`"${file}" is a file, not a folder`);
  });
});
