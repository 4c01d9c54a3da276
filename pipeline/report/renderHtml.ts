import { createHash } from 'node:crypto';
import { assertSafeHref, type Block, type Inline, type ReportDocument } from './document.js';
import { escapeHtml } from './escape.js';

/**
 * report.html: the same blocks as report.md on one self-contained page. Charts are the report's
 * own SVG files, inlined: 8 charts weigh about 560 KB, where inlining the Vega and Vega-Lite
 * runtimes alone would add 770 KB minified before any data, and SVG draws without a script;
 * their points carry `<title>` tooltips with exact values. The one stylesheet and the one script
 * are inline and allowed by hash in a Content-Security-Policy that forbids every network access.
 */

const STYLE = `
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, sans-serif; max-width: 960px; margin: 0 auto; padding: 1rem 1.5rem 4rem; color: #1a1a1a; }
h1 { font-size: 1.8rem; line-height: 1.25; }
h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
.notice { border-left: 4px solid #d62728; background: #fff4f4; padding: .5rem 1rem; }
.headline { font-size: 1.15rem; font-weight: 600; }
.mode-switch { position: sticky; top: 0; background: #fff; padding: .5rem 0; border-bottom: 1px solid #eee; z-index: 1; }
.mode-switch button { font: inherit; padding: .2rem .8rem; border: 1px solid #888; background: #f5f5f5; cursor: pointer; }
.mode-switch button[aria-pressed="true"] { background: #1f77b4; color: #fff; border-color: #1f77b4; }
body[data-mode="uploader"] .mode[data-mode="lineage"], body[data-mode="lineage"] .mode[data-mode="uploader"] { display: none; }
figure { margin: 1rem 0; overflow-x: auto; }
figcaption { font-size: .95rem; color: #333; margin-bottom: .4rem; }
table { border-collapse: collapse; font-size: .9rem; }
th, td { padding: .2rem .6rem; border-bottom: 1px solid #e5e5e5; }
th { text-align: left; background: #fafafa; }
th button { font: inherit; font-weight: 600; border: 0; background: none; padding: 0; cursor: pointer; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
td.r, th.r { text-align: right; font-variant-numeric: tabular-nums; }
.chart svg { max-width: 100%; height: auto; }
code { background: #f3f3f3; padding: 0 .2rem; }
`;

const SCRIPT = `
document.querySelectorAll('[data-set-mode]').forEach(function (b) {
  b.addEventListener('click', function () {
    document.body.dataset.mode = b.dataset.setMode;
    document.querySelectorAll('[data-set-mode]').forEach(function (x) { x.setAttribute('aria-pressed', String(x === b)); });
  });
});
document.querySelectorAll('table.sortable th button').forEach(function (btn) {
  btn.addEventListener('click', function () {
    var th = btn.parentElement, row = th.parentElement, table = th.closest('table');
    var i = Array.prototype.indexOf.call(row.children, th);
    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    row.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    var key = function (r) {
      var c = r.children[i], v = c.dataset.sort !== undefined ? c.dataset.sort : c.textContent;
      var n = Number(v);
      return v !== '' && !isNaN(n) ? n : v;
    };
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows).sort(function (a, b) {
      var x = key(a), y = key(b);
      if (typeof x === 'number' && typeof y === 'number') return (x - y) * dir;
      return String(x).localeCompare(String(y)) * dir;
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
  });
});
`;

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** What the page allows: its own inline style and script, inline SVG, and nothing from anywhere. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${hash(STYLE)}`,
  `script-src ${hash(SCRIPT)}`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const attr = (v: string): string => `"${escapeHtml(v)}"`;

export function inlineHtml(x: Inline): string {
  if (typeof x === 'string') return escapeHtml(x);
  if (Array.isArray(x)) return (x as readonly Inline[]).map(inlineHtml).join('');
  const node = x as Exclude<Inline, string | readonly Inline[]>;
  if ('strong' in node) return `<strong>${inlineHtml(node.strong)}</strong>`;
  if ('em' in node) return `<em>${inlineHtml(node.em)}</em>`;
  if ('code' in node) return `<code>${escapeHtml(node.code)}</code>`;
  if ('link' in node) return `<a href=${attr(assertSafeHref(node.href))}>${inlineHtml(node.link)}</a>`;
  const data = Object.keys(node.data)
    .sort()
    .map((k) => ` data-${k.replace(/[^a-z0-9-]/g, '')}=${attr(node.data[k]!)}`)
    .join('');
  return `<span class="figure"${data}>${escapeHtml(node.figure)}</span>`;
}

/** An SVG file of ours, ready to sit inside the page: no XML prolog, labelled for screen readers. */
function inlineSvg(svg: string, alt: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, '').replace(/^<svg /, `<svg role="img" aria-label=${attr(alt)} `);
}

function blockHtml(b: Block, charts: Readonly<Record<string, string>>): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}${b.id ? ` id=${attr(b.id)}` : ''}>${inlineHtml(b.text)}</h${b.level}>`;
    case 'paragraph':
      return `<p${b.role ? ` class="${b.role}"` : ''}>${inlineHtml(b.text)}</p>`;
    case 'list':
      return `<ul>\n${b.items.map((i) => `<li>${inlineHtml(i)}</li>`).join('\n')}\n</ul>`;
    case 'table': {
      const head = b.header.map((h, i) => `<th class="${b.align[i] ?? 'l'}"><button type="button">${escapeHtml(h)}</button></th>`).join('');
      const body = b.rows
        .map((r) => `<tr>${r.map((c, i) => `<td class="${b.align[i] ?? 'l'}"${c.sort === undefined || c.sort === null ? '' : ` data-sort=${attr(String(c.sort))}`}>${inlineHtml(c.text)}</td>`).join('')}</tr>`)
        .join('\n');
      const csv = b.csv ? ` (${inlineHtml({ link: b.csv, href: b.csv })})` : '';
      return `<figure class="table">\n<figcaption>${inlineHtml(b.caption)}${csv}</figcaption>\n<table class="sortable">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>\n</figure>`;
    }
    case 'chart': {
      const svg = charts[b.file];
      if (svg === undefined) throw new Error(`report.html: no chart named ${b.file}`);
      return `<figure class="chart" data-chart=${attr(b.file)}>\n${inlineSvg(svg, b.alt)}\n</figure>`;
    }
    case 'mode':
      return `<div class="mode" data-mode="${b.mode}">\n${b.blocks.map((x) => blockHtml(x, charts)).join('\n')}\n</div>`;
  }
}

/** The whole page; a function of the document and the chart files alone, so byte-identical across runs. */
export function renderHtmlDocument(doc: ReportDocument, charts: Readonly<Record<string, string>>): string {
  const body = doc.blocks.map((b) => blockHtml(b, charts)).join('\n');
  const hasModes = doc.blocks.some(function has(b: Block): boolean {
    return b.kind === 'mode';
  });
  const modeSwitch = hasModes
    ? '<nav class="mode-switch" aria-label="Attribution">Attribution: <button type="button" data-set-mode="uploader" aria-pressed="true">Uploader</button> <button type="button" data-set-mode="lineage" aria-pressed="false">Lineage</button></nav>\n'
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content=${attr(CONTENT_SECURITY_POLICY)}>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(doc.title)}</title>
<style>${STYLE}</style>
</head>
<body data-mode="uploader">
${modeSwitch}<main>
${body}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
