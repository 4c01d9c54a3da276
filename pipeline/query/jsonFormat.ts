import { DuckDBArrayType, DuckDBListType, DuckDBMapType, DuckDBStructType, DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { jsonValue } from './query.js';

/** What the JSON outputs need of a query result: rows as JS values, and each column's DuckDB type. */
export interface TypedRows {
  readonly columns: readonly string[];
  readonly types: readonly DuckDBType[];
  readonly rows: readonly Record<string, unknown>[];
}

/** `query --format json`: one JSON array of row objects. */
export function toJson(result: TypedRows): string {
  return `${JSON.stringify(jsonRows(result))}\n`;
}

/** `query --format ndjson`: one JSON object per line, for line-by-line readers (`jq`, `pl.read_ndjson`). */
export function toNdjson(result: TypedRows): string {
  return jsonRows(result)
    .map((r) => `${JSON.stringify(r)}\n`)
    .join('');
}

/**
 * Rows as JSON-safe objects: JSON columns as the JSON they hold (not a string of it), at any depth
 * of lists, structs and maps; integers as numbers when safe; dates ISO.
 */
export function jsonRows(result: TypedRows): Record<string, unknown>[] {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c, typed(result.types[i]!, row[c])])));
}

function typed(t: DuckDBType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (t.alias === 'JSON' && typeof v === 'string') return JSON.parse(v);
  switch (t.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return (v as unknown[]).map((x) => typed((t as DuckDBListType | DuckDBArrayType).valueType, x));
    case DuckDBTypeId.STRUCT: {
      const s = t as DuckDBStructType;
      return Object.fromEntries(s.entryNames.map((n, k) => [n, typed(s.entryTypes[k]!, (v as Record<string, unknown>)[n])]));
    }
    case DuckDBTypeId.MAP: {
      const m = t as DuckDBMapType;
      return (v as { key: unknown; value: unknown }[]).map((e) => ({ key: typed(m.keyType, e.key), value: typed(m.valueType, e.value) }));
    }
    default:
      return jsonValue(v);
  }
}
