/**
 * `node dist/test/bench/ingestOptions.js [--rows 2200000] [--variants a,b,c,d-ipc,d] [--seed 42]
 * [--dup-every 20000] [--timeout 1800] [--dir /tmp/…] [--keep]`: measures, side by side on the same
 * synthetic parsed rows, ways of getting ModelRow objects from a crawl into the final
 * models.parquet. A script, not a test: nothing here asserts a time.
 *
 * Each variant runs alone in a fresh child process (`--variant X`), so its peak RSS (VmHWM) is
 * its own. Rows are made page by page (1000 a page, as /api/models serves them) by a seeded
 * generator, identically in the parent (to know what the Parquet must hold) and in the child;
 * making them is not timed. Every resumable variant makes each page durable before the next
 * (an fsync of what holds the rows, then a checkpoint written with writeFileDurable, as
 * SnapshotStage.appendPage does), and lets the event loop turn between pages (untimed), as the
 * crawl does while it awaits the next response. Every variant ends with the publish step of
 * SnapshotStage.publish: the id hashes out to find duplicates, the last-staged row of each id
 * kept, COPY to Parquet (zstd 9, row groups of 30720), in one DuckDB thread with memory_limit 96MB.
 *
 *   a      NDJSON page files through SnapshotStage.appendPage (the current path), then read_json.
 *   b      DuckDBAppender row by row into a table of a file-backed DuckDB database in the staging
 *          folder; flushSync per page (a commit: DuckDB fsyncs its WAL), then COPY.
 *   c      DuckDBDataChunk per page (setColumnValues) through appender.appendDataChunk into the
 *          same kind of table; flushSync per page, then COPY.
 *   d-ipc  apache-arrow: one record batch (a Table of one batch) per page, written as an Arrow IPC
 *          file and fsync'd. Staging only: DuckDB 1.5 reads no Arrow IPC file without the
 *          nanoarrow community extension, which must be downloaded (see arrowIpcCheck).
 *   d      instead of d-ipc: one Parquet file per page written by DuckDB (data chunk into an
 *          in-memory table, COPY to pages/NNNNNN.parquet, fsync), then read_parquet of all pages.
 */
import { watchRss } from './watchRss.js';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statfsSync, statSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DuckDBDataChunk,
  DuckDBTimestampValue,
  BIGINT,
  LIST,
  TIMESTAMP,
  VARCHAR,
  listValue,
  type DuckDBAppender,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { Database, readSql, sqlLiteral } from '../../pipeline/duckdb.js';
import { duplicateHashes } from '../../pipeline/storage/duplicateHashes.js';
import { writeFileDurable } from '../../pipeline/storage/durable.js';
import { SnapshotStage } from '../../pipeline/storage/SnapshotStage.js';
import type { ModelRow } from '../../pipeline/hub/modelRow.js';
import { mulberry32 } from '../../pipeline/localhub/random.js';
import { silentLogger } from '../../pipeline/log.js';
import { warehousePaths } from '../../pipeline/paths.js';

const PAGE = 1000;
/** What SnapshotStage.publish uses for the final COPY (and what the collector runs under). */
const PUBLISH = { memoryLimit: '96MB', threads: 1 } as const;
const COPY_OPTIONS = 'FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 9, ROW_GROUP_SIZE 30720';

