import PQueue from 'p-queue';
import type { Logger } from '../log.js';
import type { Clock } from '../clock.js';
import { HubError, UsageError } from '../errors.js';
import { DEFAULT_HUB } from '../config.js';
import { parseNextLink } from './linkHeader.js';
import { parseRateLimit, parseRateLimitPolicy, parseRetryAfter } from './rateLimitHeaders.js';

export interface HubClientOptions {
  /** Hub base URL, e.g. `https://huggingface.co`. Only its origin ever receives the token. */
  readonly hubUrl: string;
  readonly token: string | undefined;
  /** Where hubUrl came from (see Config.hubUrlFrom); `file` and a token for another hub are refused. */
  readonly hubUrlFrom?: 'flag' | 'env' | 'file' | 'default';
  readonly requestTimeoutMs: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Fallback pacing when the hub sends no RateLimit-Policy. */
  readonly quota: number;
  readonly windowSeconds: number;
  /**
   * Longest wait the hub may ask for (Retry-After, or the reset of an exhausted RateLimit window)
   * before the crawl gives up with exit 4 instead of sleeping. Default 900,000 (15 minutes: three
   * of the Hub's 5-minute windows).
   */
  readonly maxWaitMs?: number;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Seeded jitter in tests; Math.random otherwise. */
  readonly random?: () => number;
  readonly signal?: AbortSignal;
}

export interface ListParams {
  readonly sort: 'createdAt' | 'downloads';
  readonly limit: number;
  readonly expand: readonly string[];
}

export interface Page {
  readonly url: string;
  readonly items: unknown[];
  readonly next: string | null;
  /** Bytes of the body, for progress and benchmarks. */
  readonly bytes: number;
  /** The server declared its data synthetic (the local hub's demo data). */
  readonly synthetic: boolean;
}

export interface HubStats {
  requests: number;
  retries: number;
  rateLimitWaitMs: number;
  /** Requests for namespace overviews (see fetchOverview), counted apart from the listing's. */
  overviewRequests?: number;
}

/** What an overview endpoint said: its JSON object, or that it does not know the name (404). */
export type OverviewAnswer = { readonly status: 200; readonly body: Record<string, unknown> } | { readonly status: 404 };

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

export const DEFAULT_MAX_WAIT_MS = 15 * 60 * 1000;

/** A retryable failure of one attempt; anything else thrown from an attempt is final. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly waitMs?: number,
  ) {
    super(message);
  }
}

/**
 * Client of `GET /api/models`: pacing by the hub's rate-limit headers (p-queue as the
 * fallback when they are absent), retries with capped exponential backoff and jitter, and the
 * rule that the token goes to the configured origin only.
 */
export class HubClient {
  readonly origin: string;
  readonly stats: HubStats = { requests: 0, retries: 0, rateLimitWaitMs: 0 };
  /** Paces by the documented quota: used until the hub shows it sends rate-limit headers. */
  private readonly pacedQueue: PQueue;
  /** One request at a time, paced by the hub's own RateLimit headers (see waitForQuota). */
  private readonly headerQueue = new PQueue({ concurrency: 1 });
  private headersSeen = false;
  private blockedUntil = 0;
  private readonly random: () => number;
  /** Every next-page link the hub has given: one given twice means its cursors go round in a circle. */
  private readonly nextLinks = new Set<string>();

  constructor(private readonly opts: HubClientOptions) {
    const hub = new URL(opts.hubUrl);
    this.origin = hub.origin;
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(hub.hostname);
    if (opts.token && hub.protocol !== 'https:' && !loopback) {
      throw new UsageError(`refusing to send HF_TOKEN over plain HTTP to ${hub.origin}; use an https hub URL or unset HF_TOKEN`);
    }
    if (opts.token && opts.hubUrlFrom === 'file' && hub.origin !== new URL(DEFAULT_HUB).origin) {
      throw new UsageError(
        `hubtrends.config.json names the hub ${hub.origin}, and HF_TOKEN is sent to a hub other than ${DEFAULT_HUB} only when that hub is given by --hub or HUBTRENDS_HUB_URL; pass --hub ${hub.origin} to send it there, or unset HF_TOKEN`,
      );
    }
    this.random = opts.random ?? Math.random;
    // One request at a time is all a cursor crawl can use; the interval cap is the documented
    // quota, so a hub that sends no headers is still never asked more than it allows.
    this.pacedQueue = new PQueue({ concurrency: 1, intervalCap: opts.quota, interval: opts.windowSeconds * 1000 });
  }

