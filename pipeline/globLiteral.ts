/**
 * A path as a DuckDB glob pattern that matches only itself. DuckDB reads every path given to
 * `read_parquet`, `read_json` and `read_csv` as a glob, so a warehouse at `/data/wh?` would also
 * read `/data/whX`, and `[1]` in a folder name matches `1`. Each of `*`, `?` and `[` becomes a
 * one-character class (`[*]`, `[?]`, `[[]`), which DuckDB's matcher reads literally; DuckDB's
 * glob has no backslash escape.
 */
export function globLiteral(path: string): string {
  return path.replace(/[*?[]/g, (c) => `[${c}]`);
}
