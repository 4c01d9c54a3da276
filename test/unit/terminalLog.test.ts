import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { StatusLine } from '../../pipeline/terminal/StatusLine.js';
import { createTerminalLogger } from '../../pipeline/log.js';

/** A terminal stand-in that keeps every byte written to it, `columns` wide. */
function terminal(columns?: number): Writable & { columns?: number; text: () => string } {
  const chunks: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  }) as Writable & { columns?: number; text: () => string };
  out.columns = columns;
  out.text = () => chunks.join('');
  return out;
}

describe('the live line and the logs printed above it', () => {
  it('prints a log line above the live line, then draws the live line again', () => {
    const out = terminal();
    const line = new StatusLine(out);
    line.show('build: SQL file 1 of 3 · a.sql');
    line.print('[00:00:00] INFO: hello\n');
    expect(out.text()).toBe('\r\x1b[2Kbuild: SQL file 1 of 3 · a.sql\r\x1b[2K[00:00:00] INFO: hello\nbuild: SQL file 1 of 3 · a.sql');
    line.clear();
    line.clear();
    line.print('after\n');
    expect(out.text().endsWith('\r\x1b[2Kafter\n')).toBe(true);
  });

  it('cuts the live line to the terminal width, so it never wraps', () => {
    const out = terminal(20);
    new StatusLine(out).show('x'.repeat(50));
    expect(out.text()).toBe(`\r\x1b[2K${'x'.repeat(18)}…`);
  });

  it('logs one line per entry, errors included, with the token redacted', () => {
    const out = terminal();
    const log = createTerminalLogger('info', new StatusLine(out), { color: false });
    log.info({ rows: 3, nested: { a: [1, 2] }, token: 'hf_secret' }, 'collect finished');
    log.warn({ err: new Error('first\nsecond') }, 'hub request failed');
    log.debug('not shown at info');
    const lines = out.text().split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: collect finished \{"rows":3,"nested":\{"a":\[1,2\]\},"token":"\[redacted\]"\}$/);
    expect(lines[1]).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: hub request failed \{"err":"Error: first second"\}$/);
    expect(out.text()).not.toContain('hf_secret');
  });

  it('shows an error with its stack at debug, the level asked for to see the detail', () => {
    const out = terminal();
    createTerminalLogger('debug', new StatusLine(out), { color: false }).debug({ err: new Error('boom') }, 'failure detail');
    expect(out.text()).toContain('failure detail');
    expect(out.text()).toMatch(/\n\s+at /);
  });
});
