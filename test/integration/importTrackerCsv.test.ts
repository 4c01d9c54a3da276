import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../../pipeline/build/build.js';
import { importFiles, type ImportOptions } from '../../pipeline/import/importFiles.js';
import { exitCodeOf, UsageError } from '../../pipeline/errors.js';
import { Database, sqlLiteral } from '../../pipeline/duckdb.js';
import { SnapshotStage } from '../../pipeline/storage/SnapshotStage.js';
import { sha256Text } from '../../pipeline/storage/sha256.js';
import { snapshotDir, warehousePaths } from '../../pipeline/paths.js';
import { configFor, deps, queryWarehouse, tempDir, writeRegistry } from '../helpers.js';

// Synthetic tracker files with the quirks of real ones (BOM, CRLF, quoted commas, thousands
// separators, floats, URLs for ids, renamed and vanishing columns, duplicates), written here.

type Lake = { model_id: string; author: string | null; downloads_30d: string | null; downloads_all_time: string | null; likes: string | null };
async function lakeRows(wh: string, snapshot: string): Promise<Lake[]> {
  const parquet = join(snapshotDir(warehousePaths(wh), snapshot), 'models.parquet');
  return Database.with(':memory:', {}, (db) =>
    db.rows<Lake>(`SELECT model_id, author, downloads_30d, downloads_all_time, likes FROM read_parquet(${sqlLiteral(parquet)}, hive_partitioning = false) ORDER BY model_id`),
  );
}
const r = (model_id: string, author: string | null, d30: number | null, all: number | null, likes: number | null = null): Lake => ({
  model_id,
  author,
  downloads_30d: d30 === null ? null : String(d30),
  downloads_all_time: all === null ? null : String(all),
  likes: likes === null ? null : String(likes),
});

describe('import tracker-csv: a messy series', () => {
  const tmp = tempDir();
  const series = join(tmp.dir, 'tracker');
  const wh = join(tmp.dir, 'warehouse');
  const files: Record<string, string | Buffer> = {
    // BOM, CRLF, a URL id, a quoted comma in a text column, a quoted thousands separator, no all-time counter.
    '2025-01-06.csv': '\ufeffmodel_url,model_name,downloads,organization\r\nhttps://huggingface.co/acme/alpha,"Alpha, the first",1000,acme\r\nacme/beta,Beta,"1,234",acme\r\n',
    // Renamed id column, all-time and likes appear, floats, a space as thousands separator, a duplicate (the last wins), a URL with /tree/main.
    '13-01-2025.csv': 'model_id,downloads,downloads_all_time,likes\nacme/alpha,1500.0,16300000.0,3\nacme/beta,1 300,"2,000,000",\nacme/beta,1400,"2,000,100",1\nhttps://huggingface.co/acme/gamma/tree/main,5,5,0\n\n',
    // Tab-separated, organization and likes gone, a date column, scientific notation, beta vanished, a spreadsheet's trailing empty row.
    '20250120.csv': 'id\tdownloads\tdownloadsAllTime\tdate\r\nacme/alpha\t1.6E+03\t16301000\t2025-01-20\r\nacme/gamma\t7\t12\t2025-01-20\r\n\t\t\t\r\n',
  };
  let manifests: Awaited<ReturnType<typeof importFiles>> = [];

  beforeAll(async () => {
    mkdirSync(series);
    for (const [name, body] of Object.entries(files)) writeFileSync(join(series, name), body);
    writeRegistry(wh, ['acme,US,company,test']);
    manifests = await importFiles(configFor(wh), { files: [series], format: 'tracker-csv', replace: false }, deps);
  });
  afterAll(() => tmp.cleanup());

  it('dates each file by its name (YYYY-MM-DD, DD-MM-YYYY, YYYYMMDD) or its date column', () => {
    expect(manifests.map((m) => [m.snapshot, m.rows, m.duplicates_dropped])).toEqual([
      ['2025-01-06', 2, 0],
      ['2025-01-13', 3, 1],
      ['2025-01-20', 2, 0],
    ]);
    expect(manifests.map((m) => ('files' in m.source ? m.source.files.map((f) => f.name) : []))).toEqual([['tracker/2025-01-06.csv'], ['tracker/13-01-2025.csv'], ['tracker/20250120.csv']]);
  });

  it('reads every value through the drift: columns appearing, vanishing and renamed', async () => {
    expect(await lakeRows(wh, '2025-01-06')).toEqual([r('acme/alpha', 'acme', 1000, null), r('acme/beta', 'acme', 1234, null)]);
    expect(await lakeRows(wh, '2025-01-13')).toEqual([r('acme/alpha', 'acme', 1500, 16300000, 3), r('acme/beta', 'acme', 1400, 2000100, 1), r('acme/gamma', 'acme', 5, 5, 0)]);
    expect(await lakeRows(wh, '2025-01-20')).toEqual([r('acme/alpha', 'acme', 1600, 16301000), r('acme/gamma', 'acme', 7, 12)]);
    expect(manifests[1]).toMatchObject({ sum_downloads_30d: 2905, sum_downloads_all_time: 18300105 });
  });

  it('builds: periods from the all-time counter where both months have it, from the 30-day counter where not', async () => {
    await build(wh, { full: false }, deps);
    const rows = await queryWarehouse<{ period_end: string; model_id: string; downloads: number; flag: string }>(
      wh,
      "SELECT strftime(period_end, '%Y-%m-%d') AS period_end, model_id, downloads::INTEGER AS downloads, flag FROM period_downloads ORDER BY ALL",
    );
    expect(rows).toEqual([
      { period_end: '2025-01-13', model_id: 'acme/alpha', downloads: 350, flag: 'from_30d' }, // 1500 · 7/30
      { period_end: '2025-01-13', model_id: 'acme/beta', downloads: 327, flag: 'from_30d' },
      { period_end: '2025-01-13', model_id: 'acme/gamma', downloads: 5, flag: 'new' },
      { period_end: '2025-01-20', model_id: 'acme/alpha', downloads: 1000, flag: 'continuing' },
      { period_end: '2025-01-20', model_id: 'acme/beta', downloads: 0, flag: 'vanished' },
      { period_end: '2025-01-20', model_id: 'acme/gamma', downloads: 7, flag: 'continuing' },
    ]);
  });
});

