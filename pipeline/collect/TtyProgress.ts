import type { Clock } from '../clock.js';
import type { StatusLine } from '../terminal/StatusLine.js';
import type { Progress } from './Progress.js';

/**
 * The live progress line of a crawl on a TTY: pages, models, models/s, time spent waiting for
 * the rate limit, and an ETA when the previous snapshot's size gives a total to aim at.
 */
export class TtyProgress implements Progress {
  private readonly started: number;
  private last: number | null = null;
  constructor(
    private readonly line: StatusLine,
    private readonly expectedModels: number | null,
    private readonly clock: Clock,
    /** What the line is about, e.g. `collect` or `demo: week 3 of 26 · collect 2025-03-17`. */
    private readonly label = 'collect',
  ) {
    this.started = clock.now().getTime();
  }

  update(s: { pages: number; models: number; rateLimitWaitMs: number }): void {
    const now = this.clock.now().getTime();
    // A terminal redrawn on every page of a fast local crawl would cost more than the crawl.
    if (this.last !== null && now - this.last < 250) return;
    this.last = now;
    const secs = Math.max(0.001, (now - this.started) / 1000);
    const rate = s.models / secs;
    let eta = '';
    if (this.expectedModels && rate > 0 && s.models < this.expectedModels) {
      eta = ` · ETA ${formatDuration((this.expectedModels - s.models) / rate)}`;
    }
    const wait = s.rateLimitWaitMs > 0 ? ` · waited ${formatDuration(s.rateLimitWaitMs / 1000)} for the rate limit` : '';
    this.line.show(`${this.label}: ${s.pages} ${s.pages === 1 ? 'page' : 'pages'} · ${s.models} models · ${Math.round(rate)} models/s${wait}${eta}`);
  }

  stop(): void {
    this.line.clear();
  }
}

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
