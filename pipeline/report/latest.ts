import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Logger } from '../log.js';
import { writeFileDurable } from '../storage/durable.js';

/** The name of the pointer file in a reports folder. */
export const LATEST_FILE = 'latest.json';

/**
 * `reports/latest.json`: where the newest report is, as plain JSON rather than a symlink, so it
 * works on every filesystem, over HTTP and in object storage. Paths are relative to the reports
 * folder, with `/` separators.
 *
 * Example: `{ "as_of": "2025-08-25", "dir": "2025-08-25", "report": "2025-08-25/report.md",
 * "manifest": "2025-08-25/manifest.json", "synthetic": false }`
 */
export interface LatestPointer {
  readonly as_of: string;
  readonly dir: string;
  readonly report: string;
  readonly manifest: string;
  readonly synthetic: boolean;
}

/** The pointer of a reports folder, or null when there is none (or it is unreadable). */
export function readLatest(reportsDir: string): LatestPointer | null {
  const file = join(reportsDir, LATEST_FILE);
  if (!existsSync(file)) return null;
  try {
    const p = JSON.parse(readFileSync(file, 'utf8')) as Partial<LatestPointer>;
    if (typeof p.as_of !== 'string' || typeof p.dir !== 'string' || typeof p.report !== 'string') return null;
    return p as LatestPointer;
  } catch {
    return null;
  }
}

/**
 * Point `reports/latest.json` at a report just written, when its as-of is the newest the
 * reports folder has seen (ties go to the newer write) or the old pointer leads nowhere. A report
 * written outside the reports folder (`report --out` elsewhere) is never pointed at. The file is
 * replaced atomically (temp file, fsync, rename). Returns whether it was written.
 */
export function updateLatest(reportsDir: string, reportDir: string, asOf: string, synthetic: boolean, logger: Logger): boolean {
  const root = resolve(reportsDir);
  const rel = relative(root, resolve(reportDir));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return false;
  const current = readLatest(root);
  const currentAlive = current !== null && existsSync(join(root, ...current.dir.split('/'), 'report.md'));
  if (current && currentAlive && current.as_of > asOf) {
    logger.debug({ latest: current.as_of, asOf }, 'latest.json keeps pointing at a newer report');
    return false;
  }
  const dir = rel.split(sep).join('/');
  const pointer: LatestPointer = { as_of: asOf, dir, report: `${dir}/report.md`, manifest: `${dir}/manifest.json`, synthetic };
  writeFileDurable(join(root, LATEST_FILE), `${JSON.stringify(pointer, null, 2)}\n`);
  logger.debug({ latest: pointer }, 'latest.json updated');
  return true;
}
