import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotDir, warehousePaths } from '../../pipeline/paths.js';
import { readManifest } from '../../pipeline/storage/manifest.js';
import { publishedSnapshots } from '../../pipeline/storage/publishedSnapshots.js';
import { publishSnapshot, row, tempDir, writeRegistry } from '../helpers.js';
import { runCli, startCli } from '../spawnCli.js';

/** SIGKILL an `import --replace` between moving the old snapshot aside and moving the new one in. */
async function killMidReplace(wh: string, file: string): Promise<void> {
  const p = startCli(['import', file, '--format', 'api-jsonl', '--snapshot', '2025-01-13', '--replace', '--warehouse', wh], { HUBTRENDS_PAUSE_AT: 'replace-swap' });
  await p.until('paused at replace-swap');
  p.child.kill('SIGKILL');
  expect((await p.exited).signal).toBe('SIGKILL');
}

describe('a --replace killed mid-publish is finished or rolled back by the next command', () => {
  const tmp = tempDir();
  const newer = join(tmp.dir, 'new.jsonl');
  const date = '2025-01-13';
  let oldSha = '';

  beforeAll(() => {
    writeFileSync(newer, ['a', 'b', 'c'].map((m, i) => JSON.stringify({ id: `acme-us/${m}`, downloads: i, downloadsAllTime: 10 + i, likes: 0 })).join('\n') + '\n');
  });
  afterAll(() => tmp.cleanup());

  const lake = async (name: string): Promise<string> => {
    const wh = join(tmp.dir, name);
    writeRegistry(wh, ['acme-us,US,company,test']);
    await publishSnapshot(wh, '2025-01-06', [row({ model_id: 'acme-us/a', downloads_all_time: 5 })]);
    await publishSnapshot(wh, date, [row({ model_id: 'acme-us/a', downloads_all_time: 7 })]);
    oldSha = readManifest(snapshotDir(warehousePaths(wh), date))!.sha256;
    return wh;
  };

  it('build finishes a replace whose new snapshot was complete, then builds on every snapshot', async () => {
    const wh = await lake('finish');
    await killMidReplace(wh, newer);
    expect(existsSync(snapshotDir(warehousePaths(wh), date))).toBe(false); // the state the crash leaves
    const r = runCli(['build', '--warehouse', wh, '--log-level', 'warn']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('an interrupted --replace was finished');
    expect(r.stdout).toContain('2 snapshots');
    expect(readManifest(snapshotDir(warehousePaths(wh), date))!.rows).toBe(3);
    expect(existsSync(join(warehousePaths(wh).staging, `snapshot=${date}`))).toBe(false);
  });

  it('a reader of the lake rolls back a replace whose new snapshot was incomplete', async () => {
    const wh = await lake('rollback');
    await killMidReplace(wh, newer);
    rmSync(join(warehousePaths(wh).staging, `snapshot=${date}`, 'out', 'manifest.json'));
    expect(publishedSnapshots(wh)).toEqual(['2025-01-06', date]);
    expect(readManifest(snapshotDir(warehousePaths(wh), date))!.sha256).toBe(oldSha);
    expect(existsSync(warehousePaths(wh).lock)).toBe(false);
  });
});
