/** Watching the main event loop while something runs: how often a 1 ms interval got to fire. */
import { performance } from 'node:perf_hooks';

/** What the interval saw between start and stop. */
export interface EventLoopWatch {
  ticks: number;
  /** The longest time the loop went without firing the interval (from the start to the stop). */
  longestStallMs: number;
}

/** Runs `work` while a 1 ms interval ticks on this thread; returns its value and what the interval saw. */
export async function watchEventLoop<T>(work: () => Promise<T>): Promise<{ value: T; watch: EventLoopWatch }> {
  let ticks = 0;
  let last = performance.now();
  let longestStallMs = 0;
  const note = (): void => {
    const now = performance.now();
    longestStallMs = Math.max(longestStallMs, now - last);
    last = now;
  };
  const interval = setInterval(() => {
    ticks += 1;
    note();
  }, 1);
  try {
    const value = await work();
    note();
    return { value, watch: { ticks, longestStallMs } };
  } finally {
    clearInterval(interval);
  }
}

/** Milliseconds a synchronous computation takes on this thread, and its value. */
export function timed<T>(work: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = work();
  return { value, ms: performance.now() - start };
}
