import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../pipeline/paths.js';

export const cliPath = join(packageRoot, 'dist', 'pipeline', 'cli.js');

/** Run the compiled command line to the end, as a real process. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'UTC', ...env }, timeout: 60_000, cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A running command line and a promise of its exit; `until(text)` resolves once stderr holds text. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): { child: ChildProcess; stderr: () => string; until: (text: string) => Promise<void>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, [cliPath, ...args], { env: { PATH: process.env.PATH, TZ: 'UTC', ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd });
  let err = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    err += d;
    for (const w of waiters.splice(0)) (err.includes(w.text) ? w.resolve : () => waiters.push(w))();
  });
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    stderr: () => err,
    until: (text) =>
      new Promise<void>((resolve, reject) => {
        if (err.includes(text)) return resolve();
        waiters.push({ text, resolve });
        void exited.then(({ code }) => reject(new Error(`exited ${code} before stderr held ${JSON.stringify(text)}:\n${err}`)));
      }),
    exited,
  };
}