interface VariantInfo {
  readonly title: string;
  readonly resumable: string;
  readonly final: boolean;
}
const VARIANTS: Record<string, VariantInfo> = {
  a: { title: 'NDJSON pages → read_json → COPY (current)', resumable: 'yes: page file + checkpoint (current design)', final: true },
  b: { title: 'Appender row by row → DuckDB file table → COPY', resumable: 'yes: flush = WAL commit + fsync; on resume DELETE rows with _s ≥ checkpoint.rows', final: true },
  c: { title: 'DataChunk per page → appendDataChunk → DuckDB file table → COPY', resumable: 'yes: as b', final: true },
  'd-ipc': { title: 'apache-arrow batch → Arrow IPC file per page (staging only)', resumable: 'yes (staging): file + checkpoint; but no final step', final: false },
  d: { title: 'DuckDB Parquet file per page → read_parquet merge → COPY', resumable: 'yes: page file + checkpoint', final: true },
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

// ---------------------------------------------------------------------------------------------
// Synthetic rows: the same stream in parent and child for the same (seed, rows, dupEvery).
// ---------------------------------------------------------------------------------------------

const PIPELINES = ['text-generation', 'text-classification', 'token-classification', 'automatic-speech-recognition', 'image-classification', 'text-to-image', 'feature-extraction', 'sentence-similarity', 'fill-mask', 'question-answering', 'summarization', 'translation', 'image-text-to-text', 'reinforcement-learning', 'object-detection', 'text-to-speech', 'audio-classification', 'image-segmentation', 'zero-shot-classification', 'depth-estimation'];
const LIBRARIES = ['transformers', 'peft', 'diffusers', 'sentence-transformers', 'gguf', 'timm', 'mlx', 'stable-baselines3', 'ml-agents', 'keras', 'onnx', 'adapter-transformers'];
const TAG_VOCAB = ['safetensors', 'pytorch', 'tensorboard', 'en', 'zh', 'license:apache-2.0', 'license:mit', 'license:other', 'license:llama3', 'region:us', 'endpoints_compatible', 'autotrain_compatible', 'text-generation-inference', 'conversational', 'trl', 'sft', 'lora', 'generated_from_trainer', 'model-index', 'custom_code', 'gguf', 'quantized', '4-bit', 'llama', 'qwen2', 'mistral', 'gemma', 'bert', 'vit', 'whisper', 'unsloth', 'dataset:imdb', 'dataset:squad', 'arxiv:2106.09685', 'jax', 'tf', 'onnx', 'mlx', 'merge', 'mergekit'];
const RELATIONS = ['finetune', 'adapter', 'quantized', 'merge'];
const EPOCH_START = Date.parse('2021-01-01T00:00:00Z');
const EPOCH_SPAN = Date.parse('2026-05-01T00:00:00Z') - EPOCH_START;

/** A 32-bit seed per model, so a model's traits do not depend on the order rows are made in. */
function modelSeed(seed: number, m: number): number {
  return (Math.imul(m + 1, 0x9e3779b1) ^ Math.imul(seed, 0x85ebca6b)) >>> 0;
}

function orgOf(seed: number, m: number): number {
  const r = mulberry32(modelSeed(seed, m))();
  return Math.floor(60_000 * r * r * r); // a few orgs own many models
}

function modelId(seed: number, m: number): string {
  return `org${orgOf(seed, m)}/model-${m}`;
}

/**
 * Yields the rows of the crawl page by page: model m's traits come from its own seed, counters
 * from the stream; about one row in `dupEvery` lists again a model from the last ~1500 (as a
 * paginated listing does when models move), with new counters, and the last one must win.
 */
export class RowSource {
  private readonly rng: () => number;
  private made = 0;
  private models = 0;

  constructor(
    private readonly seed: number,
    private readonly rows: number,
    private readonly dupEvery: number,
  ) {
    this.rng = mulberry32(seed);
  }

  nextPage(): ModelRow[] | null {
    if (this.made >= this.rows) return null;
    const n = Math.min(PAGE, this.rows - this.made);
    const page: ModelRow[] = [];
    for (let i = 0; i < n; i++) page.push(this.nextRow());
    return page;
  }

  private nextRow(): ModelRow {
    const rng = this.rng;
    this.made++;
    let m: number;
    if (this.models > 2000 && this.dupEvery > 0 && rng() < 1 / this.dupEvery) {
      m = this.models - 1 - Math.floor(rng() * 1500);
    } else {
      m = this.models++;
    }
    const zero = rng() < 0.4;
    const d30 = zero ? 0 : Math.floor(Math.exp(rng() * 14));
    const all = d30 + Math.floor(Math.exp(rng() * 16)) - 1;
    const likes = rng() < 0.6 ? 0 : Math.floor(Math.exp(rng() * 7));
    return this.traits(m, d30, all, likes);
  }

  private traits(m: number, d30: number, all: number, likes: number): ModelRow {
    const r = mulberry32(modelSeed(this.seed, m));
    const r0 = r();
    const org = `org${Math.floor(60_000 * r0 * r0 * r0)}`;
    const created = r() < 0.02 ? null : new Date(EPOCH_START + Math.floor((m / Math.max(1, this.rows)) * EPOCH_SPAN) + Math.floor(r() * 3_600_000)).toISOString();
    const pipeline = r() < 0.7 ? PIPELINES[Math.floor(r() * PIPELINES.length)]! : null;
    const library = r() < 0.6 ? LIBRARIES[Math.floor(r() * LIBRARIES.length)]! : null;
    const nTags = 2 + Math.floor(r() * 4);
    const tags: string[] = [];
    for (let k = 0; k < nTags; k++) tags.push(TAG_VOCAB[Math.floor(r() * TAG_VOCAB.length)]!);
    let bases: string[] | null = null;
    let relation: string | null = null;
    if (m > 0 && r() < 0.35) {
      const nb = r() < 0.9 ? 1 : 2;
      bases = [];
      for (let k = 0; k < nb; k++) {
        const b = Math.floor(r() * m);
        const id = modelId(this.seed, b);
        if (!bases.includes(id)) bases.push(id);
      }
      relation = r() < 0.8 ? RELATIONS[Math.floor(r() * RELATIONS.length)]! : null;
    }
    return {
      model_id: `${org}/model-${m}`,
      author: r() < 0.99 ? org : null,
      created_at: created,
      downloads_30d: d30,
      downloads_all_time: all,
      likes,
      pipeline_tag: pipeline,
      library_name: library,
      tags,
      base_models: bases,
      base_relation: relation,
    };
  }
}

interface Expected {
  rows: number;
  staged: number;
  distinct: number;
  sum_downloads_30d: number;
  sum_downloads_all_time: number;
  sum_likes: number;
  sum_tags: number;
  with_bases: number;
  sum_created_ms: string;
}

/** What models.parquet must hold: one row per model, the counters of its last listing. */
function expectedOf(seed: number, rows: number, dupEvery: number): Expected {
  const src = new RowSource(seed, rows, dupEvery);
  const d30 = new Float64Array(rows);
  const all = new Float64Array(rows);
  const likes = new Float64Array(rows);
  const seen = new Uint8Array(rows);
  let distinct = 0;
  let tags = 0;
  let bases = 0;
  let createdMs = 0n;
  let staged = 0;
  for (let page = src.nextPage(); page; page = src.nextPage()) {
    for (const row of page) {
      staged++;
      const m = Number(row.model_id.slice(row.model_id.lastIndexOf('-') + 1));
      if (!seen[m]) {
        seen[m] = 1;
        distinct++;
        tags += row.tags?.length ?? 0;
        if (row.base_models) bases++;
        if (row.created_at) createdMs += BigInt(Date.parse(row.created_at));
      }
      d30[m] = row.downloads_30d ?? 0;
      all[m] = row.downloads_all_time ?? 0;
      likes[m] = row.likes ?? 0;
    }
  }
  let s30 = 0;
  let sAll = 0;
  let sLikes = 0;
  for (let m = 0; m < rows; m++) {
    s30 += d30[m]!;
    sAll += all[m]!;
    sLikes += likes[m]!;
  }
  return { rows: distinct, staged, distinct, sum_downloads_30d: s30, sum_downloads_all_time: sAll, sum_likes: sLikes, sum_tags: tags, with_bases: bases, sum_created_ms: createdMs.toString() };
}

// ---------------------------------------------------------------------------------------------
// The variants (child side).
// ---------------------------------------------------------------------------------------------

interface Stager {
  /** Make one page durable (rows numbered from `seq` on in `_s`), then advance the checkpoint. */
  append(rows: readonly ModelRow[], seq: number, pageNo: number): Promise<void>;
  /** Whatever closes the staging side (last flush, closing an appender); timed with staging. */
  endStaging(): Promise<void>;
  /** Folder whose size is the staged data. */
  readonly stagedPath: string;
  /** Write `parquet`; timed as the final step. */
  finish(parquet: string): Promise<void>;
}

const TABLE_COLUMNS = `model_id VARCHAR, author VARCHAR, created_at TIMESTAMP, downloads_30d BIGINT, downloads_all_time BIGINT,
  likes BIGINT, pipeline_tag VARCHAR, library_name VARCHAR, tags VARCHAR[], base_models VARCHAR[], base_relation VARCHAR, _s BIGINT`;
const CHUNK_TYPES: DuckDBType[] = [VARCHAR, VARCHAR, TIMESTAMP, BIGINT, BIGINT, BIGINT, VARCHAR, VARCHAR, LIST(VARCHAR), LIST(VARCHAR), VARCHAR, BIGINT];
const LIST_VARCHAR = LIST(VARCHAR);

function micros(iso: string | null): DuckDBTimestampValue | null {
  return iso === null ? null : new DuckDBTimestampValue(BigInt(Date.parse(iso)) * 1000n);
}
function big(n: number | null): bigint | null {
  return n === null ? null : BigInt(n);
}

/** Checkpoint of the variants that do not go through SnapshotStage: the same durable write. */
function saveCheckpoint(dir: string, pages: number, rows: number): void {
  writeFileDurable(join(dir, 'checkpoint.json'), `${JSON.stringify({ format: 1, pages, rows, next: `cursor-${pages}`, done: false })}\n`);
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The hash pass, the dedup and the COPY of SnapshotStage.publish, over a view `staged_models`. */
async function publishFrom(db: Database, hashesSql: string, parquet: string): Promise<void> {
  const dups = await duplicateHashes(db, hashesSql);
  await db.run(`SET VARIABLE dup_hashes = [${dups.join(', ')}]::UBIGINT[]`);
  await db.run(readSql('stage/deduplicated_models.sql'));
  await db.run(`COPY deduplicated_models TO ${sqlLiteral(parquet)} (${COPY_OPTIONS})`);
}

function fillChunk(rows: readonly ModelRow[], seq: number): DuckDBDataChunk {
  const n = rows.length;
  const chunk = DuckDBDataChunk.create(CHUNK_TYPES, n);
  const cols: DuckDBValue[][] = CHUNK_TYPES.map(() => new Array<DuckDBValue>(n));
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    cols[0]![i] = r.model_id;
    cols[1]![i] = r.author;
    cols[2]![i] = micros(r.created_at);
    cols[3]![i] = big(r.downloads_30d);
    cols[4]![i] = big(r.downloads_all_time);
    cols[5]![i] = big(r.likes);
    cols[6]![i] = r.pipeline_tag;
    cols[7]![i] = r.library_name;
    cols[8]![i] = r.tags ? listValue(r.tags) : null;
    cols[9]![i] = r.base_models ? listValue(r.base_models) : null;
    cols[10]![i] = r.base_relation;
    cols[11]![i] = BigInt(seq + i);
  }
  for (let c = 0; c < cols.length; c++) chunk.setColumnValues(c, cols[c]!);
  return chunk;
}

function appendRowByRow(app: DuckDBAppender, rows: readonly ModelRow[], seq: number): void {
  const s = (v: string | null) => (v === null ? app.appendNull() : app.appendVarchar(v));
  const b = (v: number | null) => (v === null ? app.appendNull() : app.appendBigInt(BigInt(v)));
  const l = (v: string[] | null) => (v === null ? app.appendNull() : app.appendList(v, LIST_VARCHAR));
  for (const r of rows) {
    app.appendVarchar(r.model_id);
    s(r.author);
    const ts = micros(r.created_at);
    if (ts === null) app.appendNull();
    else app.appendTimestamp(ts);
    b(r.downloads_30d);
    b(r.downloads_all_time);
    b(r.likes);
    s(r.pipeline_tag);
    s(r.library_name);
    l(r.tags);
    l(r.base_models);
    s(r.base_relation);
    app.appendBigInt(BigInt(seq++));
    app.endRow();
  }
}

async function makeStager(variant: string, dir: string): Promise<Stager> {
  const tmp = join(dir, 'duckdb-tmp');
  switch (variant) {
    case 'a': {
      const paths = warehousePaths(join(dir, 'warehouse'));
      const stage = SnapshotStage.open({ paths, snapshot: '2030-01-01', job: { kind: 'bench' }, startedAt: new Date().toISOString(), replace: false, fresh: true, logger: silentLogger(), allowDate: true });
      const pages = join(stage.dir, 'pages');
      return {
        stagedPath: pages,
        append: (rows, _seq, n) => stage.appendPage(rows, {}, `cursor-${n}`),
        endStaging: async () => undefined,
        finish: (parquet) =>
          Database.with(':memory:', { ...PUBLISH, tempDirectory: tmp }, async (db) => {
            await db.setVariable('stage_glob', join(pages, '*.jsonl'));
            await db.run(readSql('stage/staged_models.sql'));
            await publishFrom(db, readSql('stage/staged_id_hashes.sql'), parquet);
          }),
      };
    }
    case 'b':
    case 'c': {
      const file = join(dir, 'stage.duckdb');
      const db = await Database.open(file, { ...PUBLISH, tempDirectory: tmp });
      await db.run(`CREATE TABLE staged (${TABLE_COLUMNS})`);
      const app = await db.connection.createAppender('staged');
      return {
        stagedPath: dir,
        append: async (rows, seq, n) => {
          if (variant === 'b') appendRowByRow(app, rows, seq);
          else app.appendDataChunk(fillChunk(rows, seq));
          app.flushSync(); // a commit: DuckDB writes and fsyncs its WAL
          saveCheckpoint(dir, n, seq + rows.length);
        },
        endStaging: async () => app.closeSync(),
        finish: async (parquet) => {
          try {
            await db.run('CREATE OR REPLACE TEMP VIEW staged_models AS SELECT * FROM staged');
            await publishFrom(db, 'SELECT hash(model_id) AS h FROM staged', parquet);
          } finally {
            db.close();
          }
        },
      };
    }
    case 'd-ipc': {
      const arrow = await import('apache-arrow');
      const pages = join(dir, 'pages');
      mkdirSync(pages, { recursive: true });
      const utf8 = new arrow.Utf8();
      const int64 = new arrow.Int64();
      const ts = new arrow.TimestampMillisecond();
      const list = new arrow.List(new arrow.Field('item', new arrow.Utf8(), true));
      return {
        stagedPath: pages,
        append: async (rows, seq, n) => {
          const col = <T>(f: (r: ModelRow, i: number) => T) => rows.map(f);
          const table = new arrow.Table({
            model_id: arrow.vectorFromArray(col((r) => r.model_id), utf8),
            author: arrow.vectorFromArray(col((r) => r.author), utf8),
            created_at: arrow.vectorFromArray(col((r) => (r.created_at === null ? null : Date.parse(r.created_at))), ts),
            downloads_30d: arrow.vectorFromArray(col((r) => big(r.downloads_30d)), int64),
            downloads_all_time: arrow.vectorFromArray(col((r) => big(r.downloads_all_time)), int64),
            likes: arrow.vectorFromArray(col((r) => big(r.likes)), int64),
            pipeline_tag: arrow.vectorFromArray(col((r) => r.pipeline_tag), utf8),
            library_name: arrow.vectorFromArray(col((r) => r.library_name), utf8),
            tags: arrow.vectorFromArray(col((r) => r.tags), list),
            base_models: arrow.vectorFromArray(col((r) => r.base_models), list),
            base_relation: arrow.vectorFromArray(col((r) => r.base_relation), utf8),
            _s: arrow.vectorFromArray(col((_r, i) => BigInt(seq + i)), int64),
          });
          const bytes = arrow.tableToIPC(table, 'file');
          const fd = openSync(join(pages, `${String(n).padStart(6, '0')}.arrow`), 'w');
          try {
            writeSync(fd, bytes);
            fsyncSync(fd);
          } finally {
            closeSync(fd);
          }
          saveCheckpoint(dir, n, seq + rows.length);
        },
        endStaging: async () => undefined,
        finish: async () => {
          throw new Error('no final step: DuckDB 1.5 cannot read Arrow IPC files without the nanoarrow extension');
        },
      };
    }
    case 'd': {
      const pages = join(dir, 'pages');
      mkdirSync(pages, { recursive: true });
      const db = await Database.open(':memory:', { ...PUBLISH, tempDirectory: tmp });
      return {
        stagedPath: pages,
        append: async (rows, seq, n) => {
          await db.run(`CREATE OR REPLACE TABLE page (${TABLE_COLUMNS})`);
          const app = await db.connection.createAppender('page');
          app.appendDataChunk(fillChunk(rows, seq));
          app.closeSync();
          const file = join(pages, `${String(n).padStart(6, '0')}.parquet`);
          await db.run(`COPY page TO ${sqlLiteral(file)} (FORMAT parquet, COMPRESSION snappy)`);
          fsyncFile(file);
          saveCheckpoint(dir, n, seq + rows.length);
        },
        endStaging: async () => db.run('DROP TABLE IF EXISTS page'),
        finish: async (parquet) => {
          try {
            const glob = sqlLiteral(join(pages, '*.parquet'));
            await db.run(`CREATE OR REPLACE TEMP VIEW staged_models AS SELECT * FROM read_parquet(${glob})`);
            await publishFrom(db, `SELECT hash(model_id) AS h FROM read_parquet(${glob})`, parquet);
          } finally {
            db.close();
          }
        },
      };
    }
    default:
      throw new Error(`unknown variant ${variant}`);
  }
}

function du(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((s, f) => s + du(join(path, f)), 0);
}

function selfHwm(): number {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return hwm ? Number(hwm[1]) * 1024 : 0;
}

interface ChildResult {
  variant: string;
  stage_s: number;
  final_s: number | null;
  staged_bytes: number;
  parquet: string | null;
  self_hwm: number;
  hwm_after_staging: number;
  load_start: number;
  load_end: number;
  error?: string;
}

async function runChild(variant: string): Promise<void> {
  const rows = Number(arg('rows', '2200000'));
  const seed = Number(arg('seed', '42'));
  const dupEvery = Number(arg('dup-every', '20000'));
  const dir = arg('dir', '');
  if (!dir) throw new Error('--dir is required with --variant');
  mkdirSync(dir, { recursive: true });
  const result: ChildResult = { variant, stage_s: 0, final_s: null, staged_bytes: 0, parquet: null, self_hwm: 0, hwm_after_staging: 0, load_start: loadavg()[0]!, load_end: 0 };
  const src = new RowSource(seed, rows, dupEvery);
  let stageMs = 0;
  let t0 = performance.now();
  const stager = await makeStager(variant, dir);
  stageMs += performance.now() - t0;
  let seq = 0;
  let n = 0;
  for (let page = src.nextPage(); page; page = src.nextPage()) {
    t0 = performance.now();
    await stager.append(page, seq, ++n);
    stageMs += performance.now() - t0;
    seq += page.length;
    // Untimed: the event loop turns between pages, as it does while the crawl awaits the next
    // HTTP response. Without this the synchronous appender paths (b, c) never let N-API
    // finalizers run, and the duckdb_value / data chunk of every page stays allocated: 1.4 GB
    // at 500k rows for b, an artefact of the benchmark rather than of the path.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  t0 = performance.now();
  await stager.endStaging();
  stageMs += performance.now() - t0;
  result.stage_s = stageMs / 1000;
  result.staged_bytes = du(stager.stagedPath);
  result.hwm_after_staging = selfHwm();
  if (VARIANTS[variant]!.final) {
    const out = join(dir, 'out');
    mkdirSync(out, { recursive: true });
    const parquet = join(out, 'models.parquet');
    t0 = performance.now();
    await stager.finish(parquet);
    result.final_s = (performance.now() - t0) / 1000;
    result.parquet = parquet;
  }
  result.self_hwm = selfHwm();
  result.load_end = loadavg()[0]!;
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

// ---------------------------------------------------------------------------------------------
// The parent: one child per variant, peak RSS sampled from /proc as bench.ts does.
// ---------------------------------------------------------------------------------------------


async function spawnVariant(variant: string, dir: string, timeoutS: number): Promise<{ result: ChildResult | null; peakRss: number; wall: number; error?: string }> {
  const script = fileURLToPath(import.meta.url);
  const args = [script, '--variant', variant, '--dir', dir, '--rows', arg('rows', '2200000'), '--seed', arg('seed', '42'), '--dup-every', arg('dup-every', '20000')];
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
  const stop = watchRss(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutS * 1000);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  clearTimeout(timer);
  const peakRss = stop();
  const wall = (performance.now() - t0) / 1000;
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  const result = line ? (JSON.parse(line.slice('RESULT '.length)) as ChildResult) : null;
  if (timedOut) return { result, peakRss, wall, error: `killed after ${timeoutS} s` };
  if (code !== 0 || !result) return { result, peakRss, wall, error: `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}` };
  return { result, peakRss: Math.max(peakRss, result.self_hwm), wall };
}

interface Check {
  ok: boolean;
  rows: number;
  bytes: number;
  detail: string;
}

const EXPECTED_SCHEMA = 'model_id VARCHAR, author VARCHAR, created_at TIMESTAMP, downloads_30d BIGINT, downloads_all_time BIGINT, likes BIGINT, pipeline_tag VARCHAR, library_name VARCHAR, tags VARCHAR[], base_models VARCHAR[], base_relation VARCHAR';

async function checkParquet(parquet: string, exp: Expected): Promise<Check> {
  const lit = sqlLiteral(parquet);
  return Database.with(':memory:', { threads: 1 }, async (db) => {
    const cols = await db.rows<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM read_parquet(${lit})`);
    const schema = cols.map((c) => `${c.column_name} ${c.column_type}`).join(', ');
    const [s] = await db.rows<Record<string, string>>(`SELECT count(*) AS rows, count(DISTINCT model_id) AS distinct_ids,
        sum(downloads_30d) AS s30, sum(downloads_all_time) AS sall, sum(likes) AS slikes, sum(len(tags)) AS stags,
        count(base_models) AS bases, sum(epoch_ms(created_at))::HUGEINT::VARCHAR AS sms FROM read_parquet(${lit})`);
    const got = {
      rows: Number(s!.rows),
      distinct: Number(s!.distinct_ids),
      sum_downloads_30d: Number(s!.s30),
      sum_downloads_all_time: Number(s!.sall),
      sum_likes: Number(s!.slikes),
      sum_tags: Number(s!.stags),
      with_bases: Number(s!.bases),
      sum_created_ms: String(s!.sms),
    };
    const bad: string[] = [];
    if (schema !== EXPECTED_SCHEMA) bad.push(`schema ${schema}`);
    for (const [k, v] of Object.entries(got)) {
      const want = exp[k as keyof Expected];
      if (String(v) !== String(want)) bad.push(`${k} ${v} ≠ ${want}`);
    }
    return { ok: bad.length === 0, rows: got.rows, bytes: statSync(parquet).size, detail: bad.join('; ') };
  });
}

interface Line {
  variant: string;
  title: string;
  resumable: string;
  stage_s: number | null;
  final_s: number | null;
  peak_rss_mib: number;
  parquet_bytes_per_row: number | null;
  staged_mib: number | null;
  verified: string;
  load: string;
}

function r3(x: number): number {
  return Number(x.toPrecision(4));
}

async function runParent(): Promise<void> {
  const rows = Number(arg('rows', '2200000'));
  const seed = Number(arg('seed', '42'));
  const dupEvery = Number(arg('dup-every', '20000'));
  const timeoutS = Number(arg('timeout', '1800'));
  const variants = arg('variants', 'a,b,c,d-ipc,d').split(',').filter((v) => v.length > 0);
  for (const v of variants) if (!VARIANTS[v]) throw new Error(`unknown variant ${v}; known: ${Object.keys(VARIANTS).join(', ')}`);
  if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows: expected a positive integer');
  const root = arg('dir', '') || mkdtempSync(join(tmpdir(), 'hubtrends-ingest-'));
  mkdirSync(root, { recursive: true });
  // Bounded: each variant's staging and output is removed before the next one starts; refuse to
  // start without room for the largest (NDJSON, ~600 B a row) with a wide margin.
  const fs = statfsSync(root);
  const free = fs.bavail * fs.bsize;
  if (free < rows * 2000) throw new Error(`${root}: ${(free / 2 ** 30).toFixed(1)} GiB free, want ${((rows * 2000) / 2 ** 30).toFixed(1)} GiB`);

  console.log(`# ingest options: ${rows} rows (1 in ~${dupEvery} a re-listing), seed ${seed}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}; in ${root}`);
  const t0 = performance.now();
  const exp = expectedOf(seed, rows, dupEvery);
  console.log(`# expected: ${exp.staged} rows staged, ${exp.rows} distinct models (generated in ${((performance.now() - t0) / 1000).toFixed(1)} s, not timed)`);
  console.log('# Arrow IPC in DuckDB: ' + (await arrowIpcCheck()));

  const lines: Line[] = [];
  for (const v of variants) {
    const dir = join(root, v);
    rmSync(dir, { recursive: true, force: true });
    const info = VARIANTS[v]!;
    const r = await spawnVariant(v, dir, timeoutS);
    let verified = r.error ? `failed: ${r.error}` : 'n/a (no Parquet)';
    let bpr: number | null = null;
    if (!r.error && r.result?.parquet) {
      const c = await checkParquet(r.result.parquet, exp);
      verified = c.ok ? `ok (${c.rows} rows)` : `MISMATCH: ${c.detail}`;
      bpr = c.bytes / c.rows;
    }
    const line: Line = {
      variant: v,
      title: info.title,
      resumable: info.resumable,
      stage_s: r.result ? r3(r.result.stage_s) : null,
      final_s: r.result?.final_s != null ? r3(r.result.final_s) : null,
      peak_rss_mib: r3(r.peakRss / 2 ** 20),
      parquet_bytes_per_row: bpr === null ? null : r3(bpr),
      staged_mib: r.result ? r3(r.result.staged_bytes / 2 ** 20) : null,
      verified,
      load: r.result ? `${r.result.load_start.toFixed(2)}→${r.result.load_end.toFixed(2)}` : '',
    };
    lines.push(line);
    console.log(JSON.stringify({ bench: 'ingest', rows, ...line, rss_after_staging_mib: r.result ? r3(r.result.hwm_after_staging / 2 ** 20) : null, wall_s: r3(r.wall) }));
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }

  console.log(`\n| variant | path | stage s (fsync/page) | final Parquet s | stage + final s | peak RSS MiB | Parquet B/row | staged MiB | resumable | check | load 1m |`);
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---|---|---|');
  for (const l of lines) {
    const total = l.stage_s !== null && l.final_s !== null ? r3(l.stage_s + l.final_s) : '—';
    console.log(`| ${l.variant} | ${l.title} | ${l.stage_s ?? '—'} | ${l.final_s ?? '—'} | ${total} | ${l.peak_rss_mib} | ${l.parquet_bytes_per_row ?? '—'} | ${l.staged_mib ?? '—'} | ${l.resumable} | ${l.verified} | ${l.load} |`);
  }
  if (!arg('dir', '') && !process.argv.includes('--keep')) rmSync(root, { recursive: true, force: true });
}

/** Whether this DuckDB can read an Arrow IPC file with the network extensions off. */
async function arrowIpcCheck(): Promise<string> {
  return Database.with(':memory:', { threads: 1 }, async (db) => {
    const [v] = await db.rows<{ v: string }>('SELECT version() AS v');
    const fns = await db.rows<{ f: string }>("SELECT DISTINCT function_name AS f FROM duckdb_functions() WHERE function_name IN ('read_arrow', 'read_ipc', 'arrow_scan')");
    let load = 'LOAD nanoarrow: ok';
    try {
      await db.run('LOAD nanoarrow');
    } catch (err) {
      load = `LOAD nanoarrow: ${(err as Error).message.split('\n')[0]}`;
    }
    return `DuckDB ${v!.v}; functions present: ${fns.map((f) => f.f).join(', ') || 'none'} (arrow_scan takes in-process C stream pointers, not a file); ${load}`;
  });
}

const variant = arg('variant', '');
if (variant) await runChild(variant);
else await runParent();