  firstPageUrl(params: ListParams): string {
    const url = new URL(`${this.opts.hubUrl}/api/models`);
    url.searchParams.set('limit', String(params.limit));
    url.searchParams.set('sort', params.sort);
    url.searchParams.set('direction', '-1');
    for (const field of params.expand) url.searchParams.append('expand', field);
    return url.toString();
  }

  /** The URL as it may appear in logs and errors: no credentials, whatever the input. */
  static redact(url: string): string {
    try {
      const u = new URL(url);
      u.username = '';
      u.password = '';
      return u.toString();
    } catch {
      return '<invalid URL>';
    }
  }

  /** Fetch one page, retrying what is retryable; throws HubError (exit 4) when it gives up. */
  async fetchPage(url: string, signal?: AbortSignal): Promise<Page> {
    this.assertOwnOrigin(url);
    return this.retrying(url, signal, () => this.attempt(url, signal), 'warn', 'hub request failed; retrying');
  }

  /**
   * One request under the shared pacing, retried with capped, jittered backoff (or the wait the
   * hub asked for) while it fails in a retryable way; HubError (exit 4) after the last attempt.
   */
  private async retrying<T>(url: string, signal: AbortSignal | undefined, attemptOnce: () => Promise<T>, level: 'warn' | 'debug', message: string): Promise<T> {
    let lastError = '';
    for (let attempt = 1; attempt <= this.opts.maxAttempts; attempt++) {
      try {
        const queue = this.headersSeen ? this.headerQueue : this.pacedQueue;
        return await queue.add(attemptOnce, { signal: this.combined(signal) });
      } catch (err) {
        if (!(err instanceof AttemptError)) throw err;
        lastError = err.message;
        if (attempt === this.opts.maxAttempts) break;
        const backoff = Math.min(this.opts.retryMaxMs, this.opts.retryBaseMs * 2 ** (attempt - 1));
        const jittered = backoff / 2 + (this.random() * backoff) / 2;
        const wait = Math.max(err.waitMs ?? 0, jittered);
        this.stats.retries++;
        this.opts.logger[level]({ url: HubClient.redact(url), attempt, error: err.message, waitMs: Math.round(wait) }, message);
        await this.opts.clock.sleep(wait, this.combined(signal));
      }
    }
    throw new HubError(`hub failed after ${this.opts.maxAttempts} attempts: GET ${HubClient.redact(url)}: ${lastError}`);
  }

  private combined(signal?: AbortSignal): AbortSignal | undefined {
    const signals = [signal, this.opts.signal].filter((s): s is AbortSignal => s !== undefined);
    return signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
  }

