/** A model object as `/api/models` returns it. */
export interface ApiModel {
  _id: string;
  id: string;
  author?: string;
  createdAt?: string;
  downloads?: number;
  downloadsAllTime?: number;
  likes?: number;
  pipeline_tag?: string;
  library_name?: string;
  tags?: string[];
  baseModels?: { models: { _id: string; id: string }[]; relation: string | null };
  [key: string]: unknown;
}

export type SortKey = 'createdAt' | 'downloads';

/** A namespace as the Hub's `authorData` and overview endpoints describe it. */
export interface NamespaceInfo {
  readonly type: 'org' | 'user';
  readonly fullname: string;
}

export interface SourcePage {
  readonly items: ApiModel[];
  /** Opaque position of the next page, or null on the last page. */
  readonly next: number | null;
}

/** What the local hub serves: the synthetic hub, or a file of recorded API objects. */
export interface ModelSource {
  readonly synthetic: boolean;
  /**
   * One page of the models visible at `atMs`, sorted descending by `sort`, starting at an
   * opaque `position` (null for the first page). `fields` null means the API's default fields.
   */
  page(atMs: number, sort: SortKey, position: number | null, limit: number, fields: ReadonlySet<string> | null): SourcePage;
  /** Who a namespace is, for the overview endpoints; null when the hub does not know it (404). */
  namespace?(name: string): NamespaceInfo | null;
}
