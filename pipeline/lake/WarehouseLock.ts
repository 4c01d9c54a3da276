import { closeSync, openSync, readFileSync, unlinkSync, writeSync, mkdirSync } from 'node:fs';
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
    for (let tries = 0; tries < 3; tries++) {
      try {
        const fd = openSync(path, 'wx');
        try {
          writeSync(fd, `${JSON.stringify(info)}\n`);
        } finally {
          closeSync(fd);
        }
        return new WarehouseLock(path, logger);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      let holder: LockInfo | null = null;
      try {
        holder = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
      } catch {
        holder = null; // half-written by a process that died while creating it
      }
      if (holder && (holder.host !== info.host || alive(holder.pid))) {
        throw new LockedError(
          `the warehouse is locked by ${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.started_at}); lock file ${path}`,
        );
      }
      logger.warn({ lock: path, holder }, 'taking over a lock whose process is gone');
      try {
        unlinkSync(path);
      } catch {
        // another process took it over first; the next try sees its lock
      }
    }
    throw new LockedError(`could not take the warehouse lock ${path}`);
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