  private assertOwnOrigin(url: string): void {
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      throw new HubError(`hub sent an invalid next-page link: ${JSON.stringify(url.slice(0, 200))}`);
    }
    if (origin !== this.origin) {
      throw new HubError(`hub sent a next-page link to another origin (${origin}, expected ${this.origin}); refusing to follow it`);
    }
  }

  private async waitForQuota(signal?: AbortSignal): Promise<void> {
    const wait = this.blockedUntil - this.opts.clock.now().getTime();
    if (wait > 0) {
      this.stats.rateLimitWaitMs += wait;
      this.opts.logger.info({ waitMs: wait }, 'rate limit reached; waiting for the window to reset');
      await this.opts.clock.sleep(wait, this.combined(signal));
    }
  }

  /**
   * One GET under the rate-limit wait, with the token (to our own origin only: callers check),
   * no redirects and the request timeout; a network failure or timeout is retryable.
   */
  private async send(url: string, signal: AbortSignal | undefined, counter: 'requests' | 'overviewRequests'): Promise<{ res: Response; body: string }> {
    await this.waitForQuota(signal);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'hubtrends' };
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    const timeout = AbortSignal.timeout(this.opts.requestTimeoutMs);
    const outer = this.combined(signal);
    const requestSignal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    this.stats[counter] = (this.stats[counter] ?? 0) + 1;
    try {
      const res = await fetch(url, { headers, redirect: 'manual', signal: requestSignal });
      return { res, body: await res.text() };
    } catch (err) {
      if (outer?.aborted) throw outer.reason;
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const detail = timeout.aborted ? `timed out after ${this.opts.requestTimeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
      throw new AttemptError(`network error: ${detail}`);
    }
  }

  private async attempt(url: string, signal?: AbortSignal): Promise<Page> {
    const { res, body } = await this.send(url, signal, 'requests');
    this.observeRateLimit(res);
    if (res.status >= 300 && res.status < 400) {
      throw new HubError(`hub answered ${res.status} (a redirect) for GET ${HubClient.redact(url)}; redirects are not followed`);
    }
    if (res.status === 429) throw this.tooManyRequests(res);
    if (RETRYABLE_STATUS.has(res.status)) throw new AttemptError(`HTTP ${res.status}`);
    if (res.status !== 200) {
      throw new HubError(`hub answered HTTP ${res.status} for GET ${HubClient.redact(url)}: ${body.slice(0, 300).replace(/[\u0000-\u001f\u007f]/g, ' ')}`);
    }
    let items: unknown;
    try {
      items = JSON.parse(body);
    } catch {
      throw new AttemptError(`body is not valid JSON (${body.length} bytes; truncated?)`);
    }
    if (!Array.isArray(items)) throw new AttemptError('body is JSON but not an array of models');
    const next = parseNextLink(res.headers.get('link'));
    if (next !== null) {
      this.assertOwnOrigin(next);
      if (next === url || this.nextLinks.has(next)) {
        throw new HubError(`hub sent a next-page link it had already given (a cursor loop): GET ${HubClient.redact(url)} links to ${HubClient.redact(next)}; stopping after ${this.nextLinks.size} pages instead of crawling forever`);
      }
      this.nextLinks.add(next);
    }
    return { url, items, next, bytes: Buffer.byteLength(body), synthetic: res.headers.get('x-hubtrends-synthetic') === 'true' };
  }

  /** A 429 to retry after the wait the hub asks for (Retry-After, else its RateLimit reset), within the cap. */
  private tooManyRequests(res: Response): AttemptError {
    const retryAfter = parseRetryAfter(res.headers.get('retry-after'), this.opts.clock.now());
    const rl = parseRateLimit(res.headers.get('ratelimit'));
    const seconds = retryAfter ?? (rl ? rl.resetSeconds : this.opts.windowSeconds);
    this.assertWaitWithinCap(seconds, retryAfter !== null ? 'Retry-After' : 'RateLimit');
    return new AttemptError('HTTP 429 Too Many Requests', (seconds + 1) * 1000);
  }

  /** A hub asking for a wait longer than the cap fails the crawl (exit 4) rather than stalling it for hours. */
  private assertWaitWithinCap(seconds: number, header: string): void {
    const cap = this.opts.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    if ((seconds + 1) * 1000 > cap) {
      throw new HubError(`hub asked to wait ${seconds} s (${header} header), longer than the cap of ${cap / 1000} s (maxWaitMs); run again later, or raise maxWaitMs in hubtrends.config.json`);
    }
  }

  private observeRateLimit(res: Response): void {
    const rl = parseRateLimit(res.headers.get('ratelimit'));
    if (!rl) return;
    this.headersSeen = true;
    if (rl.remaining <= 0) {
      this.assertWaitWithinCap(rl.resetSeconds, 'RateLimit');
      this.blockedUntil = this.opts.clock.now().getTime() + (rl.resetSeconds + 1) * 1000;
    }
    const policy = parseRateLimitPolicy(res.headers.get('ratelimit-policy'));
    if (policy) this.opts.logger.trace({ remaining: rl.remaining, quota: policy.quota }, 'rate limit');
  }

  /**
   * GET one of the Hub's overview endpoints (`/api/organizations/{name}/overview`,
   * `/api/users/{name}/overview`) under the same pacing, retries and origin rule as the listing.
   * A 404 is an answer, not a failure; anything else unanswered throws HubError after the retries.
   */
  async fetchOverview(path: string, signal?: AbortSignal): Promise<OverviewAnswer> {
    const url = `${this.opts.hubUrl}${path}`;
    this.assertOwnOrigin(url);
    return this.retrying(url, signal, () => this.attemptOverview(url, signal), 'debug', 'overview request failed; retrying');
  }

  private async attemptOverview(url: string, signal?: AbortSignal): Promise<OverviewAnswer> {
    const { res, body } = await this.send(url, signal, 'overviewRequests');
    this.observeRateLimit(res);
    if (res.status === 404) return { status: 404 };
    // the same cap as the listing: a lookup then stays unanswered instead of stalling the crawl
    if (res.status === 429) throw this.tooManyRequests(res);
    if (RETRYABLE_STATUS.has(res.status)) throw new AttemptError(`HTTP ${res.status}`);
    if (res.status !== 200) throw new HubError(`hub answered HTTP ${res.status} for GET ${HubClient.redact(url)}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new AttemptError(`body is not valid JSON (${body.length} bytes; truncated?)`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new AttemptError('body is JSON but not an object');
    return { status: 200, body: parsed as Record<string, unknown> };
  }
}
