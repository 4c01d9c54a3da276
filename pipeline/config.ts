import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './errors.js';
import { LOG_LEVELS, type LogLevel } from './log.js';
import { DEFAULT_INPUT_LIMITS } from './import/inputLimits.js';

/** Everything a command may read of its settings, normalised once (DESIGN §10). */
export interface Config {
  /** Warehouse folder. Example: `./warehouse`. */
  readonly warehouse: string;
  /** Reports folder. Example: `./reports`. */
  readonly reports: string;
  readonly logLevel: LogLevel;
  /** Hub origin the collector talks to. Default `https://huggingface.co`. */
  readonly hubUrl: string;
  /**
   * Where `hubUrl` came from. The token goes to a hub other than the Hub's own origin only when
   * that hub was named by flag or environment: a config file in the working folder is not trusted
   * to redirect it.
   */
  readonly hubUrlFrom: 'flag' | 'env' | 'file' | 'default';
  /** `HF_TOKEN`; sent only to `hubUrl`'s origin, never logged. */
  readonly token: string | undefined;
  /** Models asked for per page; the hub may answer fewer. Default 1000. */
  readonly pageSize: number;
  /** Per-request timeout in ms. Default 60,000. */
  readonly requestTimeoutMs: number;
  /** Attempts per page before the crawl fails with exit 4. Default 8. */
  readonly maxAttempts: number;
  /** First backoff delay in ms, doubled per attempt with jitter. Default 1,000. */
  readonly retryBaseMs: number;
  /** Longest backoff delay in ms. Default 60,000. */
  readonly retryMaxMs: number;
  /** `import`: longest line (or JSON array element, or CSV record) in characters. Default 64 MiB. */
  readonly maxLineChars: number;
  /** `import`: most bytes read from one file (after gzip). Default 64 GiB. */
  readonly maxInputBytes: number;
  /** Longest wait the hub may ask for before a crawl fails with exit 4 (ms). Default 900,000. */
  readonly maxWaitMs: number;
  /** Requests per rate-limit window when the hub sends no headers. Default 500 anonymous, 1,000 with a token. */
  readonly quota: number;
  /** Rate-limit window in seconds when the hub sends no headers. Default 300. */
  readonly windowSeconds: number;
  /** Cron expression of `schedule`. Default Mondays 06:00. */
  readonly cron: string;
  /** Time zone of the cron expression. Default `UTC`. */
  readonly tz: string;
  /** DuckDB memory budget of `build`, which spills to disk beyond it. Default {@link DEFAULT_MEMORY}. Example: `4GiB`. */
  readonly memory: string;
}

/** Well under the RAM of a laptop or a small VM, and enough for a year of weekly snapshots. */
export const DEFAULT_MEMORY = '2GiB';

/** A size DuckDB's `memory_limit` accepts: a number and a unit, e.g. `2GiB`, `512MB`. */
export function memorySize(value: unknown): string {
  const s = String(value).trim();
  const m = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.exec(s);
  if (!m || Number(m[1]) <= 0) throw new UsageError(`--memory: expected a size such as 2GiB, 512MiB or 1.5GB, got ${JSON.stringify(value)}`);
  return `${m[1]}${m[2]}`;
}

/** Settings a user may put in `hubtrends.config.json`; the same keys as {@link Config} but the token. */
type FileConfig = Partial<Omit<Config, 'token' | 'hubUrlFrom'>>;

export interface ConfigSources {
  readonly flags: Partial<Record<keyof Config, string | number | undefined>>;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export const DEFAULT_HUB = 'https://huggingface.co';
export const CONFIG_FILE = 'hubtrends.config.json';

const NUMERIC = ['pageSize', 'requestTimeoutMs', 'maxAttempts', 'retryBaseMs', 'retryMaxMs', 'maxWaitMs', 'quota', 'windowSeconds', 'maxLineChars', 'maxInputBytes'] as const;

function readFileConfig(cwd: string): FileConfig {
  const file = join(cwd, CONFIG_FILE);
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`${file}: expected a JSON object of settings`);
  }
  if ('token' in parsed) throw new UsageError(`${file}: "token" does not belong in a file; set HF_TOKEN instead`);
  return parsed as FileConfig;
}

