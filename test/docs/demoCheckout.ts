import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../pipeline/paths.js';
import { tempDir } from '../helpers.js';

export const cli = join(packageRoot, 'dist', 'pipeline', 'cli.js');

/**
 * A folder laid out like a checkout on which only the Quick start has been run: the committed
 * registry in `warehouse/registry/`, and the demo's warehouse and report (`npm run demo`), here
 * of a smaller synthetic hub for speed.
 */
export function demoCheckout(): { dir: string; cleanup: () => void } {
  const tmp = tempDir('hubtrends-docs-');
  cpSync(join(packageRoot, 'warehouse', 'registry'), join(tmp.dir, 'warehouse', 'registry'), { recursive: true });
  const r = spawnSync(process.execPath, [cli, 'demo', '--models', '1500', '--weeks', '4'], { cwd: tmp.dir, encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'UTC' }, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`demo failed (${r.status}): ${r.stderr}`);
  return tmp;
}
