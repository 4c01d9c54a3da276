import { formatValue } from './format.js';

/**
 * RFC 4180 CSV: CRLF line ends, a header row, fields quoted when they hold a comma, quote or line
 * break. Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
 * CR) get a leading apostrophe: every cell made of text, lists (`a;b`) and structs included, since
 * any of them may hold text from the Hub or an imported file. Numbers, booleans and dates are never
 * altered.
 */
export function csvCell(v: unknown): string {
  let s = formatValue(v);
  if (isText(v) && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function isText(v: unknown): boolean {
  return v !== null && v !== undefined && typeof v !== 'number' && typeof v !== 'bigint' && typeof v !== 'boolean' && !(v instanceof Date);
}

export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map((c) => csvCell(c)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
