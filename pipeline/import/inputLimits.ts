import type { ModelRow } from '../hub/modelRow.js';

/**
 * Bounds on what one input file may hold, so a hostile or broken file fails fast with its name and
 * line (exit 2) instead of taking minutes and gigabytes, or failing later inside DuckDB.
 */
export interface InputLimits {
  /** Longest line (or JSON array element, or CSV record), in characters. Default 64 MiB: a saved page of 1,000 models fits. */
  readonly maxLineChars: number;
  /** Most bytes of text read from one file, after gzip. Default 64 GiB, thirty times a full Hub crawl's JSON. */
  readonly maxInputBytes: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = { maxLineChars: 64 * 2 ** 20, maxInputBytes: 64 * 2 ** 30 };

/**
 * Most characters of text one model's fields may hold (id, author, tags, …): 1 MiB, far beyond
 * any real Hub model, and well within the 16 MB a staged row may take when DuckDB reads it back.
 */
export const MAX_MODEL_CHARS = 2 ** 20;

/** Characters of text in a model's fields. */
export function modelChars(row: ModelRow): number {
  let n = 0;
  for (const v of Object.values(row)) {
    if (typeof v === 'string') n += v.length;
    else if (Array.isArray(v)) for (const x of v) n += typeof x === 'string' ? x.length : 0;
  }
  return n;
}
