import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../pipeline/report/csv.js';
import { formatNumber } from '../../pipeline/report/format.js';

describe('report CSV', () => {
  it('is RFC 4180: CRLF, a header row, quotes doubled, fields with commas or line breaks quoted', () => {
    expect(toCsv(['a', 'b'], [{ a: 'x,y', b: 'say "hi"' }, { a: 'two\nlines', b: null }])).toBe('a,b\r\n"x,y","say ""hi"""\r\n"two\nlines",\r\n');
  });
  it('makes text that a spreadsheet would run as a formula safe, and leaves numbers alone', () => {
    for (const bad of ['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\tx']) expect(csvCell(bad).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell('meta-llama/Llama-3-8B')).toBe('meta-llama/Llama-3-8B');
  });
  it('guards list and struct cells too, whatever their first element', () => {
    expect(csvCell(['-1-1', 'x'])).toBe("'-1-1;x");
    expect(csvCell(['=HYPERLINK("http://x")'])).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell([-1, 2])).toBe("'-1;2");
    expect(csvCell(['text-generation', 'base_model:x'])).toBe('text-generation;base_model:x');
    expect(csvCell(true)).toBe('true');
  });
  it('writes ISO dates, "." decimals, no thousands separators and no exponents', () => {
    expect(csvCell(new Date('2025-08-25T00:00:00Z'))).toBe('2025-08-25');
    expect(csvCell(1234567.5)).toBe('1234567.5');
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(formatNumber(0.171)).toBe('0.171');
    expect(formatNumber(12345678901234)).toBe('12345678901234');
  });
});

describe('figures for people', () => {
  it('writes changes in percentage points with a sign, and no "-0.0"', async () => {
    const { pp, pct } = await import('../../pipeline/report/format.js');
    expect(pp(0.012)).toBe('+1.2 pp');
    expect(pp(-0.0004)).toBe('0.0 pp');
    expect(pp(-0.05)).toBe('-5.0 pp');
    expect(pp(null)).toBe('–');
    expect(pct(0.171)).toBe('17.1%');
  });
});
