import type { Clock } from '../clock.js';
import { TtyProgress } from '../collect/TtyProgress.js';
import type { StatusLine } from '../terminal/StatusLine.js';
import { stepLine } from '../terminal/stepLine.js';
import type { DemoProgress } from './DemoProgress.js';

/** The demo's stages on one live terminal line: the week's crawl, then build, then report. */
export function ttyDemoProgress(line: StatusLine, clock: Clock): DemoProgress {
  return {
    collect: (week, weeks, date, expected) => new TtyProgress(line, expected, clock, `demo: week ${week} of ${weeks} · collect ${date}`),
    build: stepLine(line, 'demo: build: SQL file'),
    report: stepLine(line, 'demo: report: step'),
  };
}
