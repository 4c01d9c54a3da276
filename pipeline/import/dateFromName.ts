import { UsageError } from '../errors.js';

/** A real calendar date `YYYY-MM-DD` in 2000–2099 (a Hub date), or null. */
function calendarDate(y: string, m: string, d: string): string | null {
  const year = Number(y);
  if (year < 2000 || year > 2099) return null;
  const iso = `${y}-${m}-${d}`;
  const t = Date.parse(`${iso}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== iso ? null : iso;
}

/** Date shapes a file or folder name may hold; separators `-`, `_` or `.`. */
const NAME_PATTERNS: readonly { re: RegExp; ymd: (m: RegExpExecArray) => [string, string, string] }[] = [
  { re: /(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)/g, ymd: (m) => [m[1]!, m[2]!, m[3]!] }, // YYYY-MM-DD
  { re: /(?<!\d)(\d{2})[-_.](\d{2})[-_.](\d{4})(?!\d)/g, ymd: (m) => [m[3]!, m[2]!, m[1]!] }, // DD-MM-YYYY
  { re: /(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)/g, ymd: (m) => [m[1]!, m[2]!, m[3]!] }, // YYYYMMDD
];

/**
 * The date a file or folder name holds (`2024-06-13_hf.csv`, `snapshot=2025-01-06`,
 * `models-13-06-2024.parquet`, `20240613.csv`), as `YYYY-MM-DD`; null when it holds none.
 * A name holding two different dates is refused rather than guessed.
 */
export function dateFromName(name: string): string | null {
  const found = new Set<string>();
  for (const { re, ymd } of NAME_PATTERNS) {
    for (const m of name.matchAll(re)) {
      const date = calendarDate(...ymd(m as RegExpExecArray));
      if (date) found.add(date);
    }
  }
  if (found.size > 1) {
    throw new UsageError(`${name}: the name holds more than one date (${[...found].join(', ')}); pass --snapshot YYYY-MM-DD`);
  }
  return found.values().next().value ?? null;
}

/**
 * The date of a file from the segments of its path (outermost first, the file's own name last):
 * its own name first, then the folders above it, nearest first (`hub-stats/2025-01-06/models.parquet`).
 */
export function dateFromPath(segments: readonly string[]): string | null {
  for (let i = segments.length - 1; i >= 0; i--) {
    const date = dateFromName(segments[i]!);
    if (date) return date;
  }
  return null;
}

/**
 * A date written in a cell: `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD`, `DD-MM-YYYY`, `DD.MM.YYYY`,
 * or an ISO date-time (its UTC date when it carries `Z` or an offset, else the date as written).
 * `DD/MM/YYYY` and `MM/DD/YYYY` cannot be told apart and are refused. Returns the date or a reason.
 */
export function parseDateValue(text: string): { date: string } | { reason: string } {
  const s = text.trim();
  let m = /^(\d{4})[-/](\d{2})[-/](\d{2})$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  let date: string | null = null;
  if (m) date = calendarDate(m[1]!, m[2]!, m[3]!);
  else if ((m = /^(\d{2})[-.](\d{2})[-.](\d{4})$/.exec(s))) date = calendarDate(m[3]!, m[2]!, m[1]!);
  else if ((m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s))) {
    if (m[8]) {
      const t = Date.parse(s.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      date = Number.isNaN(t) ? null : calendarDate(...(new Date(t).toISOString().slice(0, 10).split('-') as [string, string, string]));
    } else {
      date = calendarDate(m[1]!, m[2]!, m[3]!);
    }
  } else if (/^\d{1,2}\/\d{1,2}\/\d{4}$/.test(s)) {
    return { reason: `date ${JSON.stringify(s)} is ambiguous (DD/MM/YYYY or MM/DD/YYYY); write it as YYYY-MM-DD` };
  }
  return date ? { date } : { reason: `expected a date YYYY-MM-DD, DD-MM-YYYY or YYYYMMDD, got ${JSON.stringify(s)}` };
}
