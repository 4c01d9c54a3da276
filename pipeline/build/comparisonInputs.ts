import { loadReferenceRegistries, loadReferences, REFERENCE_COLUMNS } from './references.js';
import { loadScopes } from './scopes.js';

/** What `build` needs to compare with published studies, validated, as `{{placeholder}}` lists. */
export interface ComparisonInputs {
  /** Files read, for the build's record of its inputs. */
  readonly files: string[];
  readonly params: Record<string, string | readonly string[]>;
}

/**
 * Scopes, reference figures and reference registries of a registry folder. They are written into
 * the SQL as literal lists rather than read with `read_csv`: the files are optional, and DuckDB
 * cannot read an empty list of files.
 */
export function comparisonInputs(registryDir: string): ComparisonInputs {
  const scopes = loadScopes(registryDir);
  const references = loadReferences(registryDir, scopes.map((s) => s.name));
  const registries = loadReferenceRegistries(registryDir);
  const params: Record<string, string | readonly string[]> = {
    // Thousands of ids: one text literal, split by the SQL, parses far faster than a list literal.
    // Validated ids and names hold neither tab nor newline.
    scope_rows: scopes.flatMap((s) => s.modelIds.map((id) => `${s.name}\t${id}`)).join('\n'),
    refreg_study: registries.rows.map((r) => r.study),
    refreg_namespace: registries.rows.map((r) => r.namespace),
    refreg_region: registries.rows.map((r) => r.region),
    refreg_notes: registries.rows.map((r) => r.notes),
  };
  for (const c of REFERENCE_COLUMNS) params[`ref_${c}`] = references.figures.map((f) => f[c]);
  return {
    files: [...scopes.map((s) => s.file), ...(references.file ? [references.file] : []), ...registries.files],
    params,
  };
}
