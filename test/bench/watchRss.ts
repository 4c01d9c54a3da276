import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Peak resident memory of a child, sampled from /proc (Linux) every 20 ms; call the result to stop. */
export function watchRss(child: ChildProcess): () => number {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
    } catch {
      // the child has exited
    }
  }, 20);
  return () => {
    clearInterval(timer);
    return peak;
  };
}
