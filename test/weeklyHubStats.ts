import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database, sqlLiteral } from '../pipeline/duckdb.js';

/**
 * A synthetic Hub for comparison tests, written as the public `hfmlsoc/hub_weekly_snapshots`
 * dataset lays it out: `models/<YYYY-MM-DD>/models.parquet` with the hub-stats columns. Every
 * figure is known in advance: model m is downloaded `weekly(m, k)` times in the week that ends at
 * snapshot k, for the weeks it exists, so its all-time counter at k is the sum of those.
 */
export interface SyntheticModel {
  readonly id: string;
  /** First and last snapshot index at which the model is listed. */
  readonly from: number;
  readonly to: number;
  readonly base?: string;
  readonly createdAt: string;
  /** Downloads in the week ending at snapshot k (the first week: its whole counter). */
  readonly weekly: (k: number) => number;
}

export const FIRST_SNAPSHOT = '2024-08-05';

export function snapshotDate(k: number): string {
  return new Date(Date.parse(`${FIRST_SNAPSHOT}T00:00:00Z`) + k * 7 * 86_400_000).toISOString().slice(0, 10);
}

/** A steady, deterministic weekly rate that grows by `growth` downloads a week. */
const steady = (rate: number, growth: number) => (k: number) => rate + growth * k;

/** 40 models of 11 namespaces over 57 weekly snapshots (2024-08-05 … 2025-09-01). */
export const WEEKS = 57;
export const MODELS: readonly SyntheticModel[] = [
  ...[0, 1, 2, 3, 4].map((i) => ({ id: `Qwen/Qwen-${i}`, from: 0, to: WEEKS - 1, createdAt: '2024-01-10T00:00:00Z', weekly: steady(100 + 10 * i, 3 + i) })),
  { id: 'Qwen/Qwen-new', from: 25, to: WEEKS - 1, createdAt: '2025-01-22T00:00:00Z', weekly: steady(50, 2) },
  ...[0, 1, 2].map((i) => ({ id: `deepseek-ai/ds-${i}`, from: 0, to: WEEKS - 1, createdAt: '2024-01-10T00:00:00Z', weekly: steady(40 + i, 1) })),
  ...[0, 1, 2, 3, 4].map((i) => ({ id: `meta-llama/llama-${i}`, from: 0, to: WEEKS - 1, createdAt: '2024-01-10T00:00:00Z', weekly: steady(300 - 20 * i, -2) })),
  ...[0, 1].map((i) => ({ id: `google/gemma-${i}`, from: 0, to: WEEKS - 1, createdAt: '2024-01-10T00:00:00Z', weekly: steady(60, 0) })),
  { id: 'google/old', from: 0, to: 32, createdAt: '2023-01-10T00:00:00Z', weekly: steady(30, 0) },
  ...[0, 1].map((i) => ({ id: `mistralai/mistral-${i}`, from: 0, to: WEEKS - 1, createdAt: '2024-01-10T00:00:00Z', weekly: steady(25, 1) })),
  ...[0, 1].map((i) => ({ id: `ai21labs/jamba-${i}`, from: 0, to: WEEKS - 1, createdAt: '2024-01-10T00:00:00Z', weekly: steady(35 + 5 * i, 1) })),
  { id: 'THUDM/glm-4', from: 0, to: WEEKS - 1, createdAt: '2024-01-10T00:00:00Z', weekly: steady(45, 0) },
  ...[0, 1, 2].map((i) => ({ id: `bartowski/Qwen-${i}-GGUF`, from: 0, to: WEEKS - 1, base: `Qwen/Qwen-${i}`, createdAt: '2024-02-10T00:00:00Z', weekly: steady(80, 4) })),
  ...[0, 1, 2].map((i) => ({ id: `someone-unmapped/model-${i}`, from: 0, to: WEEKS - 1, createdAt: '2024-01-10T00:00:00Z', weekly: steady(20 + i, 2) })),
  ...[0, 1, 2].map((i) => ({ id: `mlx-community/llama-${i}-4bit`, from: 0, to: WEEKS - 1, base: `meta-llama/llama-${i}`, createdAt: '2024-02-10T00:00:00Z', weekly: steady(15, 1) })),
];

/** The all-time counter of a model at snapshot k (NaN when it is not listed then). */
export function allTime(m: SyntheticModel, k: number): number {
  if (k < m.from || k > m.to) return NaN;
  let sum = 0;
  for (let j = m.from; j <= k; j++) sum += m.weekly(j);
  return sum;
}

/** Downloads of a model in the trailing window of the periods ending at snapshots (a, b]. */
export function downloadsBetween(m: SyntheticModel, a: number, b: number): number {
  let sum = 0;
  for (let k = a + 1; k <= b; k++) if (k >= m.from && k <= m.to) sum += m.weekly(k);
  return sum;
}

const COLUMNS = `{
  id: 'VARCHAR', author: 'VARCHAR', createdAt: 'TIMESTAMPTZ', downloads: 'BIGINT', downloadsAllTime: 'BIGINT',
  likes: 'BIGINT', pipeline_tag: 'VARCHAR', library_name: 'VARCHAR', tags: 'VARCHAR[]',
  baseModels: 'STRUCT(models STRUCT(id VARCHAR)[], relation VARCHAR)'
}`;

/**
 * Write `<root>/models/<date>/models.parquet` for snapshots 0 … weeks−1; returns `<root>/models`.
 * The 30-day counter is the last four weeks and a third (as the Hub's rolling window would be).
 */
export async function writeWeeklyHubStats(root: string, models: readonly SyntheticModel[] = MODELS, weeks = WEEKS): Promise<string> {
  const dir = join(root, 'models');
  await Database.with(':memory:', {}, async (db) => {
    for (let k = 0; k < weeks; k++) {
      const date = snapshotDate(k);
      const folder = join(dir, date);
      mkdirSync(folder, { recursive: true });
      const rows = models
        .filter((m) => k >= m.from && k <= m.to)
        .map((m) => ({
          id: m.id,
          author: m.id.split('/')[0],
          createdAt: m.createdAt,
          downloads: Math.round((30 / 7) * m.weekly(k)),
          downloadsAllTime: allTime(m, k),
          likes: 1,
          pipeline_tag: 'text-generation',
          library_name: m.base ? 'gguf' : 'transformers',
          tags: m.base ? [`base_model:quantized:${m.base}`] : ['transformers'],
          baseModels: m.base ? { models: [{ id: m.base }], relation: 'quantized' } : null,
        }));
      const jsonl = join(root, `rows-${date}.jsonl`);
      writeFileSync(jsonl, rows.map((r) => JSON.stringify(r)).join('\n'));
      await db.run(`COPY (SELECT * FROM read_json(${sqlLiteral(jsonl)}, format = 'newline_delimited', columns = ${COLUMNS})) TO ${sqlLiteral(join(folder, 'models.parquet'))} (FORMAT parquet)`);
      rmSync(jsonl);
    }
  });
  return dir;
}
