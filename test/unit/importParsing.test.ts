import { describe, expect, it } from 'vitest';
import { parseCount } from '../../pipeline/import/counts.js';
import { dateFromName, dateFromPath, parseDateValue } from '../../pipeline/import/dateFromName.js';
import { normaliseModelId } from '../../pipeline/import/modelId.js';
import { parseColumnMap, resolveColumns } from '../../pipeline/import/columnMap.js';
import { sniffDialect } from '../../pipeline/import/csvDialect.js';
import { jsonRecords } from '../../pipeline/import/jsonRecords.js';
import { UsageError } from '../../pipeline/errors.js';

async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
async function records(text: string, size = 7): Promise<{ line: number; value: unknown }[]> {
  const out: { line: number; value: unknown }[] = [];
  for await (const r of jsonRecords(chunksOf(text, size), 'f.json')) out.push(r);
  return out;
}

describe('counts as trackers write them', () => {
  it('reads integers, whole floats, thousands separators and scientific notation', () => {
    expect(parseCount('1234')).toEqual({ value: 1234 });
    expect(parseCount(' 16300000.0 ')).toEqual({ value: 16300000 });
    expect(parseCount('16300000.00')).toEqual({ value: 16300000 });
    expect(parseCount('1,234,567')).toEqual({ value: 1234567 });
    expect(parseCount('1 234 567')).toEqual({ value: 1234567 });
    expect(parseCount('1\u00a0234')).toEqual({ value: 1234 });
    expect(parseCount('1,234.0')).toEqual({ value: 1234 });
    expect(parseCount('1.63E+07')).toEqual({ value: 16300000 });
    expect(parseCount('+5')).toEqual({ value: 5 });
  });
  it('reads the semicolon-separated spreadsheet locale (1.234,0)', () => {
    expect(parseCount('1.234.567', ',')).toEqual({ value: 1234567 });
    expect(parseCount('1234,0', ',')).toEqual({ value: 1234 });
    expect(parseCount('1,5', ',')).toHaveProperty('reason');
  });
  it('treats empty, NA, NaN and null cells as no value', () => {
    for (const s of ['', '  ', 'NA', 'n/a', 'NaN', 'null', 'None']) expect(parseCount(s)).toEqual({ value: null });
  });
  it('refuses fractions, negatives, bad grouping and words, quoting the text', () => {
    expect(parseCount('12.5')).toEqual({ reason: 'expected a whole number, got "12.5"' });
    expect(parseCount('-3')).toHaveProperty('reason');
    expect(parseCount('1,23')).toHaveProperty('reason');
    expect(parseCount('12,34,567')).toHaveProperty('reason');
    expect(parseCount('1,234 567')).toHaveProperty('reason');
    expect(parseCount('lots')).toHaveProperty('reason');
    expect(parseCount('1e300')).toHaveProperty('reason');
  });
});

