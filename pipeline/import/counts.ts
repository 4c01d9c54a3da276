/** Cells that mean "no value" in spreadsheets and pandas exports. */
const MISSING = /^(|na|n\/a|nan|null|none)$/i;

/** Thousands separators accepted beside each decimal mark (spaces include no-break and narrow no-break). */
const GROUPING: Record<'.' | ',', string> = { '.': ",  \u00a0\u202f'_", ',': ".  \u00a0\u202f'_" };

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&');
}

/**
 * A download or like count as written in a tracker: `1234`, `16300000.0` (a float that is a whole
 * number), `1,234,567` or `1 234 567` (thousands separators in groups of three), `1.63E+07`.
 * `decimalMark` is `.` unless the file is a semicolon-separated export of a spreadsheet in a
 * locale that writes `1.234,0`. Returns null for an empty or `NA`/`NaN`/`null` cell, the count, or
 * a reason when the text is not a non-negative whole number.
 */
export function parseCount(text: string, decimalMark: '.' | ',' = '.'): { value: number | null } | { reason: string } {
  const s = text.trim();
  if (MISSING.test(s)) return { value: null };
  const bad = (why: string) => ({ reason: `${why}, got ${JSON.stringify(text)}` });
  if (s.startsWith('-')) return bad('expected a count of zero or more');
  const body = s.startsWith('+') ? s.slice(1) : s;
  const dm = decimalMark === '.' ? '\\.' : ',';
  const sep = `[${escapeClass(GROUPING[decimalMark])}]`;
  let m: RegExpExecArray | null;
  let n: number;
  if ((m = new RegExp(`^(\\d+|\\d{1,3}(?:(${sep})\\d{3})(?:\\2\\d{3})*)(?:${dm}(\\d*))?$`).exec(body))) {
    const digits = m[1]!.replace(/\D/g, '');
    const frac = m[3] ?? '';
    if (/[1-9]/.test(frac)) return bad('expected a whole number');
    n = Number(digits);
  } else if ((m = new RegExp(`^(\\d+(?:${dm}\\d+)?)[eE]([+-]?\\d+)$`).exec(body))) {
    n = Number(`${m[1]!.replace(',', '.')}e${m[2]}`);
    if (!Number.isInteger(n)) return bad('expected a whole number');
  } else {
    return bad('expected a count such as 1234, 1,234 or 1234.0');
  }
  if (!Number.isSafeInteger(n)) return bad('the count is too large');
  return { value: n };
}
