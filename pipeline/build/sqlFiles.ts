import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqlLiteral } from '../duckdb.js';

/** A build step: one file of `sql/`, run once, or once per row of its `-- foreach:` query. */
export interface SqlStep {
  readonly name: string;
  readonly text: string;
  /** From a first line `-- foreach: SELECT …`: each row's columns become DuckDB variables. */
  readonly foreach: string | null;
}

const FOREACH_RE = /^--\s*foreach:\s*(.+)$/;

/** The top-level `*.sql` files of a folder, in file-name order (DESIGN §2). */
export function listSqlSteps(dir: string): SqlStep[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => {
      const text = readFileSync(join(dir, name), 'utf8');
      const first = text.split('\n', 1)[0] ?? '';
      const m = FOREACH_RE.exec(first);
      return { name, text, foreach: m ? m[1]!.trim() : null };
    });
}

/**
 * Fill `{{name}}` placeholders with SQL literals. Views keep the literal, so paths are written in
 * at build time and the warehouse works in any client afterwards.
 */
export function fillTemplate(text: string, params: Readonly<Record<string, string | readonly string[]>>, file: string): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`${file}: unknown placeholder {{${key}}}`);
    return sqlLiteral(value);
  });
}
