import type { StepProgress } from '../StepProgress.js';
import type { StatusLine } from './StatusLine.js';

/** Draws a stage's steps on the live line: `build: SQL file 3 of 33 · 030_registry_orgs.sql`. */
export function stepLine(line: StatusLine, label: string): StepProgress {
  return (name, i, n) => line.show(`${label} ${i} of ${n} · ${name}`);
}
