import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import type { ModelSource, SortKey } from './ModelSource.js';
import { FaultDice, NO_FAULTS, type FaultPlan } from './faults.js';

/** `expand` values the real Hub knows; anything else is answered 400 as the Hub does. */
const KNOWN_EXPAND = new Set([
  'author', 'baseModels', 'cardData', 'childrenModelCount', 'config', 'createdAt', 'disabled', 'downloads',
  'downloadsAllTime', 'gated', 'gguf', 'inference', 'inferenceProviderMapping', 'lastModified', 'library_name',
  'likes', 'mask_token', 'model-index', 'pipeline_tag', 'private', 'resourceGroup', 'safetensors', 'sha',
  'siblings', 'spaces', 'tags', 'transformersInfo', 'trendingScore', 'usedStorage', 'widgetData', 'xetEnabled',
]);
const DEFAULT_FIELDS = new Set(['likes', 'downloads', 'tags', 'pipeline_tag', 'library_name', 'createdAt']);
const SORTS: readonly SortKey[] = ['createdAt', 'downloads'];
export const MAX_LIMIT = 1000;

export interface LocalHubOptions {
  readonly source: ModelSource;
  /** The instant the hub stands at (ms since epoch). */
  readonly asOfMs: number;
  /** Requests per window before 429. Default: effectively unlimited. */
  readonly quota?: number;
  readonly windowSeconds?: number;
  readonly faults?: FaultPlan;
  readonly logger?: Logger;
  /** Fixed wall time for rate-limit windows in tests. */
  readonly now?: () => number;
  /** Keep a record of every listing request in `seen` and of every overview request in `seenOverviews` (tests); off for a long-running server. Default true. */
  readonly recordRequests?: boolean;
}

const OVERVIEW_RE = /^\/api\/(users|organizations)\/([^/]+)\/overview$/;

/** One request as the server saw it, for tests about what a client sends. */
export interface SeenRequest {
  readonly path: string;
  readonly authorization: boolean;
}

interface Cursor {
  v: 1;
  s: SortKey;
  p: number;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(s: string): Cursor | null {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    return c.v === 1 && SORTS.includes(c.s) && Number.isSafeInteger(c.p) && c.p >= 0 ? c : null;
  } catch {
    return null;
  }
}

/**
 * A Hub-compatible `GET /api/models` on node:http (DESIGN §3): limit, sort, repeated expand,
 * opaque cursors in an absolute `Link` header, and the Hub's rate-limit headers; plus the user and
 * organisation overview endpoints that say what a namespace is. Used by the demo,
 * the tests and the benchmarks; never by anything that talks to the real Hub.
 */
export class LocalHub {
  private server: Server | null = null;
  private base = '';
  asOfMs: number;
  readonly seen: SeenRequest[] = [];
  private windowStart = 0;
  private used = 0;
  private readonly dice: FaultDice;
  private readonly overviewDice: FaultDice;
  /** The overview requests (`/api/users|organizations/{name}/overview`), apart from `seen`. */
  readonly seenOverviews: SeenRequest[] = [];
  private readonly logger: Logger;
  private readonly now: () => number;

  constructor(private readonly opts: LocalHubOptions) {
    this.asOfMs = opts.asOfMs;
    this.dice = new FaultDice(opts.faults ?? NO_FAULTS);
    this.overviewDice = new FaultDice(opts.faults ?? NO_FAULTS, true);
    this.logger = opts.logger ?? silentLogger();
    this.now = opts.now ?? Date.now;
  }

