import { UsageError } from '../errors.js';

/**
 * An input file that cannot be read as its format says: exit 2, and the message names the file,
 * the line (or row) when there is one, and the reason, as `file:line: reason`.
 */
export function inputError(file: string, line: number | null, reason: string, cause?: unknown): UsageError {
  return new UsageError(`${file}${line === null ? '' : `:${line}`}: ${reason}`, cause === undefined ? undefined : { cause });
}
