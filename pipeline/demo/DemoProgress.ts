import type { Progress } from '../collect/Progress.js';
import type { StepProgress } from '../StepProgress.js';

/** What the demo reports as it goes: each week's crawl, then the build and the report's steps. */
export interface DemoProgress {
  /** The crawl of week `week` of `weeks`; `expectedModels` (the week before's count) gives an ETA. */
  collect(week: number, weeks: number, date: string, expectedModels: number | null): Progress;
  readonly build?: StepProgress;
  readonly report?: StepProgress;
}
