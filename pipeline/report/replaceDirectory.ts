import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { crashPoint } from '../crashPoint.js';
import { fsyncPath } from '../storage/durable.js';

const TMP = '.tmp-';
const OLD = '.old-';

/**
 * Finish what a killed replacement of `dir` left: a `<dir>.old-PID` with no `<dir>` is the
 * previous content, moved aside just before the crash, and goes back; with `<dir>` in place it is
 * garbage. Every `<dir>.tmp-PID` is an unfinished write and is removed.
 */
export function recoverDirectory(dir: string): void {
  const parent = dirname(dir);
  if (!existsSync(parent)) return;
  const name = basename(dir);
  const leftovers = readdirSync(parent).filter((f) => f.startsWith(`${name}${TMP}`) || f.startsWith(`${name}${OLD}`)).sort();
  for (const f of leftovers) {
    const path = join(parent, f);
    if (f.startsWith(`${name}${OLD}`) && !existsSync(dir)) renameSync(path, dir);
    else rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Replace folder `dir` with what `write` puts in a fresh temporary folder beside it, so that at
 * every moment `dir` is either the old folder or the complete new one (or, for the instant between
 * two renames, absent with the old one beside it, which `recoverDirectory` puts back). A write
 * that fails (ENOSPC, a bug) leaves the old folder untouched and removes its temporary folder.
 */
export function replaceDirectory(dir: string, write: (tmp: string) => void): void {
  recoverDirectory(dir);
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = `${dir}${TMP}${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    write(tmp);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  crashPoint('report-before-swap');
  if (existsSync(dir)) {
    const old = `${dir}${OLD}${process.pid}`;
    renameSync(dir, old);
    crashPoint('report-mid-swap');
    renameSync(tmp, dir);
    fsyncPath(dirname(dir));
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(tmp, dir);
    fsyncPath(dirname(dir));
  }
}
