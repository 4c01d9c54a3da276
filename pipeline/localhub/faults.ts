import { UsageError } from '../errors.js';
import { mulberry32 } from './random.js';

/**
 * Fault injection for the local hub, from a spec such as
 * `500:0.1,reset:0.05,truncate:0.05,notarray:0.02,429:0.05,stall:0.05,slow:200,seed:7`:
 * each `kind:probability` fault strikes page requests at that rate (seeded, so a run is
 * repeatable; `stall` holds the answer for 30 s, longer than a client should wait); `slow:MS`
 * delays every page; `foreign-link:URL` points the first page's next link
 * elsewhere; `after:N` spares the first N requests. The same kinds but `notarray`, prefixed
 * `overview.` (`overview.503:0.3,overview.truncate:0.1`), strike the namespace overview endpoints
 * instead, drawn from their own seeded sequence so page faults stay where they were;
 * `overview.503:1` is a hub whose overview endpoints are down.
 */
export type FaultKind = '500' | '502' | '503' | '504' | '408' | '429' | 'reset' | 'truncate' | 'notarray' | 'stall';
const KINDS: readonly FaultKind[] = ['500', '502', '503', '504', '408', '429', 'reset', 'truncate', 'notarray', 'stall'];

export interface FaultPlan {
  readonly rates: ReadonlyArray<{ kind: FaultKind; p: number }>;
  /** Faults of the overview endpoints (`overview.KIND:P`). */
  readonly overviewRates?: ReadonlyArray<{ kind: FaultKind; p: number }>;
  readonly slowMs: number;
  readonly foreignLink: string | null;
  readonly after: number;
  readonly seed: number;
}

export const NO_FAULTS: FaultPlan = { rates: [], slowMs: 0, foreignLink: null, after: 0, seed: 1 };

export function parseFaults(spec: string | undefined): FaultPlan {
  if (!spec) return NO_FAULTS;
  const rates: { kind: FaultKind; p: number }[] = [];
  const overviewRates: { kind: FaultKind; p: number }[] = [];
  let slowMs = 0;
  let foreignLink: string | null = null;
  let after = 0;
  let seed = 1;
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const colon = part.indexOf(':');
    const key = colon < 0 ? part : part.slice(0, colon);
    const value = colon < 0 ? '' : part.slice(colon + 1);
    const num = Number(value);
    if (key === 'foreign-link') {
      foreignLink = value;
      continue;
    }
    if (!Number.isFinite(num) || num < 0) throw new UsageError(`--faults: ${JSON.stringify(part)} needs a non-negative number after ':'`);
    const overview = key.startsWith('overview.') ? key.slice('overview.'.length) : null;
    if (overview !== null && (KINDS as readonly string[]).includes(overview) && overview !== 'notarray') {
      if (num > 1) throw new UsageError(`--faults: probability of ${key} must be between 0 and 1, got ${value}`);
      overviewRates.push({ kind: overview as FaultKind, p: num });
    } else if (key === 'slow') slowMs = num;
    else if (key === 'after') after = Math.floor(num);
    else if (key === 'seed') seed = Math.floor(num);
    else if ((KINDS as readonly string[]).includes(key)) {
      if (num > 1) throw new UsageError(`--faults: probability of ${key} must be between 0 and 1, got ${value}`);
      rates.push({ kind: key as FaultKind, p: num });
    } else {
      throw new UsageError(`--faults: unknown fault ${JSON.stringify(key)}; expected one of ${[...KINDS, 'slow', 'after', 'seed', 'foreign-link', 'overview.500 (or any other kind but notarray)'].join(', ')}`);
    }
  }
  return { rates, overviewRates, slowMs, foreignLink, after, seed };
}

/** Draws the fault (if any) for each successive request. */
export class FaultDice {
  private readonly rnd: () => number;
  private count = 0;
  /** `overview` draws the overview endpoints' faults, from a sequence of their own. */
  constructor(
    private readonly plan: FaultPlan,
    overview = false,
  ) {
    this.rnd = mulberry32(overview ? plan.seed ^ 0x5bd1e995 : plan.seed);
    if (overview) this.plan = { ...plan, rates: plan.overviewRates ?? [], after: 0 };
  }
  next(): FaultKind | null {
    this.count++;
    const u = this.rnd();
    if (this.count <= this.plan.after) return null;
    let acc = 0;
    for (const { kind, p } of this.plan.rates) {
      acc += p;
      if (u < acc) return kind;
    }
    return null;
  }
}
