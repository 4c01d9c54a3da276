import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from '../../pipeline/build/build.js';
import { importFiles } from '../../pipeline/import/importFiles.js';
import { UsageError } from '../../pipeline/errors.js';
import { sha256Text } from '../../pipeline/storage/sha256.js';
import { Database } from '../../pipeline/duckdb.js';
import { snapshotDir, warehousePaths } from '../../pipeline/paths.js';
import { configFor, deps, queryWarehouse, tempDir } from '../helpers.js';
import { createLogger } from '../../pipeline/log.js';

// 250 real /api/models objects of February 2022 (test/fixtures/README.md): modelId, no createdAt,
// no downloadsAllTime, some without downloads, six legacy ids without a namespace.
const sample = join(import.meta.dirname, '..', 'fixtures', 'hub-api-2022-sample.jsonl');
const text = readFileSync(sample, 'utf8');
const objects = text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { modelId: string; downloads?: number });
const date = '2022-02-21';

async function lakeRows(wh: string, snapshot: string) {
  const parquet = join(snapshotDir(warehousePaths(wh), snapshot), 'models.parquet');
  return Database.with(':memory:', {}, (db) =>
    db.rows<{ model_id: string; author: string | null; downloads_30d: string | null; downloads_all_time: string | null; created_at: string | null }>(
      `SELECT model_id, author, downloads_30d, downloads_all_time, created_at::VARCHAR AS created_at FROM read_parquet('${parquet}') ORDER BY model_id`,
    ),
  );
}