  get url(): string {
    return this.base;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.logger.error({ err }, 'local hub request failed');
        if (!res.headersSent) this.json(res, 500, { error: 'internal error' });
        else res.destroy();
      });
    });
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const addr = server.address() as AddressInfo;
    this.base = `http://${host}:${addr.port}`;
    return this.base;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Act out a drawn fault: a stall (answered after 30 s unless the client hangs up), a reset, a
   * 429 or another status. True when the request was dealt with and must not be answered normally.
   */
  private async injectFault(fault: string | null, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<boolean> {
    if (fault === 'stall') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 30_000);
        req.socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (req.socket.destroyed) return true;
    }
    if (fault === 'reset') {
      req.socket.destroy();
      return true;
    }
    if (fault === '429') {
      this.json(res, 429, { error: 'Too Many Requests' }, { ...headers, 'retry-after': '1' });
      return true;
    }
    if (fault !== null && /^\d+$/.test(fault)) {
      this.json(res, Number(fault), { error: `injected ${fault}` }, headers);
      return true;
    }
    return false;
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  /** Count the request against the fixed window; returns the RateLimit headers and whether it is over. */
  private rateLimit(): { headers: Record<string, string>; over: boolean } {
    const quota = this.opts.quota ?? 1_000_000_000;
    const windowMs = (this.opts.windowSeconds ?? 300) * 1000;
    const now = this.now();
    if (now - this.windowStart >= windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    this.used++;
    const remaining = Math.max(0, quota - this.used);
    const reset = Math.max(0, Math.ceil((this.windowStart + windowMs - now) / 1000));
    return {
      over: this.used > quota,
      headers: {
        ratelimit: `"api";r=${remaining};t=${reset}`,
        'ratelimit-policy': `"fixed window";"api";q=${quota};w=${windowMs / 1000}`,
      },
    };
  }

  /**
   * The Hub's namespace overviews, as huggingface_hub's get_user_overview and
   * get_organization_overview read them: a user at `/api/users/{name}/overview` (`user`,
   * `fullname`, `type: "user"`), an organisation at `/api/organizations/{name}/overview` (`name`,
   * `fullname`, `type: "org"`); 404 for a name the endpoint does not know. Under the same rate
   * limit as the listing, with the `overview.` faults.
   */
  private async handleOverview(req: IncomingMessage, res: ServerResponse, endpoint: 'users' | 'organizations', name: string): Promise<void> {
    if (this.opts.recordRequests ?? true) this.seenOverviews.push({ path: `/api/${endpoint}/${name}/overview`, authorization: req.headers.authorization !== undefined });
    const rl = this.rateLimit();
    if (rl.over) return this.json(res, 429, { error: 'Too Many Requests' }, rl.headers);
    const fault = this.overviewDice.next();
    if (await this.injectFault(fault, req, res, rl.headers)) return;
    const info = this.opts.source.namespace?.(name) ?? null;
    const wanted = endpoint === 'users' ? 'user' : 'org';
    if (!info || info.type !== wanted) return this.json(res, 404, { error: endpoint === 'users' ? 'User not found' : 'Organization not found' }, rl.headers);
    const body = wanted === 'user' ? { user: name, fullname: info.fullname, type: 'user' } : { name, fullname: info.fullname, type: 'org' };
    if (fault === 'truncate') {
      const text = JSON.stringify(body);
      res.writeHead(200, { ...rl.headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      req.socket.destroy();
      return;
    }
    return this.json(res, 200, body, rl.headers);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const overview = OVERVIEW_RE.exec(url.pathname);
    if (overview && (req.method === 'GET' || req.method === 'HEAD')) return this.handleOverview(req, res, overview[1] as 'users' | 'organizations', decodeURIComponent(overview[2]!));
    if (this.opts.recordRequests ?? true) this.seen.push({ path: url.pathname + url.search, authorization: req.headers.authorization !== undefined });
    if (url.pathname === '/_localhub/as-of' && req.method === 'POST') {
      // Browsers send Origin on cross-site POSTs; the tools that drive the local hub do not.
      if (req.headers.origin !== undefined) return this.json(res, 403, { error: 'cross-origin requests are refused' });
      const date = url.searchParams.get('date') ?? '';
      const ms = Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date);
      if (Number.isNaN(ms)) return this.json(res, 400, { error: `bad date ${JSON.stringify(date)}` });
      this.asOfMs = ms;
      return this.json(res, 200, { asOf: new Date(ms).toISOString() });
    }
    if (url.pathname !== '/api/models' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return this.json(res, 404, { error: 'Not Found' });
    }
    const rl = this.rateLimit();
    if (rl.over) return this.json(res, 429, { error: 'Too Many Requests' }, rl.headers);

    const p = url.searchParams;
    const sort = (p.get('sort') ?? 'createdAt') as SortKey;
    if (!SORTS.includes(sort)) return this.json(res, 400, { error: `sort: unsupported value ${JSON.stringify(sort)}` }, rl.headers);
    const direction = p.get('direction');
    if (direction !== null && direction !== '-1') return this.json(res, 400, { error: 'direction: only -1 is supported' }, rl.headers);
    const rawLimit = p.get('limit');
    const limit = rawLimit === null ? MAX_LIMIT : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1) return this.json(res, 400, { error: `limit: expected a positive integer, got ${JSON.stringify(rawLimit)}` }, rl.headers);
    const expand = p.getAll('expand');
    const unknown = expand.filter((e) => !KNOWN_EXPAND.has(e));
    if (unknown.length > 0) {
      return this.json(res, 400, { error: `"expand" contains invalid value(s): ${unknown.map((e) => JSON.stringify(e)).join(', ')}` }, rl.headers);
    }
    let position: number | null = null;
    const cursorParam = p.get('cursor');
    if (cursorParam !== null) {
      const cursor = decodeCursor(cursorParam);
      if (!cursor || cursor.s !== sort) return this.json(res, 400, { error: 'cursor: invalid or expired' }, rl.headers);
      position = cursor.p;
    }

    const fault = this.dice.next();
    const plan = this.opts.faults ?? NO_FAULTS;
    if (plan.slowMs > 0) await new Promise((r) => setTimeout(r, plan.slowMs));
    if (await this.injectFault(fault, req, res, rl.headers)) return;

    const fields = expand.length > 0 ? new Set(expand) : DEFAULT_FIELDS;
    const page = this.opts.source.page(this.asOfMs, sort, position, Math.min(limit, MAX_LIMIT), fields);
    const headers: Record<string, string> = { ...rl.headers, 'content-type': 'application/json; charset=utf-8' };
    if (this.opts.source.synthetic) headers['x-hubtrends-synthetic'] = 'true';
    if (page.next !== null) {
      const next = new URL(url.pathname, this.base);
      for (const [k, v] of p) if (k !== 'cursor') next.searchParams.append(k, v);
      next.searchParams.set('cursor', encodeCursor({ v: 1, s: sort, p: page.next }));
      const target = plan.foreignLink && position === null ? plan.foreignLink : next.toString();
      headers.link = `<${target}>; rel="next"`;
    }
    const body = fault === 'notarray' ? JSON.stringify({ models: page.items }) : JSON.stringify(page.items);
    if (fault === 'truncate') {
      res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(body) });
      res.write(body.slice(0, Math.floor(body.length / 2)));
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}
