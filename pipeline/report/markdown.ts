import { formatValue } from './format.js';

/** A GitHub-flavoured Markdown table; `align` per column, 'r' for numbers. */
export function mdTable(header: readonly string[], rows: readonly (readonly unknown[])[], align?: readonly ('l' | 'r')[]): string {
  const esc = (v: unknown): string => formatValue(v).replaceAll('|', '\\|').replace(/\r?\n/g, ' ');
  const sep = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  const lines = [`| ${header.map(esc).join(' | ')} |`, `| ${sep.join(' | ')} |`];
  for (const r of rows) lines.push(`| ${r.map((v) => (typeof v === 'string' ? esc(v) : esc(v))).join(' | ')} |`);
  return lines.join('\n');
}
