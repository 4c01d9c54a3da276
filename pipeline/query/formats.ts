/** Output formats of `hubtrends query`. */
export const QUERY_FORMATS = ['table', 'csv', 'json', 'ndjson', 'arrow', 'parquet'] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

/** Formats that are bytes for programs, never text for a terminal. */
export const BINARY_FORMATS: ReadonlySet<QueryFormat> = new Set(['arrow', 'parquet']);
