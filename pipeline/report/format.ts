/**
 * Text forms of values shared by CSV, Markdown and `query`: ISO dates, `.` decimals, no
 * thousands separators, no exponents, twelve significant digits so outputs are stable.
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '';
  if (Number.isInteger(x)) return String(x);
  let s = x.toPrecision(12);
  if (/e/i.test(s)) s = x.toFixed(20);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  }
  if (Array.isArray(v)) return v.map(formatValue).join(';');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A share as a percentage with one decimal, for people. */
export function pct(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  return `${(share * 100).toFixed(digits)}%`;
}

/** Percentage points, signed. */
export function pp(delta: number | null | undefined): string {
  if (delta === null || delta === undefined || !Number.isFinite(delta)) return '–';
  const v = (delta * 100).toFixed(1);
  if (v === '0.0' || v === '-0.0') return '0.0 pp'; // no "-0.0" for a change that rounds away
  return `${delta > 0 ? '+' : ''}${v} pp`;
}

/** A range of shares as "20.3–59.3%", one decimal. */
export function pctRange(low: number | null | undefined, high: number | null | undefined): string {
  if (low === null || low === undefined || high === null || high === undefined || !Number.isFinite(low) || !Number.isFinite(high)) return '–';
  return `${(low * 100).toFixed(1)}–${(high * 100).toFixed(1)}%`;
}

/**
 * Counts for people, all in one style: below 1,000 the integer, above it three significant
 * digits with k, M or B ("812", "2.32 k", "10.6 k", "194 k", "1.18 M"). CSV files hold the exact
 * values.
 */
export function humanCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  const a = Math.abs(n);
  if (a < 999.5) return String(Math.round(n));
  const [div, unit] = a >= 999.5e6 ? (a >= 999.5e9 ? [1e12, 'T'] : [1e9, 'B']) : a >= 999.5e3 ? [1e6, 'M'] : [1e3, 'k'];
  return `${(n / div).toPrecision(3)} ${unit}`;
}
