import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importFiles } from '../../pipeline/import/importFiles.js';
import { UsageError } from '../../pipeline/errors.js';
import { Database, sqlLiteral } from '../../pipeline/duckdb.js';
import { sha256Text } from '../../pipeline/storage/sha256.js';
import { snapshotDir, warehousePaths } from '../../pipeline/paths.js';
import { configFor, deps, tempDir } from '../helpers.js';

// Hub-stats-shaped Parquet files, generated here with DuckDB from API-shaped objects: the same
// objects imported as api-jsonl must give the same lake rows, whether the Parquet stores
// baseModels, cardData and tags as structs and lists or as JSON strings.
const objects: Record<string, unknown>[] = [
  { _id: '1', id: 'Qwen/Qwen2.5-7B', author: 'Qwen', createdAt: '2024-09-19T10:00:00.000Z', downloads: 100, downloadsAllTime: 1000, likes: 5, pipeline_tag: 'text-generation', library_name: 'transformers', tags: ['transformers', 'license:apache-2.0'], sha: 'x' },
  { _id: '2', id: 'unsloth/Qwen2.5-7B-GGUF', author: 'unsloth', createdAt: '2024-09-20T00:00:00.000Z', downloads: 40, downloadsAllTime: 90, likes: 1, tags: ['gguf', 'base_model:quantized:Qwen/Qwen2.5-7B'], baseModels: { models: [{ _id: '1', id: 'Qwen/Qwen2.5-7B' }], relation: 'quantized' } },
  { _id: '3', id: 'someone/merged', author: 'someone', downloads: 3, downloadsAllTime: 3, likes: 0, tags: [], baseModels: { models: [{ _id: 'a', id: 'x/one' }, { _id: 'b', id: 'y/two' }, { _id: 'a', id: 'x/one' }], relation: 'merge' } },
  { _id: '4', id: 'lab/tuned', downloads: 7, downloadsAllTime: 8, likes: 0, tags: ['base_model:meta-llama/Llama-3.1-8B', 'base_model:finetune:meta-llama/Llama-3.1-8B'] },
  { _id: '5', id: 'gpt2', downloads: 1000, downloadsAllTime: 50000, likes: 9, tags: ['pytorch'] },
  { _id: '6', downloads: 1, likes: 0 }, // missing_id
  { _id: '7', id: 'a/b/c', downloads: 1, likes: 0 }, // bad_id
  { _id: '8', id: 'bad/counter', downloads: -4, likes: 0 }, // bad_counter
  { _id: '9', id: 'Qwen/Qwen2.5-7B', author: 'Qwen', createdAt: '2024-09-19T10:00:00.000Z', downloads: 110, downloadsAllTime: 1010, likes: 6, tags: ['transformers'] }, // the same model again: the last wins
];
// A base model named only in cardData (and read only by hub-stats, which has cardData).
const cardOnly = { _id: '10', id: 'card/only', downloads: 2, downloadsAllTime: 2, likes: 0, cardData: { base_model: 'google/gemma-2-9b', base_model_relation: 'adapter', license: 'mit' } };

const COLUMNS = `{
  _id: 'VARCHAR', id: 'VARCHAR', author: 'VARCHAR', createdAt: 'TIMESTAMPTZ', downloads: 'BIGINT', downloadsAllTime: 'BIGINT',
  likes: 'BIGINT', pipeline_tag: 'VARCHAR', library_name: 'VARCHAR', tags: 'VARCHAR[]',
  baseModels: 'STRUCT(models STRUCT(_id VARCHAR, id VARCHAR)[], relation VARCHAR)',
  cardData: 'STRUCT(base_model VARCHAR, base_model_relation VARCHAR, license VARCHAR)', sha: 'VARCHAR'
}`;

type LakeRow = Record<string, unknown>;
async function lakeRows(wh: string, snapshot: string): Promise<LakeRow[]> {
  const parquet = join(snapshotDir(warehousePaths(wh), snapshot), 'models.parquet');
  return Database.with(':memory:', {}, (db) =>
    db.rows(`SELECT * EXCLUDE (created_at), strftime(created_at, '%Y-%m-%dT%H:%M:%S') AS created_at FROM read_parquet(${sqlLiteral(parquet)}, hive_partitioning = false) ORDER BY model_id`),
  );
}
const manifestOf = (wh: string, snapshot: string) => JSON.parse(readFileSync(join(snapshotDir(warehousePaths(wh), snapshot), 'manifest.json'), 'utf8'));

