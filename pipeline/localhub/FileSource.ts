import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { ApiModel, ModelSource, NamespaceInfo, SortKey, SourcePage } from './ModelSource.js';

/**
 * Recorded `/api/models` objects served back: a JSON array or one object a line. As of a date,
 * only models created by then are listed (models without `createdAt` always are).
 */
export class FileSource implements ModelSource {
  readonly synthetic: boolean;
  private readonly models: { obj: ApiModel; created: number }[];
  private cache: { atMs: number; sort: SortKey; list: ApiModel[] } | null = null;
  /** From the `authorData` of recorded objects (the Hub's own listing JSON carries it). */
  private readonly namespaces = new Map<string, NamespaceInfo>();

  constructor(file: string, synthetic = false) {
    this.synthetic = synthetic;
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    let objects: unknown[];
    if (text.trimStart().startsWith('[')) {
      objects = JSON.parse(text) as unknown[];
    } else {
      objects = [];
      text.split(/\r?\n/).forEach((line, n) => {
        if (line.trim() === '') return;
        try {
          objects.push(JSON.parse(line));
        } catch {
          throw new UsageError(`${file}:${n + 1}: not a JSON object`);
        }
      });
    }
    this.models = objects.map((o, k) => {
      const obj = { _id: String(k).padStart(24, '0'), ...(o as object) } as ApiModel;
      if (obj.id === undefined && typeof obj.modelId === 'string') obj.id = obj.modelId;
      const ad = obj.authorData as { name?: unknown; fullname?: unknown; type?: unknown } | undefined;
      if (ad && typeof ad.name === 'string' && (ad.type === 'org' || ad.type === 'user')) {
        this.namespaces.set(ad.name, { type: ad.type, fullname: typeof ad.fullname === 'string' ? ad.fullname : ad.name });
      }
      const created = typeof obj.createdAt === 'string' ? Date.parse(obj.createdAt) : Number.NEGATIVE_INFINITY;
      return { obj, created: Number.isNaN(created) ? Number.NEGATIVE_INFINITY : created };
    });
  }

  private list(atMs: number, sort: SortKey): ApiModel[] {
    if (this.cache?.atMs === atMs && this.cache.sort === sort) return this.cache.list;
    const visible = this.models.filter((m) => m.created <= atMs);
    const key = (m: { obj: ApiModel; created: number }): number => (sort === 'downloads' ? Number(m.obj.downloads ?? 0) : m.created);
    visible.sort((a, b) => key(b) - key(a) || String(b.obj.id).localeCompare(String(a.obj.id)));
    const list = visible.map((m) => m.obj);
    this.cache = { atMs, sort, list };
    return list;
  }

  namespace(name: string): NamespaceInfo | null {
    return this.namespaces.get(name) ?? null;
  }

  page(atMs: number, sort: SortKey, position: number | null, limit: number, fields: ReadonlySet<string> | null): SourcePage {
    const list = this.list(atMs, sort);
    const start = position ?? 0;
    const end = Math.min(list.length, start + limit);
    const items = list.slice(start, end).map((m) => {
      if (fields === null) return m;
      const out: ApiModel = { _id: m._id, id: m.id };
      for (const f of fields) if (f in m) out[f] = m[f];
      return out;
    });
    return { items, next: end < list.length ? end : null };
  }
}
