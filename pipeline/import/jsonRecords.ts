import { inputError } from './inputError.js';
import { DEFAULT_INPUT_LIMITS } from './inputLimits.js';

export interface JsonRecord {
  /** 1-based line where the record starts. */
  readonly line: number;
  readonly value: unknown;
}

function parse(text: string, file: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw inputError(file, line, `not valid JSON (${(err as Error).message})`, err);
  }
}

/**
 * The records of a JSON Lines file or of a JSON array, streamed: a file whose first character
 * (after a byte order mark and whitespace) is `[` is one array, read element by element without
 * holding the whole text; otherwise each non-blank line is one JSON value, and a line holding an
 * array (a saved page of `/api/models`) gives its elements. CRLF line ends are accepted. Text that
 * is not JSON fails with the file, the line and the parser's reason.
 */
export async function* jsonRecords(chunks: AsyncIterable<string>, file: string, maxLineChars: number = DEFAULT_INPUT_LIMITS.maxLineChars): AsyncGenerator<JsonRecord> {
  const it = chunks[Symbol.asyncIterator]();
  let buffered = '';
  // Find the first significant character to choose the shape.
  for (;;) {
    if (buffered.trim().length > 0) break;
    const next = await it.next();
    if (next.done) return;
    buffered += next.value;
  }
  async function* rest(): AsyncGenerator<string> {
    yield buffered;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  if (buffered.trimStart().startsWith('[')) yield* arrayElements(rest(), file, maxLineChars);
  else yield* lines(rest(), file, maxLineChars);
}

function tooLong(file: string, line: number, max: number, what: string): Error {
  return inputError(file, line, `${what} is longer than ${max} characters (maxLineChars); nothing was imported`);
}

async function* lines(chunks: AsyncIterable<string>, file: string, max: number): AsyncGenerator<JsonRecord> {
  let line = 0;
  // The start of a line that spans chunks, kept in pieces: gluing each chunk onto a growing
  // string made a long line cost time in the square of its length.
  let carry: string[] = [];
  let carried = 0;
  const one = function* (text: string): Generator<JsonRecord> {
    line++;
    const t = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (t.trim() === '') return;
    const value = parse(t, file, line);
    if (Array.isArray(value)) for (const v of value) yield { line, value: v };
    else yield { line, value };
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      if (carried + nl - start > max) throw tooLong(file, line + 1, max, 'the line');
      const piece = chunk.slice(start, nl);
      const text = carry.length === 0 ? piece : carry.join('') + piece;
      carry = [];
      carried = 0;
      start = nl + 1;
      yield* one(text);
    }
    if (start < chunk.length) {
      carry.push(chunk.slice(start));
      carried += chunk.length - start;
      if (carried > max) throw tooLong(file, line + 1, max, 'the line');
    }
  }
  if (carried > 0) yield* one(carry.join(''));
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Top-level JSON arrays (one, or several one after another: saved pages) and objects, element by
 * element. Each element's text is cut out by tracking strings and nesting, then parsed alone.
 */
async function* arrayElements(chunks: AsyncIterable<string>, file: string, max: number): AsyncGenerator<JsonRecord> {
  type State = 'top' | 'before' | 'element' | 'after';
  let state: State = 'top';
  let line = 1;
  let inArray = 0; // elements read in the current array
  let topLevel = false; // the element being read is an object at the top level, not in an array
  let depth = 0;
  let inString = false;
  let escape = false;
  let startLine = 0;
  let parts: string[] = [];
  let partsLength = 0;
  const unexpected = (ch: string, expected: string) => inputError(file, line, `expected ${expected}, found ${JSON.stringify(ch)}`);

  for await (const chunk of chunks) {
    let from = state === 'element' ? 0 : -1; // start of the element's text in this chunk
    const out: JsonRecord[] = [];
    const finish = (end: number, next: State): void => {
      if (partsLength + end - from > max) throw tooLong(file, startLine, max, 'the JSON array element starting on this line');
      parts.push(chunk.slice(from, end));
      out.push({ line: startLine, value: parse(parts.join(''), file, startLine) });
      parts = [];
      partsLength = 0;
      from = -1;
      inArray++;
      state = topLevel ? 'top' : next;
    };
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (state === 'element') {
        if (c === 0x0a) line++;
        if (inString) {
          if (escape) escape = false;
          else if (c === 0x5c) escape = true;
          else if (c === 0x22) inString = false;
        } else if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) {
          if (depth === 0) finish(i, 'top'); // the `]` closing the array right after a scalar element
          else if (--depth === 0) finish(i + 1, 'after');
        } else if (c === 0x2c && depth === 0) finish(i, 'before');
        continue;
      }
      if (c === 0x0a) line++;
      if (WS.has(c) || c === 0xfeff) continue;
      const ch = chunk[i]!;
      if (state === 'top') {
        if (ch === '[') {
          state = 'before';
          inArray = 0;
          continue;
        }
        if (ch !== '{') throw unexpected(ch, 'a JSON array or object');
        topLevel = true;
      } else if (state === 'before') {
        if (ch === ']' && inArray === 0) {
          state = 'top';
          continue;
        }
        if (ch === ']' || ch === ',') throw unexpected(ch, 'a value in the JSON array');
        topLevel = false;
      } else {
        if (ch === ',') state = 'before';
        else if (ch === ']') state = 'top';
        else throw unexpected(ch, ', or ] in the JSON array');
        continue;
      }
      state = 'element';
      startLine = line;
      from = i;
      depth = 0;
      inString = false;
      escape = false;
      i--; // read this character again as the element's first
    }
    if (state === 'element' && from >= 0) {
      parts.push(chunk.slice(from));
      partsLength += chunk.length - from;
      if (partsLength > max) throw tooLong(file, startLine, max, 'the JSON array element starting on this line');
    }
    yield* out;
  }
  if ((state as State) !== 'top') throw inputError(file, line, 'the JSON array is not closed (a truncated file?)');
}