describe('dates in names and cells', () => {
  it('finds YYYY-MM-DD, DD-MM-YYYY and YYYYMMDD in file and folder names', () => {
    expect(dateFromName('2024-06-13_hf.csv')).toBe('2024-06-13');
    expect(dateFromName('models-13-06-2024.csv')).toBe('2024-06-13');
    expect(dateFromName('stats_20240613.parquet')).toBe('2024-06-13');
    expect(dateFromName('snapshot=2025-01-06')).toBe('2025-01-06');
    expect(dateFromName('2025_01_06.jsonl')).toBe('2025-01-06');
    expect(dateFromName('models.parquet')).toBeNull();
    expect(dateFromName('2024-02-30.csv')).toBeNull(); // not a calendar date
    expect(dateFromName('run-123456789.csv')).toBeNull(); // nine digits are not YYYYMMDD
    expect(dateFromName('export-2024-06-13-2024-06-13.csv')).toBe('2024-06-13');
  });
  it('refuses a name with two different dates', () => {
    expect(() => dateFromName('from_2024-06-01_to_2024-06-30.csv')).toThrow(UsageError);
    expect(() => dateFromName('from_2024-06-01_to_2024-06-30.csv')).toThrow(/--snapshot/);
  });
  it('takes the nearest name that holds a date', () => {
    expect(dateFromPath(['hub', '2025-01-06', 'models.parquet'])).toBe('2025-01-06');
    expect(dateFromPath(['2024-01-01', 'stats-2025-01-06.parquet'])).toBe('2025-01-06');
    expect(dateFromPath(['hub', 'models.parquet'])).toBeNull();
  });
  it('reads date cells in the usual shapes, and refuses ambiguous slashes', () => {
    for (const s of ['2024-06-13', '2024/06/13', '20240613', '13-06-2024', '13.06.2024', '2024-06-13T10:00:00', '2024-06-13 23:59:59', '2024-06-13T22:00:00-02:00'])
      expect(parseDateValue(s), s).toEqual({ date: s.endsWith('-02:00') ? '2024-06-14' : '2024-06-13' });
    expect(parseDateValue('06/13/2024')).toHaveProperty('reason');
    expect((parseDateValue('13/06/2024') as { reason: string }).reason).toMatch(/ambiguous/);
    expect(parseDateValue('2024-13-01')).toHaveProperty('reason');
    expect(parseDateValue('June 13')).toHaveProperty('reason');
  });
});

describe('model ids from URLs', () => {
  it('reduces Hub URLs to org/name and leaves ids alone', () => {
    expect(normaliseModelId('https://huggingface.co/Qwen/Qwen2.5-7B')).toEqual({ id: 'Qwen/Qwen2.5-7B' });
    expect(normaliseModelId('http://www.huggingface.co/Qwen/Qwen2.5-7B/')).toEqual({ id: 'Qwen/Qwen2.5-7B' });
    expect(normaliseModelId('huggingface.co/Qwen/Qwen2.5-7B/tree/main?x=1#y')).toEqual({ id: 'Qwen/Qwen2.5-7B' });
    expect(normaliseModelId('https://hf.co/gpt2')).toEqual({ id: 'gpt2' });
    expect(normaliseModelId('https://huggingface.co/gpt2/blob/main/config.json')).toEqual({ id: 'gpt2' });
    expect(normaliseModelId(' taide/b.1.0.0 ')).toEqual({ id: 'taide/b.1.0.0' });
  });
  it('refuses URLs of datasets and spaces', () => {
    expect(normaliseModelId('https://huggingface.co/datasets/a/b')).toHaveProperty('reason');
    expect(normaliseModelId('https://huggingface.co/spaces/a/b')).toHaveProperty('reason');
  });
});

describe('--map and header resolution', () => {
  it('parses id=…,downloads=… with spaces in names and date= to ignore a date column', () => {
    expect(parseColumnMap('id=Model ID, downloads=DL 30d,date=')).toEqual({ id: 'Model ID', downloads: 'DL 30d', date: '' });
    expect(parseColumnMap(undefined)).toEqual({});
  });
  it('refuses unknown fields, missing values and repeats', () => {
    expect(() => parseColumnMap('modelid=x')).toThrow(/unknown field "modelid"/);
    expect(() => parseColumnMap('id')).toThrow(/expected id=COLUMN/);
    expect(() => parseColumnMap('id=a,id=b')).toThrow(/twice/);
  });
  it('finds default columns whatever their case and separators', () => {
    const r = resolveColumns(['Model ID', 'Downloads', 'downloads_all_time', 'Organization', 'Date', 'other'], {}, 'f.csv');
    expect(r.index).toEqual({ id: 0, downloads: 1, downloads_all_time: 2, author: 3, date: 4 });
    expect(resolveColumns(['model_url', 'downloadsAllTime'], {}, 'f.csv').index).toEqual({ id: 0, downloads_all_time: 1 });
  });
  it('lets --map take a column a default would have taken, and reports mapped columns a file lacks', () => {
    const r = resolveColumns(['model', 'repo_id', 'total'], { id: 'repo_id', downloads_all_time: 'Total', likes: 'hearts' }, 'f.csv');
    expect(r.index).toEqual({ id: 1, downloads_all_time: 2 });
    expect(r.missingMapped).toEqual(['likes']);
    expect(resolveColumns(['id', 'downloads', 'date'], { date: '' }, 'f.csv').index).toEqual({ id: 0, downloads: 1 });
  });
  it('refuses a chosen column that appears twice', () => {
    expect(() => resolveColumns(['id', 'downloads', 'downloads'], {}, 'f.csv')).toThrow(/f\.csv:1: .*appears 2 times/);
  });
});

