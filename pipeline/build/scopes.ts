import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { MODEL_ID_RE, NAMESPACE_RE, readCsv } from './registry.js';

/** The scope of every model on the Hub; it needs no file and no file may take its name. */
export const HUB_SCOPE = 'hub';

/** Scope and study names: lower case, so they read the same in file names and in SQL. */
export const NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;

/** A named set of models whose shares `build` computes (`scope_shares`). */
export interface Scope {
  /** The file name without `.csv`, e.g. `atom`. */
  readonly name: string;
  readonly file: string;
  readonly modelIds: readonly string[];
}

/**
 * The scope files of a registry, `<registry>/scopes/<name>.csv`, each a header `model_id` and one
 * model id a row, sorted by name. A bad file fails with file and line: a scope that silently lost
 * rows would silently change its denominator.
 */
export function loadScopes(registryDir: string): Scope[] {
  const dir = join(registryDir, 'scopes');
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort();
  return files.map((f) => {
    const file = join(dir, f);
    const name = f.slice(0, -'.csv'.length);
    if (!NAME_RE.test(name)) throw new UsageError(`${file}: a scope name must be lower-case letters, digits, '-' or '_', got ${JSON.stringify(name)}`);
    if (name === HUB_SCOPE) throw new UsageError(`${file}: the scope "${HUB_SCOPE}" is every model on the Hub and cannot be a file; rename it`);
    const seen = new Map<string, number>();
    for (const { row, line } of readCsv(file, ['model_id'])) {
      const id = row.model_id!;
      if (!MODEL_ID_RE.test(id) && !NAMESPACE_RE.test(id)) throw new UsageError(`${file}:${line}: ${JSON.stringify(id)} is not a Hub model id (namespace/name, or a legacy name)`);
      if (seen.has(id)) throw new UsageError(`${file}:${line}: duplicate model id ${id} (first on line ${seen.get(id)})`);
      seen.set(id, line);
    }
    if (seen.size === 0) throw new UsageError(`${file}: the scope lists no model; a scope with no model has no denominator`);
    return { name, file, modelIds: [...seen.keys()] };
  });
}
