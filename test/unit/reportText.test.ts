import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, printable } from '../../pipeline/report/escape.js';
import { renderMarkdownDocument } from '../../pipeline/report/renderMarkdown.js';
import { renderHtmlDocument } from '../../pipeline/report/renderHtml.js';
import { cell, type ReportDocument } from '../../pipeline/report/document.js';
import { humanCount } from '../../pipeline/report/format.js';
import { measureTitle, periodNoun } from '../../pipeline/report/reportDocument.js';

const EVIL = '<img src=x onerror=alert(1)> [click](javascript:alert(1)) *b* `c` a|b cr\rnext \u001b[31mred\u001b[0m \u202eevil';

describe('untrusted text in reports', () => {
  it('is one printable line: line breaks become spaces, control and bidi characters U+FFFD', () => {
    expect(printable('a\rb\nc\td')).toBe('a b c d');
    expect(printable('x\u001b[31my')).toBe('x\uFFFD[31my');
    expect(printable('\u202eabc')).toBe('\uFFFDabc');
  });

  it('cannot open a tag, link, emphasis, code span or table cell in Markdown', () => {
    const md = escapeMarkdown(EVIL);
    expect(md).not.toMatch(/(^|[^\\])[<>[\]*`|]/);
    expect(md).toContain('\\<img src=x onerror=alert(1)\\>');
    expect(md).not.toContain('\r');
    expect(md).not.toContain('\u001b');
  });

  it('cannot open a tag or leave an attribute in HTML', () => {
    const html = escapeHtml(`${EVIL} "quoted" 'single' &amp;`);
    expect(html).not.toMatch(/[<>"']/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&amp;amp;');
  });

  it('stays inside its table cell in both renderings', () => {
    const doc: ReportDocument = {
      title: EVIL,
      blocks: [{ kind: 'table', caption: 'c', header: ['Namespace', 'Downloads'], align: ['l', 'r'], rows: [[cell(EVIL), cell('1', 1)]] }],
    };
    const md = renderMarkdownDocument(doc);
    const rows = md.split('\n').filter((l) => l.startsWith('|'));
    expect(rows).toHaveLength(3);
    expect(rows[2]!.split(/(?<!\\)\|/)).toHaveLength(4); // two cells between three unescaped pipes
    const html = renderHtmlDocument(doc, {});
    expect(html).not.toContain('<img');
    expect(html).toContain('<title>&lt;img src=x');
  });
});

describe('words and numbers for readers', () => {
  it('writes every count in one style', () => {
    expect([812, 2321, 10612, 193_700, 1_180_000, 2.2e9].map(humanCount)).toEqual(['812', '2.32 k', '10.6 k', '194 k', '1.18 M', '2.20 B']);
  });

  it('never calls a measure "cumulative", and says when a trailing window is short', () => {
    const titles = ['trailing', 'period', 'cumulative', 'all_time', 'window30'].map((m) => measureTitle(m, m === 'all_time' ? '' : '2025-03-03', '2025-08-25'));
    for (const t of titles) expect(t.toLowerCase()).not.toContain('cumulative');
    expect(titles[0]).toBe('Trailing year (trailing window, 25 of 52 weeks of history: 2025-03-03 to 2025-08-25)');
    expect(measureTitle('trailing', '2024-08-26', '2025-08-25')).toBe('Trailing year (52 weeks: 2024-08-26 to 2025-08-25)');
    expect(titles[2]).toContain('since the first snapshot (25 weeks');
    expect(titles[3]).toContain('since each model’s creation');
  });

  it('calls periods weeks only when every period is seven days', () => {
    expect(periodNoun([{ period_start: '2025-01-06', period_end: '2025-01-13' }, { period_start: '2025-01-13', period_end: '2025-01-20' }])).toBe('week');
    expect(periodNoun([{ period_start: '2025-01-06', period_end: '2025-01-13' }, { period_start: '2025-01-13', period_end: '2025-02-13' }])).toBe('period');
    expect(periodNoun([])).toBe('period');
  });
});
