import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { warehousePaths } from '../../pipeline/paths.js';
import { tempDir } from '../helpers.js';
import { runCli } from '../spawnCli.js';

/** Leftovers and mistakes in the warehouse folder get a message a person can act on. */
describe('clear messages for a confusing warehouse folder', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('a lock file that holds no lock of ours exits 3 naming the file and its content', () => {
    const wh = join(tmp.dir, 'locked');
    mkdirSync(wh, { recursive: true });
    for (const garbage of ['42', '{}', 'null', '{"pid":"x"}', '\u0000\u0001']) {
      writeFileSync(warehousePaths(wh).lock, garbage);
      const r = runCli(['build', '--warehouse', wh]);
      expect(r.code, garbage).toBe(3);
      expect(r.stderr).toContain(`${warehousePaths(wh).lock} holds no hubtrends lock (it reads ${JSON.stringify(garbage)})`);
      expect(r.stderr).not.toContain('undefined');
    }
  });

  it('a warehouse path that is a file exits 2 saying so', () => {
    const file = join(tmp.dir, 'not-a-folder');
    writeFileSync(file, 'x');
    for (const cmd of [['build'], ['import', file, '--format', 'api-jsonl', '--snapshot', '2025-01-06'], ['report']]) {
      const r = runCli([...cmd, '--warehouse', file]);
      expect(r.code, cmd[0]).toBe(2);
      expect(r.stderr).toContain(`--warehouse: ${JSON.stringify(file)} is a file, not a folder`);
      expect(r.stderr).not.toMatch(/EEXIST/);
    }
  });
});