describe('import api-jsonl: the 2022 API sample', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse'); // no registry of its own: build uses the shipped one
  const config = configFor(wh);

  beforeAll(async () => {
    const [m] = await importFiles(config, { files: [sample], format: 'api-jsonl', snapshot: date, replace: false }, deps);
    expect(m!.snapshot).toBe(date);
  });
  afterAll(() => tmp.cleanup());

  it("keeps every object: row count and download sum equal the file's", async () => {
    expect(objects).toHaveLength(250);
    const sum = objects.reduce((s, o) => s + (o.downloads ?? 0), 0);
    const manifest = JSON.parse(readFileSync(join(snapshotDir(warehousePaths(wh), date), 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      snapshot: date,
      rows: 250,
      sum_downloads_30d: sum,
      sum_downloads_all_time: 0,
      skipped: {},
      duplicates_dropped: 0,
      source: { files: [{ name: 'hub-api-2022-sample.jsonl', sha256: sha256Text(readFileSync(sample)) }], format: 'api-jsonl' },
    });
    const rows = await lakeRows(wh, date);
    expect(rows).toHaveLength(250);
    expect(rows.reduce((s, r) => s + Number(r.downloads_30d ?? 0), 0)).toBe(sum);
    expect(rows.filter((r) => r.downloads_30d === null)).toHaveLength(objects.filter((o) => o.downloads === undefined).length);
    expect(rows.every((r) => r.downloads_all_time === null && r.created_at === null)).toBe(true);
    expect(rows.find((r) => r.model_id === 'bert-base-cased')).toMatchObject({ author: null });
    expect(rows.find((r) => r.model_id === 'AlexMaclean/sentence-compression')).toMatchObject({ author: 'AlexMaclean', downloads_30d: '9' });
  });

  it('after build with the shipped registry, legacy ids resolve through aliases.csv', async () => {
    const r = await build(wh, { full: false }, deps);
    expect(r.registryShipped).toBe(true);
    const origin = await queryWarehouse<{ model_id: string; resolved_id: string; namespace: string }>(
      wh,
      "SELECT model_id, resolved_id, namespace FROM model_origin WHERE model_id IN ('bert-base-cased', 't5-base', 'albert-large-v2') ORDER BY model_id",
    );
    expect(origin).toEqual([
      { model_id: 'albert-large-v2', resolved_id: 'albert/albert-large-v2', namespace: 'albert' },
      { model_id: 'bert-base-cased', resolved_id: 'google-bert/bert-base-cased', namespace: 'google-bert' },
      { model_id: 't5-base', resolved_id: 'google-t5/t5-base', namespace: 'google-t5' },
    ]);
  });

  it('refuses the same date again unless --replace, and replaces it with --replace', async () => {
    const again = importFiles(config, { files: [sample], format: 'api-jsonl', snapshot: date, replace: false }, deps);
    await expect(again).rejects.toBeInstanceOf(UsageError);
    await expect(importFiles(config, { files: [sample], format: 'api-jsonl', snapshot: date, replace: false }, deps)).rejects.toThrow(/already exists.*--replace/);
    const [m] = await importFiles(config, { files: [sample], format: 'api-jsonl', snapshot: date, replace: true }, deps);
    expect(m!.rows).toBe(250);
    expect(readdirSync(warehousePaths(wh).staging)).toEqual([]);
  });

  it('reads the same objects as a JSON array, gzip-compressed, dated by the file name', async () => {
    const w2 = join(tmp.dir, 'w2');
    const arr = join(tmp.dir, 'models-2022-02-21.json.gz');
    writeFileSync(arr, gzipSync(JSON.stringify(objects, null, 1)));
    const [m] = await importFiles(configFor(w2), { files: [arr], format: 'api-jsonl', replace: false }, deps);
    expect(m).toMatchObject({ snapshot: date, rows: 250 });
    expect(await lakeRows(w2, date)).toEqual(await lakeRows(wh, date));
  });

  it('counts invalid objects by reason as a crawl would, and keeps the last of a model seen twice', async () => {
    const w3 = join(tmp.dir, 'w3');
    const f = join(tmp.dir, 'mixed.jsonl');
    const lines = [
      { id: 'a/one', downloads: 1 },
      { modelId: 'legacy-name', downloads: 2 },
      { downloads: 3 },
      { id: 'x/y', downloads: -1 },
      { id: 'not/an/id', downloads: 1 },
      [1, 2],
      { id: 'a/one', downloads: 10, downloadsAllTime: 50, createdAt: '2024-01-01T00:00:00.000Z', baseModels: { models: [{ _id: 'q', id: 'Qwen/Qwen2.5-7B' }], relation: 'finetune' } },
    ];
    writeFileSync(f, lines.map((l) => JSON.stringify(l)).join('\n'));
    const [m] = await importFiles(configFor(w3), { files: [f], format: 'api-jsonl', snapshot: '2025-01-06', replace: false }, deps);
    expect(m).toMatchObject({ rows: 2, duplicates_dropped: 1, sum_downloads_30d: 12, skipped: { bad_counter: 1, bad_id: 1, missing_id: 1, not_an_object: 2 } });
  });

  it('needs --snapshot when the file name holds no date', async () => {
    const w4 = join(tmp.dir, 'w4');
    await expect(importFiles(configFor(w4), { files: [sample], format: 'api-jsonl', replace: false }, deps)).rejects.toThrow(
      /hub-api-2022-sample\.jsonl: no snapshot date.*--snapshot YYYY-MM-DD/,
    );
    await expect(importFiles(configFor(w4), { files: [sample], format: 'api-jsonl', snapshot: '2022-02-30', replace: false }, deps)).rejects.toThrow(/--snapshot.*2022-02-30/);
    expect(existsSync(warehousePaths(w4).snapshots)).toBe(false);
  });

  it('an unreadable line fails the whole import with file:line, and nothing of it lands in the lake', async () => {
    const w5 = join(tmp.dir, 'w5');
    const good = join(tmp.dir, 'good-2025-01-06.jsonl');
    const bad = join(tmp.dir, 'bad-2025-01-13.jsonl');
    writeFileSync(good, '{"id":"a/b","downloads":1}\n');
    writeFileSync(bad, '{"id":"a/b","downloads":1}\r\n{"id":"c/d","downloads":\r\n');
    const err = await importFiles(configFor(w5), { files: [good, bad], format: 'api-jsonl', replace: false }, deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/^bad-2025-01-13\.jsonl:2: not valid JSON/);
    expect(existsSync(warehousePaths(w5).snapshots)).toBe(false);
    expect(readdirSync(warehousePaths(w5).staging)).toEqual([]);
  });

  it('a stop signal ends the import and discards its stages; nothing is published', async () => {
    const w = join(tmp.dir, 'w-stop');
    const second = join(tmp.dir, 'second-2022-02-28.jsonl');
    writeFileSync(second, text);
    const stop = new AbortController();
    // Stop once the first file has been read (its stage then holds rows).
    const logger = createLogger('info', { write: (line: string) => void (line.includes('API objects read') && stop.abort(new Error('stopped by test'))) });
    const dated = join(tmp.dir, 'first-2022-02-21.jsonl');
    writeFileSync(dated, text);
    await expect(importFiles(configFor(w), { files: [dated, second], format: 'api-jsonl', replace: false }, { ...deps, logger, signal: stop.signal })).rejects.toThrow('stopped by test');
    expect(stop.signal.aborted).toBe(true);
    expect(existsSync(warehousePaths(w).snapshots)).toBe(false);
    expect(readdirSync(warehousePaths(w).staging)).toEqual([]);
  });

  it('refuses an empty file with a clear message', async () => {
    const w6 = join(tmp.dir, 'w6');
    for (const [name, body] of [['empty.jsonl', ''], ['blank.jsonl', '\n\r\n'], ['none.json', '[ ]']] as const) {
      const f = join(tmp.dir, name);
      writeFileSync(f, body);
      await expect(importFiles(configFor(w6), { files: [f], format: 'api-jsonl', snapshot: '2025-01-06', replace: false }, deps)).rejects.toThrow(
        new RegExp(`^${name.replace('.', '\\.')}: empty file`),
      );
    }
    expect(existsSync(warehousePaths(w6).snapshots)).toBe(false);
  });
});