describe('import hub-stats: Parquet read by DuckDB', () => {
  const tmp = tempDir();
  const jsonl = join(tmp.dir, 'objects.jsonl');
  const hub = join(tmp.dir, 'hub'); // a folder laid out by date
  const structFile = join(hub, '2025-01-06', 'models.parquet');
  const stringFile = join(hub, 'snapshot=2025-01-13', 'models.parquet');
  const lakeFile = join(tmp.dir, 'stats-20250120.parquet');
  const whApi = join(tmp.dir, 'wh-api');
  const whHub = join(tmp.dir, 'wh-hub');

  beforeAll(async () => {
    writeFileSync(jsonl, [...objects, cardOnly].map((o) => JSON.stringify(o)).join('\n'));
    mkdirSync(join(hub, '2025-01-06'), { recursive: true });
    mkdirSync(join(hub, 'snapshot=2025-01-13'), { recursive: true });
    await Database.with(':memory:', {}, async (db) => {
      await db.run(`CREATE TABLE src AS SELECT * FROM read_json(${sqlLiteral(jsonl)}, format = 'newline_delimited', columns = ${COLUMNS})`);
      // Structs and lists, as the daily dataset stores them.
      await db.run(`COPY src TO ${sqlLiteral(structFile)} (FORMAT parquet)`);
      // JSON strings, DOUBLE counters (NaN for a missing one, as pandas writes), VARCHAR createdAt,
      // no likes column, an extra column.
      await db.run(`COPY (
        SELECT _id, id, author, strftime(createdAt, '%Y-%m-%dT%H:%M:%S.000Z') AS createdAt,
               CASE WHEN id = 'gpt2' THEN 'NaN'::DOUBLE ELSE downloads::DOUBLE END AS downloads,
               downloadsAllTime::DOUBLE AS downloadsAllTime, pipeline_tag, library_name,
               to_json(tags)::VARCHAR AS tags, to_json(baseModels)::VARCHAR AS baseModels,
               to_json(cardData)::VARCHAR AS cardData, 'extra' AS lastModified
        FROM src) TO ${sqlLiteral(stringFile)} (FORMAT parquet)`);
      // A lake's own models.parquet shape: snake_case, base_models as a list of ids.
      await db.run(`COPY (
        SELECT 'Qwen/Qwen2.5-7B' AS model_id, 'Qwen' AS author, TIMESTAMP '2024-09-19 10:00:00' AS created_at, 120::BIGINT AS downloads_30d,
               1100::BIGINT AS downloads_all_time, 7::BIGINT AS likes, 'text-generation' AS pipeline_tag, NULL::VARCHAR AS library_name,
               ['a']::VARCHAR[] AS tags, ['x/base']::VARCHAR[] AS base_models, 'finetune' AS base_relation
      ) TO ${sqlLiteral(lakeFile)} (FORMAT parquet)`);
    });
    await importFiles(configFor(whApi), { files: [jsonl], format: 'api-jsonl', snapshot: '2025-01-06', replace: false }, deps);
  });
  afterAll(() => tmp.cleanup());

  it('a folder laid out by date and a dated file give one snapshot each, with names and sha256 in the manifests', async () => {
    const ms = await importFiles(configFor(whHub), { files: [hub, lakeFile], format: 'hub-stats', replace: false }, deps);
    expect(ms.map((m) => [m.snapshot, m.rows])).toEqual([
      ['2025-01-06', 6],
      ['2025-01-13', 6],
      ['2025-01-20', 1],
    ]);
    expect(ms[0]!.source).toEqual({ files: [{ name: 'hub/2025-01-06/models.parquet', sha256: sha256Text(readFileSync(structFile)) }], format: 'hub-stats' });
    expect(ms[1]!.source).toEqual({ files: [{ name: 'hub/snapshot=2025-01-13/models.parquet', sha256: sha256Text(readFileSync(stringFile)) }], format: 'hub-stats' });
    expect(ms[2]!.source).toMatchObject({ files: [{ name: 'stats-20250120.parquet' }] });
    expect(readdirSync(warehousePaths(whHub).staging)).toEqual([]);
  });

  it('struct variant: the same rows, skips and duplicates as the same objects imported as api-jsonl', async () => {
    const api = await lakeRows(whApi, '2025-01-06');
    const hs = await lakeRows(whHub, '2025-01-06');
    expect(hs.filter((r) => r.model_id !== 'card/only')).toEqual(api.filter((r) => r.model_id !== 'card/only'));
    const [a, h] = [manifestOf(whApi, '2025-01-06'), manifestOf(whHub, '2025-01-06')];
    expect(h.skipped).toEqual({ bad_counter: 1, bad_id: 1, missing_id: 1 });
    expect(h.skipped).toEqual(a.skipped);
    expect(h.duplicates_dropped).toBe(1);
    expect(hs.find((r) => r.model_id === 'Qwen/Qwen2.5-7B')).toMatchObject({ downloads_30d: '110', downloads_all_time: '1010', likes: '6', created_at: '2024-09-19T10:00:00', tags: ['transformers'] });
    expect(hs.find((r) => r.model_id === 'someone/merged')).toMatchObject({ base_models: ['x/one', 'y/two'], base_relation: 'merge', tags: [] });
    expect(hs.find((r) => r.model_id === 'lab/tuned')).toMatchObject({ base_models: ['meta-llama/Llama-3.1-8B'], base_relation: 'finetune', author: 'lab' });
    expect(hs.find((r) => r.model_id === 'gpt2')).toMatchObject({ author: null, base_models: null, downloads_30d: '1000' });
  });

  it('reads a base model named only in cardData (struct or JSON string)', async () => {
    for (const date of ['2025-01-06', '2025-01-13']) {
      expect((await lakeRows(whHub, date)).find((r) => r.model_id === 'card/only')).toMatchObject({ base_models: ['google/gemma-2-9b'], base_relation: 'adapter' });
    }
  });

  it('JSON-string variant: the same rows; NaN and an absent likes column are NULL', async () => {
    const byStruct = await lakeRows(whHub, '2025-01-06');
    const byString = await lakeRows(whHub, '2025-01-13');
    const expected = byStruct.map((r) => ({ ...r, likes: null, downloads_30d: r.model_id === 'gpt2' ? null : r.downloads_30d }));
    expect(byString).toEqual(expected);
    expect(manifestOf(whHub, '2025-01-13').skipped).toEqual({ bad_counter: 1, bad_id: 1, missing_id: 1 });
  });

  it("reads a lake's own models.parquet shape", async () => {
    expect(await lakeRows(whHub, '2025-01-20')).toEqual([
      { model_id: 'Qwen/Qwen2.5-7B', author: 'Qwen', created_at: '2024-09-19T10:00:00', downloads_30d: '120', downloads_all_time: '1100', likes: '7', pipeline_tag: 'text-generation', library_name: null, tags: ['a'], base_models: ['x/base'], base_relation: 'finetune' },
    ]);
  });

  it('takes --snapshot for a file whose name holds no date, and refuses one without', async () => {
    const wh = join(tmp.dir, 'wh-snap');
    const plain = join(tmp.dir, 'models.parquet');
    writeFileSync(plain, readFileSync(structFile));
    await expect(importFiles(configFor(wh), { files: [plain], format: 'hub-stats', replace: false }, deps)).rejects.toThrow(/^models\.parquet: no snapshot date.*--snapshot/);
    const [m] = await importFiles(configFor(wh), { files: [plain], format: 'hub-stats', snapshot: '2024-12-30', replace: false }, deps);
    expect(m).toMatchObject({ snapshot: '2024-12-30', rows: 6 });
    await expect(importFiles(configFor(wh), { files: [plain], format: 'hub-stats', snapshot: '2024-12-30', replace: false }, deps)).rejects.toThrow(/2024-12-30 already exists.*--replace/);
  });

  it('a file that is not Parquet, or not of models, fails the whole import by name; nothing lands', async () => {
    const wh = join(tmp.dir, 'wh-bad');
    const notParquet = join(tmp.dir, 'bad-2025-02-03.parquet');
    writeFileSync(notParquet, 'id,downloads\na/b,1\n');
    const noId = join(tmp.dir, 'noid-2025-02-10.parquet');
    const empty = join(tmp.dir, 'empty-2025-02-17.parquet');
    await Database.with(':memory:', {}, async (db) => {
      await db.run(`COPY (SELECT 'a/b' AS name, 1 AS downloads) TO ${sqlLiteral(noId)} (FORMAT parquet)`);
      await db.run(`COPY (SELECT 'a/b' AS id, 1::BIGINT AS downloads LIMIT 0) TO ${sqlLiteral(empty)} (FORMAT parquet)`);
    });
    const cases: [string, RegExp][] = [
      [notParquet, /^bad-2025-02-03\.parquet: not a readable Parquet file/],
      [noId, /^noid-2025-02-10\.parquet: no model id column/],
      [empty, /^empty-2025-02-17\.parquet: empty file/],
    ];
    for (const [file, message] of cases) {
      const err = await importFiles(configFor(wh), { files: [structFile, file], format: 'hub-stats', replace: false }, deps).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(message);
    }
    expect(existsSync(warehousePaths(wh).snapshots)).toBe(false);
    expect(readdirSync(warehousePaths(wh).staging)).toEqual([]);
  });
});
