import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LATEST_FILE, readLatest, updateLatest } from '../../pipeline/report/latest.js';
import { deps, tempDir } from '../helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;

/** A reports folder with report folders (each holding a report.md) of the given names. */
function reportsWith(...dirs: string[]): string {
  const root = join(tmp.dir, `reports-${++n}`);
  for (const d of dirs) {
    mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, d, 'report.md'), `# ${d}\n`);
  }
  return root;
}

describe('reports/latest.json', () => {
  it('is written for the first report, with paths relative to the reports folder', () => {
    const root = reportsWith('2025-08-25');
    expect(readLatest(root)).toBeNull();
    expect(updateLatest(root, join(root, '2025-08-25'), '2025-08-25', true, deps.logger)).toBe(true);
    expect(JSON.parse(readFileSync(join(root, LATEST_FILE), 'utf8'))).toEqual({
      as_of: '2025-08-25',
      dir: '2025-08-25',
      report: '2025-08-25/report.md',
      manifest: '2025-08-25/manifest.json',
      synthetic: true,
    });
    expect(readdirSync(root).sort()).toEqual(['2025-08-25', LATEST_FILE]);
  });

  it('moves forward to a newer as-of, stays on it for an older one, and takes a rewrite of the same date', () => {
    const root = reportsWith('2025-08-18', '2025-08-25', 'again/2025-08-25');
    expect(updateLatest(root, join(root, '2025-08-18'), '2025-08-18', false, deps.logger)).toBe(true);
    expect(updateLatest(root, join(root, '2025-08-25'), '2025-08-25', false, deps.logger)).toBe(true);
    expect(updateLatest(root, join(root, '2025-08-18'), '2025-08-18', false, deps.logger)).toBe(false);
    expect(readLatest(root)?.as_of).toBe('2025-08-25');
    expect(updateLatest(root, join(root, 'again', '2025-08-25'), '2025-08-25', false, deps.logger)).toBe(true);
    expect(readLatest(root)).toMatchObject({ dir: 'again/2025-08-25', report: 'again/2025-08-25/report.md' });
  });

  it('replaces a pointer that is unreadable or leads to a deleted report', () => {
    const root = reportsWith('2025-08-18', '2025-08-25');
    writeFileSync(join(root, LATEST_FILE), '{ not json');
    expect(readLatest(root)).toBeNull();
    expect(updateLatest(root, join(root, '2025-08-25'), '2025-08-25', false, deps.logger)).toBe(true);
    rmSync(join(root, '2025-08-25'), { recursive: true });
    expect(updateLatest(root, join(root, '2025-08-18'), '2025-08-18', false, deps.logger)).toBe(true);
    expect(readLatest(root)?.as_of).toBe('2025-08-18');
  });

  it('never points outside the reports folder, nor at the folder itself', () => {
    const root = reportsWith();
    const outside = join(tmp.dir, 'somewhere-else');
    mkdirSync(outside, { recursive: true });
    expect(updateLatest(root, outside, '2025-08-25', false, deps.logger)).toBe(false);
    expect(updateLatest(root, root, '2025-08-25', false, deps.logger)).toBe(false);
    expect(readLatest(root)).toBeNull();
  });
});
