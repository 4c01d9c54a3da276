import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotDir, type WarehousePaths } from '../paths.js';
import { sha256File } from './sha256.js';

interface CacheEntry {
  size: number;
  mtimeMs: number;
  ino: number;
  sha256: string;
}

/** Where computed hashes are kept, so a lake written by another tool is hashed once per file. */
function cacheFile(paths: WarehousePaths): string {
  return join(paths.root, '.sha256-cache.json');
}

function readCache(paths: WarehousePaths): Record<string, CacheEntry> {
  try {
    return JSON.parse(readFileSync(cacheFile(paths), 'utf8')) as Record<string, CacheEntry>;
  } catch {
    return {};
  }
}

/**
 * The sha256 of a snapshot's `models.parquet`, computed for a manifest that does not record it.
 * Cached by file identity (inode, size, mtime): a replaced file is hashed again. The cache is
 * an optimisation only: if it cannot be written (a read-only warehouse), the hash is still right.
 */
export async function computedSnapshotSha256(paths: WarehousePaths, date: string): Promise<string> {
  const file = join(snapshotDir(paths, date), 'models.parquet');
  const st = statSync(file);
  const cache = readCache(paths);
  const hit = cache[date];
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs && hit.ino === st.ino) return hit.sha256;
  const sha256 = await sha256File(file);
  cache[date] = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, sha256 };
  try {
    const tmp = `${cacheFile(paths)}.${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(cache, null, 2)}\n`);
    renameSync(tmp, cacheFile(paths));
  } catch {
    // read-only warehouse: the hash is recomputed next time
  }
  return sha256;
}

/** The sha256 a snapshot is known by: its manifest's, else the computed one. */
export async function snapshotSha256(paths: WarehousePaths, date: string, recorded: unknown): Promise<string> {
  return typeof recorded === 'string' && recorded !== '' ? recorded : computedSnapshotSha256(paths, date);
}
