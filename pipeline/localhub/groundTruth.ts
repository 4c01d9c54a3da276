import type { SyntheticHub } from './SyntheticHub.js';

export type TruthMetric = 'period' | 'cumulative' | 'all_time' | 'window30';
export type TruthMode = 'uploader' | 'lineage';

export interface TruthRow {
  metric: TruthMetric;
  mode: TruthMode;
  window_end: string;
  origin: string;
  downloads: number;
  share: number;
}

export type TruthKind = 'individual' | 'unmapped_org' | 'not_looked_up';

export interface UnattributedTruthRow {
  metric: TruthMetric;
  mode: TruthMode;
  window_end: string;
  kind: TruthKind;
  downloads: number;
  share: number;
}

const DAY_MS = 86_400_000;

/** What a namespace without a country counts as, once collect has looked every one up. */
function kindOf(hub: SyntheticHub, namespace: string): TruthKind {
  const info = hub.namespace(namespace);
  return info === null ? 'not_looked_up' : info.type === 'user' ? 'individual' : 'unmapped_org';
}

/**
 * What the pipeline must find for snapshots of the synthetic hub taken at 00:00 UTC of each
 * date: computed from the generator's own counters and lineage, by the rules of DESIGN §6,
 * without HTTP, Parquet or SQL. Tests compare the warehouse against it.
 */
export function groundTruth(hub: SyntheticHub, dates: readonly string[]): TruthRow[] {
  return accumulate(hub, dates).origins;
}

/**
 * The unknown downloads of every window split by kind (the warehouse's unattributed_breakdown),
 * for a demo that looked every unmapped namespace up: a user is an individual, an organisation an
 * unmapped organisation, and a name neither overview endpoint knows stays not looked up.
 */
export function unattributedTruth(hub: SyntheticHub, dates: readonly string[]): UnattributedTruthRow[] {
  return accumulate(hub, dates).kinds;
}

function accumulate(hub: SyntheticHub, dates: readonly string[]): { origins: TruthRow[]; kinds: UnattributedTruthRow[] } {
  const times = dates.map((d) => Date.parse(`${d}T00:00:00Z`));
  const sums = new Map<string, number>();
  const kindSums = new Map<string, number>();
  const add = (metric: TruthMetric, mode: TruthMode, k: number, origin: string, v: number, kind: TruthKind | null): void => {
    const key = `${metric}\u0000${mode}\u0000${k}\u0000${origin}`;
    sums.set(key, (sums.get(key) ?? 0) + v);
    if (kind !== null) {
      const kk = `${metric}\u0000${mode}\u0000${k}\u0000${kind}`;
      kindSums.set(kk, (kindSums.get(kk) ?? 0) + v);
    }
  };
  const rootCache = new Map<number, { origin: string; weight: number; kind: TruthKind | null }[]>();
  const lineageOf = (i: number): { origin: string; weight: number; kind: TruthKind | null }[] => {
    let r = rootCache.get(i);
    if (!r) {
      const roots = hub.roots(i);
      r = roots.map((root) => {
        const origin = hub.countryOfNamespace(hub.authorOf(root));
        return { origin, weight: 1 / roots.length, kind: origin === 'unknown' ? kindOf(hub, hub.authorOf(root)) : null };
      });
      rootCache.set(i, r);
    }
    return r;
  };
  for (let i = 0; i < hub.size; i++) {
    const uploader = hub.countryOfNamespace(hub.authorOf(i));
    const uploaderKind = uploader === 'unknown' ? kindOf(hub, hub.authorOf(i)) : null;
    const created = Date.parse(hub.createdAtIso(i));
    let prevVisible = false;
    let prevA = 0;
    let cumulative = 0;
    for (let k = 0; k < times.length; k++) {
      const t = times[k]!;
      const visible = hub.visible(i, t);
      const a = visible ? hub.allTime(i, t) : 0;
      const w = visible ? hub.window30(i, t) : 0;
      const split = (metric: TruthMetric, v: number): void => {
        add(metric, 'uploader', k, uploader, v, uploaderKind);
        for (const r of lineageOf(i)) add(metric, 'lineage', k, r.origin, v * r.weight, r.kind);
      };
      if (visible) {
        split('all_time', a);
        split('window30', w);
      }
      if (k > 0 && (visible || prevVisible)) {
        const days = (t - times[k - 1]!) / DAY_MS;
        let d: number;
        if (!visible) d = 0;
        else if (prevVisible) d = Math.max(0, a - prevA);
        else if (created > times[k - 1]!) d = a;
        else d = Math.min(a, Math.round((w * days) / 30));
        cumulative += d;
        split('period', d);
      }
      if (k > 0) split('cumulative', cumulative);
      prevVisible = visible;
      prevA = a;
    }
  }
  const totals = new Map<string, number>();
  for (const [key, v] of sums) {
    const [metric, mode, k] = key.split('\u0000');
    const tk = `${metric}\u0000${mode}\u0000${k}`;
    totals.set(tk, (totals.get(tk) ?? 0) + v);
  }
  const rows: TruthRow[] = [];
  for (const [key, v] of sums) {
    const [metric, mode, k, origin] = key.split('\u0000') as [TruthMetric, TruthMode, string, string];
    const total = totals.get(`${metric}\u0000${mode}\u0000${k}`)!;
    rows.push({ metric, mode, window_end: dates[Number(k)]!, origin, downloads: v, share: total === 0 ? NaN : v / total });
  }
  const kinds: UnattributedTruthRow[] = [];
  for (const [key, v] of kindSums) {
    const [metric, mode, k, kind] = key.split('\u0000') as [TruthMetric, TruthMode, string, TruthKind];
    const total = totals.get(`${metric}\u0000${mode}\u0000${k}`)!;
    kinds.push({ metric, mode, window_end: dates[Number(k)]!, kind, downloads: v, share: total === 0 ? NaN : v / total });
  }
  const order = <T extends { metric: string; mode: string; window_end: string }>(key: (r: T) => string) => (a: T, b: T): number =>
    a.metric.localeCompare(b.metric) || a.mode.localeCompare(b.mode) || a.window_end.localeCompare(b.window_end) || key(a).localeCompare(key(b));
  return { origins: rows.sort(order((r) => r.origin)), kinds: kinds.sort(order((r) => r.kind)) };
}
