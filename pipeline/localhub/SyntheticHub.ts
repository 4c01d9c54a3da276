import type { OrgRow, AliasRow } from '../build/registry.js';
import { hashString, mulberry32 } from './random.js';
import type { ApiModel, ModelSource, NamespaceInfo, SortKey, SourcePage } from './ModelSource.js';

const DAY_MS = 86_400_000;
/** The Hub floors `createdAt` at this instant for repos older than it. */
export const CREATED_AT_FLOOR = '2022-03-02T23:29:04.000Z';
const FLOOR_MS = Date.parse(CREATED_AT_FLOOR);
const START_DAY = Date.parse('2021-01-01T00:00:00Z') / DAY_MS;
const END_DAY = Date.parse('2026-12-31T00:00:00Z') / DAY_MS;
/** Calendar day where every trend factor is 1. */
const TREND_EPOCH_DAY = Date.parse('2023-01-01T00:00:00Z') / DAY_MS;

/** Regions drive who publishes and how fast their models' downloads grow. */
type Region = 'US' | 'CN' | 'EU' | 'INTL' | 'ROW';
const REGIONS: readonly Region[] = ['US', 'CN', 'EU', 'INTL', 'ROW'];
/**
 * Shaped like the Hub of 2023–2026: US organisations far ahead early, Chinese organisations
 * growing fastest (mass = relative share of new models on 2023-01-01; growth = per year).
 */
const TREND: Record<Region, { mass: number; growth: number }> = {
  US: { mass: 1.0, growth: 0.2 },
  CN: { mass: 0.25, growth: 0.8 },
  EU: { mass: 0.3, growth: 0.25 },
  INTL: { mass: 0.1, growth: 0.3 },
  ROW: { mass: 0.18, growth: 0.35 },
};
const EUROPE = new Set('AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO GB CH'.split(' '));

export function regionOf(country: string): Region {
  if (country === 'US' || country === 'CN' || country === 'INTL') return country;
  return EUROPE.has(country) ? 'EU' : 'ROW';
}

/** Organisations whose models carry most downloads on the real Hub: weighted up. */
const HEAVY: Record<string, number> = {
  Qwen: 60, 'meta-llama': 45, google: 30, 'google-bert': 30, 'sentence-transformers': 30, openai: 25, microsoft: 20,
  'deepseek-ai': 30, mistralai: 15, FacebookAI: 12, 'openai-community': 12, BAAI: 12, nvidia: 10, stabilityai: 8,
  'black-forest-labs': 6, intfloat: 8, 'Alibaba-NLP': 8, 'zai-org': 8, internlm: 5, tencent: 6, moonshotai: 6,
  MiniMaxAI: 4, baidu: 4, '01-ai': 4, OpenGVLab: 5, 'ByteDance-Seed': 5, allenai: 4, tiiuae: 3, distilbert: 10,
};

const STEMS: Record<string, string[]> = {
  Qwen: ['Qwen2.5', 'Qwen3', 'Qwen2.5-VL', 'Qwen2.5-Coder', 'QwQ'],
  'meta-llama': ['Llama-3.1', 'Llama-3.2', 'Llama-2', 'Meta-Llama-3', 'Llama-4-Scout'],
  google: ['gemma-2', 'gemma-3', 'flan-t5', 'vit', 'siglip'],
  mistralai: ['Mistral', 'Mixtral', 'Ministral', 'Mistral-Small'],
  'deepseek-ai': ['DeepSeek-R1-Distill-Qwen', 'DeepSeek-V3', 'deepseek-coder', 'DeepSeek-R1'],
  microsoft: ['Phi-3', 'Phi-4', 'deberta-v3', 'resnet'],
  openai: ['whisper', 'clip-vit', 'gpt-oss'],
};
const SIZES = ['0.5B', '1.5B', '3B', '7B', '8B', '14B', '32B', '70B', 'base', 'large', 'small'];
const PIPELINES = ['text-generation', 'text-classification', 'feature-extraction', 'sentence-similarity', 'automatic-speech-recognition', 'image-text-to-text', 'text-to-image', 'fill-mask'];
const LIBRARIES = ['transformers', 'transformers', 'transformers', 'sentence-transformers', 'diffusers', 'gguf', 'mlx', 'peft'];
const RELATIONS = ['finetune', 'adapter', 'quantized', 'merge'] as const;
type Relation = (typeof RELATIONS)[number] | null;

const CLASS_ORIGINAL = 0;
const CLASS_INTERMEDIARY = 1;
const CLASS_ORG_DERIVATIVE = 2;
const CLASS_INDIVIDUAL = 3;

