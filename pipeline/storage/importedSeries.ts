import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WarehousePaths } from '../paths.js';

/** Download series imported into the lake (`lake/series/series=NAME/`), by name. */
export function importedSeries(paths: WarehousePaths): { series: string; sha256: string; file: string }[] {
  const root = join(paths.lake, 'series');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((n) => n.startsWith('series=') && existsSync(join(root, n, 'manifest.json')) && existsSync(join(root, n, 'periods.parquet')))
    .sort()
    .map((n) => {
      const m = JSON.parse(readFileSync(join(root, n, 'manifest.json'), 'utf8')) as { series: string; sha256: string };
      return { series: m.series, sha256: m.sha256, file: join(root, n, 'periods.parquet') };
    });
}
