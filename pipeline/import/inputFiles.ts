import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { sha256File } from '../storage/sha256.js';
import type { Logger } from '../log.js';
import { inputError } from './inputError.js';
import { DEFAULT_INPUT_LIMITS } from './inputLimits.js';

/** One file to import. */
export interface InputFile {
  readonly path: string;
  /**
   * The name written in the manifest and in messages: the file's own name when it was given
   * directly, `folder/relative/path` when it was found in a folder given on the command line.
   */
  readonly name: string;
  /** Names a date may be read from, outermost first, the file's own name last. */
  readonly dateSegments: readonly string[];
  readonly sha256: string;
}

/**
 * Files named on the command line, folders expanded (recursively, in name order, hidden files and
 * files without one of `extensions` left out). `folderDates`: a file given directly may take its
 * date from its parent folder's name too (`2025-01-06/models.parquet`).
 */
export async function inputFiles(
  args: readonly string[],
  opts: { extensions: readonly string[]; folderDates: boolean; logger: Logger; maxInputBytes?: number; signal?: AbortSignal },
): Promise<InputFile[]> {
  const maxBytes = opts.maxInputBytes ?? DEFAULT_INPUT_LIMITS.maxInputBytes;
  const out: Omit<InputFile, 'sha256'>[] = [];
  const seen = new Set<string>();
  const add = (path: string, name: string, dateSegments: string[]): void => {
    const real = realpathSync(path);
    if (seen.has(real)) {
      opts.logger.warn({ file: name }, 'file given twice; imported once');
      return;
    }
    seen.add(real);
    out.push({ path, name, dateSegments });
  };
  for (const arg of args) {
    const path = resolve(arg);
    let st;
    try {
      st = statSync(path);
    } catch {
      throw inputError(arg, null, 'no such file or folder');
    }
    if (st.isDirectory()) {
      const found = walk(path).filter((f) => opts.extensions.some((ext) => f.toLowerCase().endsWith(ext)));
      if (found.length === 0) throw inputError(arg, null, `the folder holds no ${opts.extensions.join(', ')} file`);
      const root = basename(path);
      for (const f of found) {
        const rel = relative(path, f).split(sep);
        add(f, [root, ...rel].join('/'), [root, ...rel]);
      }
    } else {
      // A device or pipe (/dev/zero, a FIFO, <(…)) is refused: it is read twice, hashed and then
      // imported, and may never end or never start.
      if (!st.isFile()) throw inputError(arg, null, 'not a regular file (a device, pipe or socket cannot be hashed and then read); save it to a file first');
      if (st.size > maxBytes) throw inputError(arg, null, `${st.size} bytes, more than ${maxBytes} (maxInputBytes)`);
      add(path, basename(path), opts.folderDates ? [basename(dirname(path)), basename(path)] : [basename(path)]);
    }
  }
  const files: InputFile[] = [];
  if (out.length > 0) opts.logger.info({ files: out.length }, 'hashing input files');
  for (const f of out) {
    try {
      files.push({ ...f, sha256: await sha256File(f.path, opts.signal) });
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      throw inputError(f.name, null, `cannot be read (${(err as Error).message})`, err);
    }
  }
  return files;
}

function walk(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walk(p));
    else if (entry.isFile()) files.push(p);
  }
  return files;
}
