import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalHub } from '../../pipeline/localhub/LocalHub.js';
import { SyntheticHub } from '../../pipeline/localhub/SyntheticHub.js';
import { packageRoot } from '../../pipeline/paths.js';
import { tempDir, writeRegistry } from '../helpers.js';

const cli = join(packageRoot, 'dist', 'pipeline', 'cli.js');
const quote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;
const env = { PATH: process.env.PATH, TZ: 'UTC', NO_COLOR: '1' };

/**
 * Run the CLI with stderr (and stdout, unless redirected) on a real pseudo-terminal: `script`
 * from util-linux allocates one and copies what the terminal received to our pipe. Spawned
 * asynchronously, so the hub served by this process keeps answering.
 */
function onTty(args: string[], redirectStdout?: string): Promise<{ code: number | null; raw: string }> {
  const command = [process.execPath, cli, ...args].map(quote).join(' ') + (redirectStdout ? ` > ${quote(redirectStdout)}` : '');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let raw = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (raw += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, raw }));
  });
}

/** Run the CLI with stderr on a pipe, as a scheduler would. */
function piped(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * What a person sees once the command is done: each line as the terminal leaves it, i.e. the
 * text after the last carriage return (the live line is cleared and redrawn with `\r\x1b[2K`).
 */
function screen(raw: string): string[] {
  return raw
    .replaceAll('\r\n', '\n')
    .split('\n')
    .map((line) => line.split('\r').at(-1)!.replaceAll('\x1b[2K', ''))
    .filter((line) => line !== '');
}

/** Every drawing of the live line, in order. */
function progressLines(raw: string): string[] {
  return [...raw.matchAll(/\r\x1b\[2K([^\r\n]+)/g)].map((m) => m[1]!);
}

const LOG_LINE = /^\[\d\d:\d\d:\d\d\] (TRACE|DEBUG|INFO|WARN|ERROR|FATAL): [^\n]+$/;

/**
 * The screen holds single-line logs, then the command's `output` lines, nothing else: no JSON,
 * no object spread over lines, no progress line left behind.
 */
function expectScreen(lines: string[], output: number): void {
  expect(lines.length).toBeGreaterThan(output);
  for (const line of lines.slice(0, lines.length - output)) expect(line).toMatch(LOG_LINE);
  for (const line of lines) expect(line, 'JSON on the terminal').not.toMatch(/^\s*[{}]|^\s+"?\w+"?: /);
}

describe('the command line on a terminal', () => {
  const tmp = tempDir();
  const wh = join(tmp.dir, 'warehouse');
  const reports = join(tmp.dir, 'reports');
  const hub = new LocalHub({ source: new SyntheticHub({ models: 1500, seed: 11, orgs: [{ org: 'Qwen', country: 'CN', kind: 'company', source: 'test' }] }), asOfMs: Date.parse('2025-06-02T00:00:00Z') });
  let url = '';

  beforeAll(async () => {
    expect(spawnSync('script', ['--version'], { encoding: 'utf8' }).status, 'script (util-linux) is needed to give the CLI a terminal').toBe(0);
    writeRegistry(wh, ['Qwen,CN,company,test']);
    url = await hub.start(0, '127.0.0.1');
  });
  afterAll(async () => {
    await hub.stop();
    tmp.cleanup();
  });

  it('collect draws its live line of pages and models, and logs single lines above it', async () => {
    const r = await onTty(['collect', '--hub', url, '--snapshot', '2025-05-26', '--page-size', '200', '--warehouse', wh]);
    expect(r.code, r.raw).toBe(0);
    expect(progressLines(r.raw).some((l) => /^collect: \d+ pages? · \d+ models · \d+ models\/s/.test(l)), r.raw).toBe(true);
    const lines = screen(r.raw);
    expectScreen(lines, 1);
    expect(lines.some((l) => l.includes('collect finished') && l.includes('"rows":'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^snapshot 2025-05-26: \d+ models$/);
    expect(r.raw, 'NO_COLOR is honoured').not.toMatch(/\x1b\[\d+m/);
  });

  it('run shows collect, each build SQL file and each report step on the live line', async () => {
    hub.asOfMs = Date.parse('2025-06-02T00:00:00Z');
    // run collects today's snapshot; the hub's clock and the CLI's differ, which does not matter here.
    const r = await onTty(['run', '--hub', url, '--warehouse', wh, '--reports', reports]);
    expect(r.code, r.raw).toBe(0);
    const progress = progressLines(r.raw);
    expect(progress.some((l) => /^run: collect: \d+ pages? · \d+ models/.test(l)), r.raw).toBe(true);
    const sqlFiles = progress.filter((l) => l.startsWith('run: build: SQL file '));
    expect(sqlFiles[0]).toMatch(/^run: build: SQL file 1 of (\d+) · 005_region_of\.sql$/);
    const n = Number(/of (\d+)/.exec(sqlFiles[0]!)![1]);
    expect(sqlFiles).toHaveLength(n);
    expect(sqlFiles.at(-1)).toMatch(new RegExp(`^run: build: SQL file ${n} of ${n} · \\d+_\\w+\\.sql$`));
    expect(progress.filter((l) => l.startsWith('run: report: step ')).at(-1)).toMatch(/^run: report: step (\d+) of \1 · files$/);
    const lines = screen(r.raw);
    expectScreen(lines, 2);
    // The command's output starts on a clean line, not after a leftover progress line.
    expect(lines.at(-1)).toMatch(/report\.md$/);
    expect(lines.at(-1)!.startsWith(reports)).toBe(true);
  });

  it('build on a terminal names each SQL file; --log-json gives JSON lines and no live line', async () => {
    const tty = await onTty(['build', '--full', '--warehouse', wh]);
    expect(tty.code, tty.raw).toBe(0);
    expect(progressLines(tty.raw).filter((l) => l.startsWith('build: SQL file ')).length).toBeGreaterThan(10);
    expectScreen(screen(tty.raw), 1);

    const out = join(tmp.dir, 'build.out');
    const json = await onTty(['build', '--full', '--warehouse', wh, '--log-json'], out);
    expect(json.code, json.raw).toBe(0);
    expect(json.raw).not.toContain('\x1b[2K');
    const lines = json.raw.split(/\r?\n/).filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(() => JSON.parse(l) as unknown, l).not.toThrow();
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toContain('build finished');
    expect(readFileSync(out, 'utf8')).toMatch(/^warehouse .*: \d+ snapshots/);
  });

  it('with stderr on a pipe, logs are JSON lines and no progress is drawn', async () => {
    const r = await piped(['build', '--full', '--warehouse', wh]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('\r');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(() => JSON.parse(l) as unknown, l).not.toThrow();
    expect(lines.some((l) => (JSON.parse(l) as { msg: string; level: number }).msg === 'build finished')).toBe(true);
  });

  it('demo prints a handful of single lines and a live line per stage', async () => {
    const r = await onTty(['demo', '--models', '1500', '--weeks', '3', '--warehouse', wh, '--reports', reports]);
    expect(r.code, r.raw).toBe(0);
    const progress = progressLines(r.raw);
    for (const week of [1, 2, 3]) expect(progress.some((l) => l.startsWith(`demo: week ${week} of 3 · collect `)), r.raw).toBe(true);
    expect(progress.some((l) => /^demo: build: SQL file \d+ of \d+ · \d+_\w+\.sql$/.test(l))).toBe(true);
    expect(progress.some((l) => /^demo: report: step \d+ of \d+ · \w+\.sql$/.test(l))).toBe(true);
    const lines = screen(r.raw);
    expectScreen(lines, 3);
    const logs = lines.slice(0, -3);
    // Hub up, snapshots collected, registry note, build finished, report written.
    expect(logs.length).toBeLessThanOrEqual(6);
    expect(logs.some((l) => l.includes('demo: weekly snapshots collected'))).toBe(true);
    expect(lines.filter((l) => !l.startsWith('['))).toEqual([expect.stringMatching(/^SYNTHETIC DATA — /), expect.stringMatching(/^report: .*report\.md$/), expect.stringMatching(/^\(\d+\.\d s\)$/)]);
  });
});
