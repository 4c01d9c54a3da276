import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SkipCounts } from '../hub/modelRow.js';

/** `manifest.json` of a published snapshot (DESIGN §4). */
export interface SnapshotManifest {
  snapshot: string;
  source: { hub: string } | { files: { name: string; sha256: string }[]; format: string };
  started_at: string;
  finished_at: string;
  rows: number;
  pages: number;
  sum_downloads_30d: number;
  sum_downloads_all_time: number;
  sha256: string;
  version: string;
  skipped: SkipCounts;
  /** Rows seen more than once (a downloads-sorted crawl, a re-served page), kept once. */
  duplicates_dropped: number;
  /** Rows whose createdAt lay before 2016 or after the snapshot date; stored with created_at NULL. Absent before this check existed. */
  created_at_impossible?: number;
  /** null for a complete crawl; the threshold of a `--min-downloads` crawl. */
  min_downloads: number | null;
  sort: string | null;
  /** True when the source declared itself synthetic (the local hub's demo data). */
  synthetic: boolean;
}

export function readManifest(dir: string): SnapshotManifest | null {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as SnapshotManifest;
}

/** Stable JSON: sorted keys are not needed, but a trailing newline and two-space indent are. */
export function manifestJson(m: object): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}
