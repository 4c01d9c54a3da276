import { linkSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { LockedError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Clock } from '../clock.js';

interface LockInfo {
  pid: number;
  host: string;
  started_at: string;
  command: string;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One writer per warehouse, across processes (DESIGN §11): a file created with O_EXCL holding
 * pid, host and start time. A lock left by a dead process on this host is taken over.
 */
export class WarehouseLock {
  private released = false;

  private constructor(
    readonly path: string,
    private readonly logger: Logger,
  ) {}

  static acquire(path: string, command: string, logger: Logger, clock: Clock): WarehouseLock {
    mkdirSync(dirname(path), { recursive: true });
    const info: LockInfo = { pid: process.pid, host: hostname(), started_at: clock.now().toISOString(), command };
    // The lock appears with its content in one step: written to a private file, then hard-linked
    // to the lock path, which fails if the lock exists. No reader ever sees an empty lock.
    const mine = `${path}.${process.pid}.${Date.now()}`;
    writeFileSync(mine, `${JSON.stringify(info)}\n`);
    try {
      for (let tries = 0; tries < 3; tries++) {
        try {
          linkSync(mine, path);
          return new WarehouseLock(path, logger);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
        const text = readText(path);
        if (text === null) continue; // released meanwhile: try again
        let holder: LockInfo | null = null;
        try {
          holder = JSON.parse(text) as LockInfo;
        } catch {
          holder = null;
        }
        if (!holder) throw new LockedError(`the warehouse lock ${path} is unreadable; remove it if no hubtrends process is running`);
        if (holder.host !== info.host || alive(holder.pid)) {
          throw new LockedError(
            `the warehouse is locked by ${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.started_at}); lock file ${path}`,
          );
        }
        // Take over a dead process's lock only if it is still that lock: another process may
        // have taken it over between our read and now.
        if (readText(path) !== text) continue;
        logger.warn({ lock: path, holder }, 'taking over a lock whose process is gone');
        try {
          unlinkSync(path);
        } catch {
          // gone already; the next try links ours
        }
      }
      throw new LockedError(`could not take the warehouse lock ${path}`);
    } finally {
      rmSync(mine, { force: true });
    }
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      unlinkSync(this.path);
    } catch (err) {
      this.logger.warn({ err, lock: this.path }, 'lock file already gone at release');
    }
  }
}
