/** What the demo collects; kept apart from demo.ts so the CLI can show defaults without loading it. */
export interface DemoOptions {
  /** Models in the synthetic hub. Default 50,000. */
  readonly models: number;
  /** Weekly snapshots to collect. Default 26. */
  readonly weeks: number;
  /** Date of the last snapshot. Default 2025-08-25, the end of the MIT study's year. */
  readonly lastDate: string;
}

export const DEMO_DEFAULTS: DemoOptions = { models: 50_000, weeks: 26, lastDate: '2025-08-25' };
