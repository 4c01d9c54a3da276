import { linkSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { LockedError } from '../errors.js';
import { warehousePaths } from '../paths.js';
import { finishInterruptedReplaces } from './interruptedReplace.js';
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

/** The holder a lock file names, or null when its text is not a lock of ours (garbage, `42`, `{}`). */
function lockInfo(text: string): LockInfo | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (!Number.isSafeInteger(o.pid) || (o.pid as number) <= 0 || typeof o.host !== 'string' || typeof o.command !== 'string' || typeof o.started_at !== 'string') return null;
  return o as unknown as LockInfo;
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
          const lock = new WarehouseLock(path, logger);
          try {
            // Whoever takes the lock first ends a --replace that a crash cut short.
            finishInterruptedReplaces(warehousePaths(dirname(path)), logger);
          } catch (err) {
            lock.release();
            throw err;
          }
          return lock;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
        const text = readText(path);
        if (text === null) continue; // released meanwhile: try again
        const holder = lockInfo(text);
        if (!holder) {
          throw new LockedError(`the warehouse lock ${path} holds no hubtrends lock (it reads ${JSON.stringify(text.slice(0, 40))}); remove it if no hubtrends process is running`);
        }
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
