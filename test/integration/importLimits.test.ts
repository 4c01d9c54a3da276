import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, ftruncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { warehousePaths } from '../../pipeline/paths.js';
import { tempDir } from '../helpers.js';
import { runCli, startCli } from '../spawnCli.js';

const model = (id: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ id, downloads: 1, downloadsAllTime: 2, likes: 0, ...extra });

/** Files that are too big, too long or never end fail fast with exit 2 naming them, or stop on a signal. */
describe('import bounds what it reads', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  let n = 0;
  /** A project folder with its own config and warehouse. */
  const project = (settings: Record<string, number> = {}): { cwd: string; wh: string } => {
    const cwd = join(tmp.dir, `p${n++}`);
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(cwd, 'hubtrends.config.json'), JSON.stringify(settings));
    return { cwd, wh: join(cwd, 'warehouse') };
  };
  const importArgs = (file: string) => ['import', file, '--format', 'api-jsonl', '--snapshot', '2025-01-13'];

  it('a device or a FIFO is refused at once, and the lock is released', () => {
    const { cwd, wh } = project();
    const fifo = join(tmp.dir, 'no-writer.jsonl');
    execFileSync('mkfifo', [fifo]);
    for (const file of ['/dev/zero', fifo]) {
      const r = runCli(importArgs(file), {}, cwd);
      expect(r.code, file).toBe(2);
      expect(r.stderr).toContain(`${file}: not a regular file`);
      expect(existsSync(warehousePaths(wh).lock)).toBe(false);
    }
  });

  it('a line longer than maxLineChars fails with exit 2 naming file and line', () => {
    const { cwd } = project({ maxLineChars: 1000 });
    const file = join(tmp.dir, 'long-line.jsonl');
    writeFileSync(file, `${model('acme-us/a')}\n${model('acme-us/b', { author: 'x'.repeat(5000) })}\n`);
    const r = runCli(importArgs(file), {}, cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('long-line.jsonl:2: the line is longer than 1000 characters (maxLineChars)');
  });

  it('a JSON array element longer than maxLineChars fails the same way', () => {
    const { cwd } = project({ maxLineChars: 1000 });
    const file = join(tmp.dir, 'long-element.json');
    writeFileSync(file, `[\n${model('acme-us/a')},\n${model('acme-us/b', { author: 'x'.repeat(5000) })}\n]\n`);
    const r = runCli(importArgs(file), {}, cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('long-element.json:3: the JSON array element starting on this line is longer than 1000 characters');
  });

  it('a valid object with a 20 MB author fails with exit 2 naming file and line, not a DuckDB message', () => {
    const { cwd, wh } = project();
    const file = join(tmp.dir, 'huge-author.jsonl');
    writeFileSync(file, `${model('acme-us/a')}\n${model('acme-us/b', { author: 'y'.repeat(20 * 2 ** 20) })}\n`);
    const r = runCli(importArgs(file), {}, cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/huge-author\.jsonl:2: the model "acme-us\/b" holds 20971529 characters of text, more than 1048576/);
    expect(existsSync(warehousePaths(wh).snapshots)).toBe(false);
  });

  it('a gzip file inflating past maxInputBytes fails with exit 2, as does a file already larger', () => {
    const { cwd } = project({ maxInputBytes: 10_000 });
    const bomb = join(tmp.dir, 'bomb.jsonl.gz');
    writeFileSync(bomb, gzipSync(Buffer.from(`${model('acme-us/a')}\n`.repeat(20_000))));
    const r = runCli(importArgs(bomb), {}, cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bomb.jsonl.gz: holds more than 10000 bytes once decompressed (maxInputBytes)');
    const big = join(tmp.dir, 'big.jsonl');
    writeFileSync(big, `${model('acme-us/a')}\n`.repeat(1000));
    const r2 = runCli(importArgs(big), {}, cwd);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/big\.jsonl: \d+ bytes, more than 10000 \(maxInputBytes\)/);
  });

  it('SIGTERM while hashing a huge file stops the import with exit 130 and releases the lock', async () => {
    const { cwd, wh } = project({ maxInputBytes: 2 ** 41 });
    const file = join(tmp.dir, 'sparse.jsonl');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, 2 ** 40); // a terabyte of zeros that takes no disk: hashing it takes hours
    closeSync(fd);
    const p = startCli([...importArgs(file), '--log-level', 'info'], {}, cwd);
    await p.until('hashing input files');
    p.child.kill('SIGTERM');
    const { code } = await p.exited;
    expect(code, p.stderr()).toBe(130);
    expect(p.stderr()).toContain('stopped by a signal');
    expect(existsSync(warehousePaths(wh).lock)).toBe(false);
  });
});
