/** Receives crawl progress; the CLI draws it on a TTY, tests and the scheduler pass nothing. */
export interface Progress {
  update(state: { pages: number; models: number; rateLimitWaitMs: number }): void;
  stop(): void;
}
