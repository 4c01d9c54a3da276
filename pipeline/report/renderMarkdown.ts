import { assertSafeHref, type Block, type Inline, type ReportDocument } from './document.js';
import { escapeMarkdown } from './escape.js';

export function inlineMarkdown(x: Inline): string {
  if (typeof x === 'string') return escapeMarkdown(x);
  if (Array.isArray(x)) return (x as readonly Inline[]).map(inlineMarkdown).join('');
  const node = x as Exclude<Inline, string | readonly Inline[]>;
  if ('strong' in node) return `**${inlineMarkdown(node.strong)}**`;
  if ('em' in node) return `*${inlineMarkdown(node.em)}*`;
  if ('code' in node) return `\`${node.code.replaceAll('`', "'")}\``;
  if ('link' in node) return `[${inlineMarkdown(node.link)}](${assertSafeHref(node.href)})`;
  return escapeMarkdown(node.figure);
}

function blockMarkdown(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${inlineMarkdown(b.text)}`;
    case 'paragraph':
      return b.role === 'notice' ? `> ${inlineMarkdown(b.text)}` : b.role === 'headline' ? `**${inlineMarkdown(b.text)}**` : inlineMarkdown(b.text);
    case 'list':
      return b.items.map((i) => `- ${inlineMarkdown(i)}`).join('\n');
    case 'table': {
      const sep = b.align.map((a) => (a === 'r' ? '---:' : '---'));
      const lines = [`| ${b.header.map(escapeMarkdown).join(' | ')} |`, `| ${sep.join(' | ')} |`];
      for (const r of b.rows) lines.push(`| ${r.map((c) => inlineMarkdown(c.text)).join(' | ')} |`);
      const csv = b.csv ? ` (${inlineMarkdown({ link: b.csv, href: b.csv })})` : '';
      return `${inlineMarkdown(b.caption)}${csv}\n\n${lines.join('\n')}`;
    }
    case 'chart':
      return `![${escapeMarkdown(b.alt)}](${assertSafeHref(`charts/${b.file}`)})`;
    case 'mode':
      return b.blocks.map(blockMarkdown).join('\n\n');
  }
}

/** GitHub-flavoured Markdown; every text node escaped, one blank line between blocks. */
export function renderMarkdownDocument(doc: ReportDocument): string {
  return `${doc.blocks.map(blockMarkdown).join('\n\n')}\n`;
}
