import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../pipeline/paths.js';

/** A fenced code block of a Markdown file, with the line it starts on (for messages). */
export interface CodeBlock {
  readonly file: string;
  readonly line: number;
  readonly lang: string;
  readonly text: string;
}

export function readDoc(relative: string): string {
  return readFileSync(join(packageRoot, relative), 'utf8');
}

export function codeBlocks(relative: string): CodeBlock[] {
  const lines = readDoc(relative).split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    blocks.push({ file: relative, line: start + 1, lang: open[1]!, text: body.join('\n') });
  }
  return blocks;
}

/** Inline code spans outside fenced blocks (the command table of the README), with their line. */
export function inlineCode(relative: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fenced = false;
  readDoc(relative)
    .split('\n')
    .forEach((l, i) => {
      if (/^```/.test(l)) fenced = !fenced;
      if (fenced) return;
      for (const m of l.matchAll(/`([^`]+)`/g)) out.push({ line: i + 1, text: m[1]! });
    });
  return out;
}

/**
 * Shell commands of a `sh` block as argument lists, as a POSIX shell splits them: quotes (a
 * double-quoted SQL may span lines), comments, `\` line continuations; a pipeline is split at `|`.
 */
export function shellCommands(text: string): string[][][] {
  const commands: string[][][] = [];
  let pipeline: string[][] = [];
  let words: string[] = [];
  let word: string | null = null;
  const endWord = (): void => {
    if (word !== null) words.push(word);
    word = null;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length) pipeline.push(words);
    words = [];
  };
  const endPipeline = (): void => {
    endCommand();
    if (pipeline.length) commands.push(pipeline);
    pipeline = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      let s = '';
      for (i++; i < text.length && text[i] !== c; i++) {
        if (c === '"' && text[i] === '\\' && '"\\$`'.includes(text[i + 1] ?? '')) i++;
        s += text[i];
      }
      word = (word ?? '') + s;
    } else if (c === '\\' && text[i + 1] === '\n') i++;
    else if (c === '#' && word === null) while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    else if (c === '\n' || c === ';') endPipeline();
    else if (c === '|') endCommand();
    else if (c === ' ' || c === '\t') endWord();
    else word = (word ?? '') + c;
  }
  endPipeline();
  return commands;
}

/** Column docs of a `### name` section: the rows of its `| column | type | meaning |` table. */
export interface DocColumn {
  readonly name: string;
  readonly type: string;
}

/** The sections of a Markdown file under `heading` (a `## ` title), by `### ` title. */
export function sections(relative: string, heading: string): Map<string, string> {
  const text = readDoc(relative);
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`${relative} has no "## ${heading}" section`);
  const end = text.indexOf('\n## ', start + 1);
  const body = text.slice(start, end < 0 ? undefined : end);
  const out = new Map<string, string>();
  for (const part of body.split(/\n### /).slice(1)) {
    const nl = part.indexOf('\n');
    out.set(part.slice(0, nl).trim(), part.slice(nl + 1));
  }
  return out;
}

/** The first column table of a section. */
export function columnTable(section: string): DocColumn[] {
  const lines = section.split('\n');
  const header = lines.findIndex((l) => /^\|\s*column\s*\|\s*type\s*\|/.test(l));
  if (header < 0) return [];
  const out: DocColumn[] = [];
  for (const l of lines.slice(header + 2)) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*([^|]+?)\s*\|/.exec(l);
    if (!m) break;
    out.push({ name: m[1]!, type: m[2]! });
  }
  return out;
}
