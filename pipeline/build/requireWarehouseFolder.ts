import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { warehousePaths } from '../paths.js';

/**
 * `build` reads a warehouse that `collect` or `import` made; it never creates one. A mistyped
 * `--warehouse` then fails naming the folder, instead of leaving an empty warehouse behind.
 */
export function requireWarehouseFolder(warehouse: string): void {
  const root = warehousePaths(warehouse).root;
  if (!existsSync(root)) throw new UsageError(`no warehouse folder ${root}; check --warehouse, or fill the lake first with "hubtrends collect" or "hubtrends import"`);
  if (!statSync(root).isDirectory()) throw new UsageError(`the warehouse ${root} is not a folder`);
}