function positiveInt(name: string, value: unknown, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new UsageError(`${name}: expected a whole number from 1 to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

export function normaliseHubUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`hub URL: expected an http(s) URL such as ${DEFAULT_HUB}, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`hub URL: expected http or https, got ${JSON.stringify(value)}`);
  }
  if (url.username || url.password) throw new UsageError('hub URL: credentials in the URL are refused; set HF_TOKEN');
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/**
 * The warehouse folder, refused early when no command could use it: DuckDB reads a database path
 * up to a `?` (the rest is taken for options), and a file where the folder should be would only
 * fail later, in the middle of some other message.
 */
function warehouseDir(path: string): string {
  if (path.includes('?')) throw new UsageError(`--warehouse: ${JSON.stringify(path)} holds a "?", which DuckDB cannot open a database under; choose a folder without one`);
  let st;
  try {
    st = statSync(path);
  } catch {
    return path; // made by the first command that writes
  }
  if (!st.isDirectory()) throw new UsageError(`--warehouse: ${JSON.stringify(path)} is a file, not a folder; name the warehouse folder`);
  return path;
}

/** Flags beat env, env beats `hubtrends.config.json`, which beats defaults (DESIGN §9). */
export function loadConfig(src: ConfigSources): Config {
  const file = readFileConfig(src.cwd);
  const { flags, env } = src;
  const pick = <K extends keyof Config>(key: K, envName?: string): unknown =>
    flags[key] ?? (envName ? env[envName] || undefined : undefined) ?? file[key as keyof FileConfig];

  const token = env.HF_TOKEN?.trim() || undefined;
  const logLevel = String(pick('logLevel', 'HUBTRENDS_LOG_LEVEL') ?? 'info');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new UsageError(`--log-level: expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
  }
  const numbers = {} as Record<(typeof NUMERIC)[number], number>;
  const defaults: Record<(typeof NUMERIC)[number], number> = {
    pageSize: 1000,
    requestTimeoutMs: 60_000,
    maxAttempts: 8,
    retryBaseMs: 1000,
    retryMaxMs: 60_000,
    maxWaitMs: 900_000,
    maxLineChars: DEFAULT_INPUT_LIMITS.maxLineChars,
    maxInputBytes: DEFAULT_INPUT_LIMITS.maxInputBytes,
    quota: token ? 1000 : 500,
    windowSeconds: 300,
  };
  for (const key of NUMERIC) {
    const raw = pick(key);
    numbers[key] = raw === undefined ? defaults[key] : positiveInt(key, raw, key === 'pageSize' ? 1000 : undefined);
  }
  const str = (v: unknown, fallback: string): string => (v === undefined ? fallback : String(v));
  const hubUrlFrom = flags.hubUrl !== undefined ? 'flag' : env.HUBTRENDS_HUB_URL ? 'env' : file.hubUrl !== undefined ? 'file' : 'default';
  return Object.freeze({
    warehouse: warehouseDir(resolve(src.cwd, str(pick('warehouse', 'HUBTRENDS_WAREHOUSE'), 'warehouse'))),
    reports: resolve(src.cwd, str(pick('reports', 'HUBTRENDS_REPORTS'), 'reports')),
    logLevel: logLevel as LogLevel,
    hubUrl: normaliseHubUrl(str(pick('hubUrl', 'HUBTRENDS_HUB_URL'), DEFAULT_HUB)),
    hubUrlFrom,
    token,
    ...numbers,
    cron: str(pick('cron'), '0 6 * * 1'),
    tz: str(pick('tz'), 'UTC'),
    memory: memorySize(pick('memory', 'HUBTRENDS_MEMORY') ?? DEFAULT_MEMORY),
  });
}
