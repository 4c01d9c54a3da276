import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * The folder of per-period Parquet files, `<warehouse>/period_downloads/` (sql/070): a build
 * writes each period it computes to a new file named `<period_end>.<build id>.parquet` and never
 * touches a file the published database names, so readers of that database keep reading what it
 * names until the new one is published. After publishing, the files the new database does not
 * name (periods computed again, files of a build that failed or was killed) are removed.
 */
export class PeriodFiles {
  /** Names this build's files apart from every earlier build's. */
  readonly buildId: string = randomBytes(4).toString('hex');

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** The file names present before this build: a kept period whose file is gone is computed again. */
  published(): string[] {
    return existsSync(this.dir) ? readdirSync(this.dir).filter((f) => f.endsWith('.parquet')).sort() : [];
  }

  /** After a failed build: its own files, which no database names. */
  removeWritten(): void {
    for (const f of readdirSync(this.dir)) if (f.includes(`.${this.buildId}.`)) rmSync(join(this.dir, f), { force: true });
  }

  /** After publishing: every file the published database does not name. */
  removeAllBut(keep: readonly string[]): void {
    const named = new Set(keep);
    for (const f of readdirSync(this.dir)) if (!named.has(f)) rmSync(join(this.dir, f), { recursive: true, force: true });
  }
}
