/**
 * Called as a stage reaches step `i` of `n`, named (build: its SQL files; report: its queries,
 * charts and files). The CLI draws it on a terminal; tests and the scheduler pass nothing.
 */
export type StepProgress = (name: string, i: number, n: number) => void;
