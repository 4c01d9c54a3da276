/**
 * The Hub's IETF draft rate-limit headers:
 *   RateLimit: "api";r=<remaining>;t=<seconds to reset>
 *   RateLimit-Policy: "fixed window";"api";q=<quota>;w=<window seconds>
 */
export interface RateLimitState {
  readonly remaining: number;
  readonly resetSeconds: number;
}

export interface RateLimitPolicy {
  readonly quota: number;
  readonly windowSeconds: number;
}

function params(header: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of header.split(';')) {
    const m = /^\s*([a-zA-Z][\w-]*)\s*=\s*"?([^";]*)"?\s*$/.exec(item);
    if (m) out.set(m[1]!.toLowerCase(), m[2]!);
  }
  return out;
}

function nonNegative(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d+(\.\d+)?$/.test(v)) return undefined;
  return Number(v);
}

export function parseRateLimit(header: string | null | undefined): RateLimitState | null {
  if (!header) return null;
  const p = params(header);
  const remaining = nonNegative(p.get('r'));
  const resetSeconds = nonNegative(p.get('t'));
  if (remaining === undefined || resetSeconds === undefined) return null;
  return { remaining, resetSeconds };
}

export function parseRateLimitPolicy(header: string | null | undefined): RateLimitPolicy | null {
  if (!header) return null;
  const p = params(header);
  const quota = nonNegative(p.get('q'));
  const windowSeconds = nonNegative(p.get('w'));
  if (quota === undefined || windowSeconds === undefined || quota < 1 || windowSeconds <= 0) return null;
  return { quota, windowSeconds };
}

/** `Retry-After` as seconds: either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null | undefined, now: Date): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, (at - now.getTime()) / 1000);
}
