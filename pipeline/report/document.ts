/**
 * A report as a list of blocks, rendered to Markdown and to HTML by two renderers, so that the
 * two files say the same thing and every piece of text passes through one escaping step. Plain
 * strings are text, never markup: emphasis, code and links are explicit nodes.
 */

export type Inline =
  | string
  | { readonly strong: Inline }
  | { readonly em: Inline }
  | { readonly code: string }
  | { readonly link: Inline; readonly href: string }
  /** A figure the HTML page tags with data attributes (tests and scripts read the exact value). */
  | { readonly figure: string; readonly data: Readonly<Record<string, string>> }
  | readonly Inline[];

export interface Cell {
  readonly text: Inline;
  /** The value an HTML table sorts by (a number, or text); the text when absent. */
  readonly sort?: number | string | null;
}

export type Mode = 'uploader' | 'lineage';

export type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3 | 4; readonly text: Inline; readonly id?: string }
  | { readonly kind: 'paragraph'; readonly text: Inline; readonly role?: 'headline' | 'notice' }
  | { readonly kind: 'list'; readonly items: readonly Inline[] }
  | {
      readonly kind: 'table';
      /** One sentence saying what the table shows and defining its columns. */
      readonly caption: Inline;
      readonly header: readonly string[];
      readonly align: readonly ('l' | 'r')[];
      readonly rows: readonly (readonly Cell[])[];
      /** The CSV file beside the report that holds the same rows, unrounded. */
      readonly csv?: string;
    }
  | { readonly kind: 'chart'; readonly file: string; readonly alt: string }
  /** Blocks that belong to one attribution mode: both in Markdown, one at a time in HTML. */
  | { readonly kind: 'mode'; readonly mode: Mode; readonly blocks: readonly Block[] };

export interface ReportDocument {
  readonly title: string;
  readonly blocks: readonly Block[];
}

/** Hrefs are ours (chart files, sibling files, anchors); anything else is a bug, not input. */
export function assertSafeHref(href: string): string {
  if (!/^(#[\w-]+|[\w][\w./-]*)$/.test(href) || href.includes('..')) throw new Error(`unsafe href in a report: ${JSON.stringify(href)}`);
  return href;
}

export const cell = (text: Inline, sort?: number | string | null): Cell => (sort === undefined ? { text } : { text, sort });