describe('import tracker-csv: shapes, dates, --map and refusals', () => {
  const tmp = tempDir();
  let n = 0;
  const wh = () => join(tmp.dir, `wh${++n}`);
  const file = (name: string, body: string | Buffer): string => {
    const p = join(tmp.dir, name);
    writeFileSync(p, body);
    return p;
  };
  const run = (w: string, files: string[], o: Partial<ImportOptions> = {}) => importFiles(configFor(w), { files, format: 'tracker-csv', replace: false, ...o }, deps);
  const failure = async (w: string, files: string[], o: Partial<ImportOptions> = {}): Promise<string> => {
    const err = await run(w, files, o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(exitCodeOf(err)).toBe(2);
    expect(existsSync(warehousePaths(w).snapshots) && readdirSync(warehousePaths(w).snapshots).length > 0, 'nothing lands in the lake').toBe(false);
    if (existsSync(warehousePaths(w).staging)) expect(readdirSync(warehousePaths(w).staging), 'no stage is left').toEqual([]);
    return (err as Error).message;
  };
  afterAll(() => tmp.cleanup());

  it('a bad line fails the whole import with file:line and the reason, and nothing of it lands', async () => {
    const good = file('good-2025-02-03.csv', 'id,downloads,downloadsAllTime\nacme/a,1,10\n');
    const cases: [string, string, RegExp][] = [
      ['frac-2025-02-10.csv', 'id,downloads,downloadsAllTime\nacme/a,1,10\nacme/b,12.5,100\n', /^frac-2025-02-10\.csv:3: downloads: expected a whole number, got "12\.5"$/],
      ['split-2025-02-10.csv', 'id,downloads,downloadsAllTime\r\nacme/a,1,10\r\nacme/b,1,234,5\r\n', /^split-2025-02-10\.csv:3: 4 fields where the header \(line 1\) has 3/],
      ['short-2025-02-10.csv', 'id,downloads,downloadsAllTime\nacme/a,1\n', /^short-2025-02-10\.csv:2: 2 fields where the header/],
      ['quote-2025-02-10.csv', 'id,downloads,downloadsAllTime\nacme/a,1,10\n"acme/b,1,10\n', /^quote-2025-02-10\.csv:3: a quoted field is not closed/],
      ['word-2025-02-10.csv', 'id,downloads,downloadsAllTime\nacme/a,many,10\n', /^word-2025-02-10\.csv:2: downloads: expected a count/],
      ['neg-2025-02-10.csv', 'id,downloads,downloadsAllTime\nacme/a,-1,10\n', /^neg-2025-02-10\.csv:2: downloads: expected a count of zero or more/],
      ['badid-2025-02-10.csv', 'id,downloads\nacme/a/b,1\n', /^badid-2025-02-10\.csv:2: "acme\/a\/b" is not a model id/],
      ['noid-2025-02-10.csv', 'id,downloads\n,1\n', /^noid-2025-02-10\.csv:2: no model id/],
      ['dataset-2025-02-10.csv', 'id,downloads\nhttps://huggingface.co/datasets/a/b,1\n', /^dataset-2025-02-10\.csv:2: not a model URL/],
      ['date-2025-02-10.csv', 'id,downloads,date\nacme/a,1,02/10/2025\n', /^date-2025-02-10\.csv:2: date: .*ambiguous/],
      ['nocol-2025-02-10.csv', 'name,downloads\nacme/a,1\n', /^nocol-2025-02-10\.csv:1: no model id column: expected one of id, model_id, modelId, model_url, model/],
      ['nocount-2025-02-10.csv', 'id,stars\nacme/a,1\n', /^nocount-2025-02-10\.csv:1: no download count column/],
    ];
    for (const [name, body, message] of cases) {
      const w = wh();
      expect(await failure(w, [good, file(name, body)]), name).toMatch(message);
    }
  });

  it('refuses empty files with a clear message: no bytes, a header alone, only empty rows', async () => {
    for (const [name, body] of [['empty-2025-03-03.csv', ''], ['header-2025-03-03.csv', 'id,downloads\r\n'], ['blank-2025-03-03.csv', 'id,downloads\n,\n,\n\n']]) {
      expect(await failure(wh(), [file(name!, body!)]), name).toMatch(new RegExp(`^${name!.replace('.', '\\.')}: empty file`));
    }
  });

  it('one long file with a date column gives one snapshot per date, duplicates counted', async () => {
    const w = wh();
    const long = file('history.csv', 'date,model,downloads,downloads_all_time\n2025-01-13,acme/a,5,15\n2025-01-06,acme/a,3,10\n2025-01-06,acme/b,1,1\n2025-01-13,acme/a,6,16\n20-01-2025,acme/b,2,4\n');
    const ms = await run(w, [long]);
    expect(ms.map((m) => [m.snapshot, m.rows, m.duplicates_dropped, m.sum_downloads_all_time])).toEqual([
      ['2025-01-06', 2, 0, 11],
      ['2025-01-13', 1, 1, 16],
      ['2025-01-20', 1, 0, 4],
    ]);
    for (const m of ms) expect(m.source).toEqual({ files: [{ name: 'history.csv', sha256: sha256Text(readFileSync(long)) }], format: 'tracker-csv' });
  });

  it('maps columns with --map; a mapped column no file has is refused', async () => {
    const w = wh();
    const f = file('custom.csv', 'Repo,DL (30 days),Total,When,Who\nalpha-model,7,70,2025-01-06,someone\n');
    const [m] = await run(w, [f], { map: 'id=Repo,downloads=DL (30 days),downloads_all_time=total,date=When,author=Who' });
    expect(m).toMatchObject({ snapshot: '2025-01-06', rows: 1, sum_downloads_all_time: 70 });
    expect(await lakeRows(w, '2025-01-06')).toEqual([r('alpha-model', 'someone', 7, 70)]);
    expect(await failure(wh(), [f], { map: 'id=Repo,downloads=DL (30 days),date=When,likes=Hearts' })).toMatch(/--map likes=Hearts: no file has a column "Hearts"/);
  });

  it('takes --snapshot for rows without a date; refuses a row whose date differs; date= ignores the column', async () => {
    const undated = file('undated.csv', 'id,downloads\nacme/a,1\n');
    expect(await failure(wh(), [undated])).toMatch(/^undated\.csv:2: no snapshot date: .*--snapshot YYYY-MM-DD/);
    const [m] = await run(wh(), [undated], { snapshot: '2025-04-07' });
    expect(m!.snapshot).toBe('2025-04-07');
    const dated = file('dated.csv', 'id,downloads,date\nacme/a,1,2025-04-07\nacme/b,1,2025-04-08\n');
    expect(await failure(wh(), [dated], { snapshot: '2025-04-07' })).toMatch(/^dated\.csv:3: the row's date 2025-04-08 differs from --snapshot 2025-04-07/);
    const [m2] = await run(wh(), [dated], { snapshot: '2025-04-07', map: 'date=' });
    expect(m2).toMatchObject({ snapshot: '2025-04-07', rows: 2 });
  });

  it("reads Excel's sep=; exports with decimal commas, and UTF-16 text", async () => {
    const w = wh();
    const semi = file('excel-2025-05-05.csv', 'sep=;\r\nModel;Downloads;Downloads all time\r\nacme/a;1.234;16.300.000,0\r\n');
    const utf16 = file('unicode-2025-05-12.txt', Buffer.from('\ufeffid\tdownloads\r\nacme/a\t1\r\n', 'utf16le'));
    const ms = await run(w, [semi, utf16]);
    expect(ms.map((m) => m.snapshot)).toEqual(['2025-05-05', '2025-05-12']);
    expect(await lakeRows(w, '2025-05-05')).toEqual([r('acme/a', 'acme', 1234, 16300000)]);
    expect(await lakeRows(w, '2025-05-12')).toEqual([r('acme/a', 'acme', 1, null)]);
    const bad = file('excel-2025-05-19.csv', 'sep=;\nid;downloads\nacme/a;x\n');
    expect(await failure(wh(), [bad])).toMatch(/^excel-2025-05-19\.csv:3: downloads:/);
  });

  it('reads CR line ends, pipes, quoted line breaks and quotes, trailing empty fields', async () => {
    const w = wh();
    const cr = file('cr-2025-05-26.csv', 'id,note,downloads\r"acme/a","two\rlines, ""quoted""",3\racme/b,,4,,\r');
    const pipe = file('pipe-2025-06-16.csv', 'model | downloads | likes\n acme/a | 1 234 | 2 \n');
    const ms = await run(w, [cr, pipe]);
    expect(ms.map((m) => [m.snapshot, m.rows])).toEqual([
      ['2025-05-26', 2],
      ['2025-06-16', 1],
    ]);
    expect(await lakeRows(w, '2025-05-26')).toEqual([r('acme/a', 'acme', 3, null), r('acme/b', 'acme', 4, null)]);
    expect(await lakeRows(w, '2025-06-16')).toEqual([r('acme/a', 'acme', 1234, null, 2)]);
  });

  it('refuses a date that exists, or one an unfinished crawl has staged, unless --replace', async () => {
    const w = wh();
    const f = file('t-2025-06-02.csv', 'id,downloads\nacme/a,1\n');
    await run(w, [f]);
    expect(await run(w, [f]).catch((e: Error) => e.message)).toMatch(/snapshot 2025-06-02 already exists.*--replace/);
    const [m] = await run(w, [f], { replace: true });
    expect(m!.rows).toBe(1);

    const staged = SnapshotStage.open({ paths: warehousePaths(w), snapshot: '2025-06-09', job: { kind: 'collect' }, startedAt: '2025-06-09T00:00:00.000Z', replace: false, fresh: true, logger: deps.logger });
    const g = file('t-2025-06-09.csv', 'id,downloads\nacme/a,2\n');
    expect(await run(w, [g]).catch((e: Error) => e.message)).toMatch(/snapshot 2025-06-09: an unfinished collect of that date is staged.*--replace/);
    expect(existsSync(join(staged.dir, 'checkpoint.json'))).toBe(true);
    const [m2] = await run(w, [g], { replace: true });
    expect(m2).toMatchObject({ snapshot: '2025-06-09', rows: 1 });
    expect(readFileSync(join(snapshotDir(warehousePaths(w), '2025-06-09'), 'manifest.json'), 'utf8')).toContain('"format": "tracker-csv"');
  });

  it('refuses options that do not fit', async () => {
    const f = file('x-2025-07-07.csv', 'id,downloads\nacme/a,1\n');
    await expect(importFiles(configFor(wh()), { files: [f], format: 'api-jsonl', map: 'id=x', replace: false }, deps)).rejects.toThrow(/--map: only tracker-csv/);
    await expect(importFiles(configFor(wh()), { files: [f], format: 'timeseries' as never, replace: false }, deps)).rejects.toThrow(/--format: expected one of api-jsonl, hub-stats, tracker-csv/);
    await expect(run(wh(), [join(tmp.dir, 'nope.csv')])).rejects.toThrow(/nope\.csv: no such file or folder/);
    await expect(run(wh(), [f], { map: 'model=x' })).rejects.toThrow(/--map: unknown field "model"/);
  });
});