export interface SyntheticOptions {
  /** Number of models ever created, 2021–2026. Example: 50_000. */
  readonly models: number;
  readonly seed: number;
  /** The registry's organisations (real namespaces with their countries). */
  readonly orgs: readonly OrgRow[];
  readonly aliases?: readonly AliasRow[];
  /**
   * Organisations that publish original models but have no registry row (so `unknown`, and
   * `org` behind the overview endpoints). Default: one per 2,500 models, at least 8. Example: 20.
   */
  readonly unmappedOrgs?: number;
}

/** Share of individuals' derivatives uploaded without a declared base. */
const UNDECLARED_BASE = 0.15;

/** Every this-many unlisted individual has no Hub profile any more: both overview endpoints answer 404. */
const GONE_EVERY = 37;

/** A display name as people set them: words from the handle, capitalised. */
function displayName(handle: string): string {
  return handle
    .split(/[-_.]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

function pareto(u: number, alpha: number, cap: number): number {
  return Math.min(cap, (1 - u) ** (-1 / alpha));
}

/**
 * A deterministic synthetic Hub. Every model has a creation time, an uploader, optional bases,
 * and a download rate that decays with age and grows with its origin region's trend; its
 * all-time counter is the integral of that rate, so it is non-decreasing and zero before
 * creation, and the 30-day counter is the difference over the last 30 days. Because it knows
 * every counter exactly, it can state the ground truth the pipeline must reproduce.
 */
export class SyntheticHub implements ModelSource {
  readonly synthetic = true;
  readonly size: number;
  readonly authors: string[] = [];
  private readonly authorCountry: string[] = [];
  private readonly created: Float64Array; // days since epoch
  private readonly author: Int32Array;
  private readonly rel: Uint8Array; // 0 none, 1.. RELATIONS index + 1
  private readonly bases: Int32Array; // 2 per model, -1 unused
  private readonly weight: Float64Array;
  private readonly tau: Float32Array;
  private readonly growth: Float32Array; // per year, of the trend region
  private readonly publicAt: Float64Array;
  private readonly deletedAt: Float64Array;
  private readonly stem: string[];
  private readonly nsAlias: Map<string, string>;
  private readonly countryOfNs: Map<string, string>;
  /** What the overview endpoints say of each namespace; null: neither knows it. */
  private readonly info = new Map<string, NamespaceInfo | null>();
  private sortCache: { asOf: number; order: Int32Array } | null = null;

  constructor(readonly opts: SyntheticOptions) {
    const n = opts.models;
    this.size = n;
    this.created = new Float64Array(n);
    this.author = new Int32Array(n);
    this.rel = new Uint8Array(n);
    this.bases = new Int32Array(2 * n).fill(-1);
    this.weight = new Float64Array(n);
    this.tau = new Float32Array(n);
    this.growth = new Float32Array(n);
    this.publicAt = new Float64Array(n);
    this.deletedAt = new Float64Array(n).fill(Infinity);
    this.stem = new Array<string>(n);
    this.nsAlias = new Map((opts.aliases ?? []).filter((a) => !a.from.includes('/') && !a.to.includes('/')).map((a) => [a.from, a.to]));
    this.countryOfNs = new Map(opts.orgs.map((o) => [o.org, o.country]));

    const rnd = mulberry32(opts.seed);
    // Authors: publishing organisations by region, intermediaries, and a long tail of individuals.
    const publishers = new Map<Region, { idx: number[]; cum: number[] }>(REGIONS.map((r) => [r, { idx: [], cum: [] }]));
    const intermediaries: number[] = [];
    const listedIndividuals: number[] = [];
    const addPublisher = (idx: number, region: Region, name: string): void => {
      const list = publishers.get(region)!;
      const w = (HEAVY[name] ?? 1) * pareto((hashString(name) % 10_000) / 10_000, 1.2, 20);
      list.idx.push(idx);
      list.cum.push((list.cum.at(-1) ?? 0) + w);
    };
    for (const o of [...opts.orgs].sort((a, b) => a.org.localeCompare(b.org))) {
      const idx = this.authors.length;
      this.authors.push(o.org);
      this.authorCountry.push(o.country);
      this.info.set(o.org, { type: o.kind === 'individual' ? 'user' : 'org', fullname: displayName(o.org) });
      // Individuals with a registry row (a stated country) upload derivatives, as people do.
      if (o.kind === 'individual') listedIndividuals.push(idx);
      else if (o.kind === 'intermediary') intermediaries.push(idx);
      else addPublisher(idx, regionOf(o.country), o.org);
    }
    // Labs without a registry row that publish originals: the unknown that a curator can fix.
    const unmapped = opts.unmappedOrgs ?? Math.max(8, Math.floor(n / 2500));
    const unmappedRegions: readonly Region[] = ['CN', 'US', 'EU', 'ROW', 'CN', 'US', 'ROW', 'INTL'];
    for (let k = 0; k < unmapped; k++) {
      const name = `synth-lab-${k.toString(36).padStart(2, '0')}`;
      const idx = this.authors.length;
      this.authors.push(name);
      this.authorCountry.push('unknown');
      this.info.set(name, { type: 'org', fullname: displayName(name) });
      // A region without registered publishers stays empty, so a registry of one lab stays one region.
      const wanted = unmappedRegions[k % unmappedRegions.length]!;
      const region = publishers.get(wanted)!.idx.length > 0 ? wanted : (REGIONS.find((r) => publishers.get(r)!.idx.length > 0) ?? wanted);
      addPublisher(idx, region, name);
    }
    if (intermediaries.length === 0) {
      for (const name of ['quant-factory-synthetic', 'gguf-mirror-synthetic']) {
        intermediaries.push(this.authors.length);
        this.authors.push(name);
        this.authorCountry.push('unknown');
        this.info.set(name, { type: 'org', fullname: displayName(name) });
      }
    }
    // The individuals' pool: unlisted people, with the listed ones spread through it (every
    // tenth place from the fifth) so they are neither the most nor the least active.
    const pool: number[] = [];
    const individuals = Math.max(50, Math.floor(n / 25));
    let listed = 0;
    for (let k = 0; k < individuals; k++) {
      if (k % 10 === 5 && listed < listedIndividuals.length) {
        pool.push(listedIndividuals[listed++]!);
        continue;
      }
      const name = `hf-user-${k.toString(36).padStart(4, '0')}`;
      pool.push(this.authors.length);
      this.authors.push(name);
      this.authorCountry.push('unknown');
      this.info.set(name, k % GONE_EVERY === GONE_EVERY - 1 ? null : { type: 'user', fullname: displayName(name) });
    }
    const activeRegions = REGIONS.filter((r) => publishers.get(r)!.idx.length > 0);

    const pickRegion = (day: number, pool: Map<Region, number[]>, needNonEmpty: boolean): Region | null => {
      let total = 0;
      const ws: number[] = [];
      for (const r of activeRegions) {
        const ok = !needNonEmpty || (pool.get(r)?.length ?? 0) > 0;
        const w = ok ? TREND[r].mass * Math.exp((TREND[r].growth * (day - TREND_EPOCH_DAY)) / 365) : 0;
        ws.push(w);
        total += w;
      }
      if (total === 0) return null;
      let u = rnd() * total;
      for (let k = 0; k < activeRegions.length; k++) {
        u -= ws[k]!;
        if (u <= 0) return activeRegions[k]!;
      }
      return activeRegions.at(-1)!;
    };
    const pickPublisher = (region: Region): number => {
      const { idx, cum } = publishers.get(region)!;
      const u = rnd() * cum.at(-1)!;
      let lo = 0;
      let hi = cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid]! < u) lo = mid + 1;
        else hi = mid;
      }
      return idx[lo]!;
    };
    // Models other models may derive from, per region: originals and organisations' finetunes.
    const eligible = new Map<Region, number[]>(REGIONS.map((r) => [r, []]));
    const regionOfModel = new Array<Region>(n);
    const pickBase = (day: number): number => {
      const region = pickRegion(day, eligible, true);
      if (region === null) return -1;
      const list = eligible.get(region)!;
      let best = -1;
      for (let k = 0; k < 3; k++) {
        // Recent models are likelier bases: skew towards the end of the list.
        const j = list[Math.floor(list.length * Math.sqrt(rnd()))]!;
        if (best < 0 || this.weight[j]! > this.weight[best]!) best = j;
      }
      return best;
    };

    const span = END_DAY - START_DAY;
    const k = Math.log(12) / span; // model creation grows twelve-fold over the span
    for (let i = 0; i < n; i++) {
      const u = (i + 0.05 + 0.9 * rnd()) / n;
      const day = START_DAY + Math.log1p(u * Math.expm1(k * span)) / k;
      this.created[i] = day;
      this.publicAt[i] = day;
      this.tau[i] = 120 + rnd() * 780;
      const roll = rnd();
      let cls = roll < 0.12 ? CLASS_ORIGINAL : roll < 0.22 ? CLASS_INTERMEDIARY : roll < 0.27 ? CLASS_ORG_DERIVATIVE : CLASS_INDIVIDUAL;
      let base = cls === CLASS_ORIGINAL ? -1 : pickBase(day);
      if (base < 0) cls = CLASS_ORIGINAL;

      if (cls === CLASS_ORIGINAL) {
        const region = pickRegion(day, new Map(), false) ?? 'US';
        const a = pickPublisher(region);
        this.author[i] = a;
        this.weight[i] = pareto(rnd(), 1.15, 50_000);
        regionOfModel[i] = region;
        const stems = STEMS[this.authors[a]!] ?? [this.authors[a]!.toLowerCase().replace(/[^a-z0-9]+/g, '-')];
        this.stem[i] = `${stems[Math.floor(rnd() * stems.length)]}-${SIZES[Math.floor(rnd() * SIZES.length)]}-${i.toString(36)}`;
        eligible.get(region)!.push(i);
      } else {
        regionOfModel[i] = regionOfModel[base]!;
        this.bases[2 * i] = base;
        let relation: Relation;
        if (cls === CLASS_INTERMEDIARY) {
          this.author[i] = intermediaries[Math.floor(rnd() * intermediaries.length)]!;
          relation = 'quantized';
          this.weight[i] = this.weight[base]! * (0.08 + 0.9 * rnd() ** 2);
        } else if (cls === CLASS_ORG_DERIVATIVE) {
          this.author[i] = pickPublisher(pickRegion(day, new Map(), false) ?? 'US');
          relation = 'finetune';
          this.weight[i] = 0.5 * pareto(rnd(), 1.2, 20_000);
          eligible.get(regionOfModel[i]!)!.push(i);
        } else {
          this.author[i] = pool[Math.floor(rnd() ** 1.5 * pool.length)]!;
          const r = rnd();
          relation = r < 0.45 ? 'finetune' : r < 0.75 ? 'adapter' : r < 0.92 ? 'quantized' : 'merge';
          this.weight[i] = 0.2 * pareto(rnd(), 1.25, 20_000);
          if (relation === 'merge') {
            const second = pickBase(day);
            if (second >= 0 && second !== base) this.bases[2 * i + 1] = second;
            else relation = 'finetune';
          }
          const fate = rnd();
          if (fate < 0.012) this.publicAt[i] = day + 10 + rnd() * 110; // private at first, public later
          else if (fate < 0.03) this.deletedAt[i] = day + 20 + rnd() * 480; // deleted later
        }
        this.rel[i] = RELATIONS.indexOf(relation) + 1;
        const suffix = relation === 'quantized' ? ['GGUF', 'AWQ', 'GPTQ-Int4', 'MLX-4bit'][Math.floor(rnd() * 4)] : relation === 'adapter' ? 'lora' : relation === 'merge' ? 'merge' : 'sft';
        base = this.bases[2 * i]!;
        this.stem[i] = `${this.stem[base]!.replace(/-[0-9a-z]+$/, '')}-${suffix}-${i.toString(36)}`;
        // Many people upload without declaring a base (no base_model in the card): such a model
        // is its own lineage root, so lineage attribution has an unknown share as on the real Hub.
        if (cls === CLASS_INDIVIDUAL && relation !== 'merge' && rnd() < UNDECLARED_BASE) {
          this.bases[2 * i] = -1;
          this.rel[i] = 0;
        }
      }
      // Half the region's growth goes into each model's rate, half into how many models it gets.
      this.growth[i] = TREND[regionOfModel[i]!].growth / 2;
    }
  }

  // ---- counters ----------------------------------------------------------------------

  /** All-time downloads of model i at instant `atMs`: floor of the integrated rate; 0 before creation. */
  allTime(i: number, atMs: number): number {
    const t = atMs / DAY_MS;
    const c = this.created[i]!;
    if (t <= c) return 0;
    const g = this.growth[i]! / 365;
    const beta = g - 1 / this.tau[i]!;
    const x = t - c;
    const integral = Math.abs(beta) < 1e-12 ? x : Math.expm1(beta * x) / beta;
    return Math.floor(this.weight[i]! * Math.exp(g * (c - TREND_EPOCH_DAY)) * integral);
  }

  window30(i: number, atMs: number): number {
    return this.allTime(i, atMs) - this.allTime(i, atMs - 30 * DAY_MS);
  }

  /** Listed by the API at `atMs`: created, public, not deleted. */
  visible(i: number, atMs: number): boolean {
    const t = atMs / DAY_MS;
    return this.created[i]! <= t && this.publicAt[i]! <= t && t < this.deletedAt[i]!;
  }

  createdAtIso(i: number): string {
    const ms = Math.round(this.created[i]! * DAY_MS);
    return new Date(Math.max(ms, FLOOR_MS)).toISOString();
  }

  /** The true creation instant (before flooring), as the generator knows it. */
  createdMs(i: number): number {
    return Math.round(this.created[i]! * DAY_MS);
  }

  id(i: number): string {
    return `${this.authors[this.author[i]!]!}/${this.stem[i]!}`;
  }

  authorOf(i: number): string {
    return this.authors[this.author[i]!]!;
  }

  baseIndexes(i: number): number[] {
    const out: number[] = [];
    for (const b of [this.bases[2 * i]!, this.bases[2 * i + 1]!]) if (b >= 0) out.push(b);
    return out;
  }

  relation(i: number): Relation {
    const r = this.rel[i]!;
    return r === 0 ? null : RELATIONS[r - 1]!;
  }

  /** What the Hub's overview endpoints say of a namespace; null when neither knows it. */
  namespace(name: string): NamespaceInfo | null {
    return this.info.get(name) ?? null;
  }

  /** The country of a namespace after aliases, or `unknown`. */
  countryOfNamespace(ns: string): string {
    const resolved = this.nsAlias.get(ns) ?? ns;
    return this.countryOfNs.get(resolved) ?? 'unknown';
  }

  /** Lineage roots (distinct), walking bases; bases are always older and never hidden. */
  roots(i: number): number[] {
    const bases = this.baseIndexes(i);
    if (bases.length === 0) return [i];
    const out = new Set<number>();
    for (const b of bases) for (const r of this.roots(b)) out.add(r);
    return [...out].sort((a, b) => a - b);
  }

  // ---- the API -------------------------------------------------------------------------

  apiModel(i: number, atMs: number, fields: ReadonlySet<string> | null): ApiModel {
    const id = this.id(i);
    const obj: ApiModel = { _id: i.toString(16).padStart(24, '0'), id };
    const want = (f: string): boolean => fields === null || fields.has(f);
    const allTime = this.allTime(i, atMs);
    const bases = this.baseIndexes(i).map((b) => this.id(b));
    const relation = this.relation(i);
    if (want('author')) obj.author = this.authorOf(i);
    if (want('createdAt')) obj.createdAt = this.createdAtIso(i);
    if (want('downloads')) obj.downloads = allTime - this.allTime(i, atMs - 30 * DAY_MS);
    if (want('downloadsAllTime')) obj.downloadsAllTime = allTime;
    if (want('likes')) obj.likes = Math.floor(Math.sqrt(allTime) / 4);
    if (want('pipeline_tag')) obj.pipeline_tag = PIPELINES[i % PIPELINES.length];
    if (want('library_name')) obj.library_name = relation === 'quantized' ? 'gguf' : LIBRARIES[(i >> 3) % LIBRARIES.length];
    if (want('tags')) {
      const tags = [obj.library_name ?? 'transformers', 'synthetic', 'license:apache-2.0'];
      for (const b of bases) tags.push(`base_model:${b}`, `base_model:${relation}:${b}`);
      obj.tags = tags;
    }
    if (want('baseModels') && bases.length > 0) {
      obj.baseModels = { models: bases.map((b) => ({ _id: b, id: b })), relation };
    }
    return obj;
  }

  /** The newest index created at or before `atMs` (creation time grows with the index). */
  private lastCreatedBy(atMs: number): number {
    const t = atMs / DAY_MS;
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.created[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  private downloadOrder(atMs: number): Int32Array {
    if (this.sortCache?.asOf === atMs) return this.sortCache.order;
    const ids: number[] = [];
    for (let i = this.lastCreatedBy(atMs); i >= 0; i--) if (this.visible(i, atMs)) ids.push(i);
    const dl = new Float64Array(this.size);
    for (const i of ids) dl[i] = this.window30(i, atMs);
    ids.sort((a, b) => dl[b]! - dl[a]! || b - a);
    const order = Int32Array.from(ids);
    this.sortCache = { asOf: atMs, order };
    return order;
  }

  page(atMs: number, sort: SortKey, position: number | null, limit: number, fields: ReadonlySet<string> | null): SourcePage {
    const items: ApiModel[] = [];
    if (sort === 'downloads') {
      const order = this.downloadOrder(atMs);
      const start = position ?? 0;
      const end = Math.min(order.length, start + limit);
      for (let p = start; p < end; p++) items.push(this.apiModel(order[p]!, atMs, fields));
      return { items, next: end < order.length ? end : null };
    }
    let i = position ?? this.lastCreatedBy(atMs);
    for (; i >= 0 && items.length < limit; i--) if (this.visible(i, atMs)) items.push(this.apiModel(i, atMs, fields));
    while (i >= 0 && !this.visible(i, atMs)) i--;
    return { items, next: i >= 0 ? i : null };
  }
}