describe('CSV dialects', () => {
  it('finds the delimiter in the header, outside quotes', () => {
    expect(sniffDialect('id,downloads\na,1\n')).toEqual({ delimiter: ',', decimalMark: '.', headerLine: 1 });
    expect(sniffDialect('id;downloads;"a,b,c"\r\n')).toEqual({ delimiter: ';', decimalMark: ',', headerLine: 1 });
    expect(sniffDialect('id\tdownloads\n').delimiter).toBe('\t');
  });
  it("honours Excel's sep= line", () => {
    expect(sniffDialect('sep=;\r\nid;downloads\r\n')).toEqual({ delimiter: ';', decimalMark: ',', headerLine: 2 });
  });
});

describe('JSON records, streamed', () => {
  const objs = [{ id: 'a/b', downloads: 1 }, { id: 'c', tags: ['x,y', ']'], s: 'brace } and "quote"' }, { modelId: 'd/e' }];
  it('reads JSON Lines, with CRLF, blank lines and line numbers', async () => {
    const text = objs.map((o) => JSON.stringify(o)).join('\r\n\r\n') + '\r\n';
    expect(await records(text)).toEqual([
      { line: 1, value: objs[0] },
      { line: 3, value: objs[1] },
      { line: 5, value: objs[2] },
    ]);
  });
  it('reads a JSON array element by element, pretty-printed or not, across chunk boundaries', async () => {
    for (const text of [JSON.stringify(objs), JSON.stringify(objs, null, 2), '\ufeff  ' + JSON.stringify(objs)]) {
      for (const size of [1, 3, 1000]) expect((await records(text, size)).map((r) => r.value)).toEqual(objs);
    }
    const pretty = await records(JSON.stringify(objs, null, 2));
    expect(pretty.map((r) => r.line)).toEqual([2, 6, 14]);
    expect(await records('[]')).toEqual([]);
    expect((await records('[1, "x", null]')).map((r) => r.value)).toEqual([1, 'x', null]);
  });
  it('reads a line holding an array (a saved page) as its elements', async () => {
    expect((await records(`${JSON.stringify(objs.slice(0, 2))}\n${JSON.stringify(objs[2])}\n`)).map((r) => r.line)).toEqual([1, 1, 2]);
  });
  it('fails with the line and the reason on bad JSON and truncated arrays', async () => {
    await expect(records('{"id":"a"}\n{"id": "b",\n')).rejects.toThrow(/^f\.json:2: not valid JSON/);
    await expect(records('[{"id":"a"},\n{"id":"b"')).rejects.toThrow(/^f\.json:2: the JSON array is not closed/);
    await expect(records('[{"id":"a"},\n{"id":}]')).rejects.toThrow(/^f\.json:2: not valid JSON/);
    await expect(records('[{"id":"a"}] x')).rejects.toThrow(/f\.json:1: expected a JSON array or object, found "x"/);
    await expect(records('[{"id":"a"},,]')).rejects.toThrow(/expected a value in the JSON array/);
    await expect(records('[{"id":"a"}]')).resolves.toHaveLength(1);
  });
});
