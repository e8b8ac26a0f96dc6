/**
 * Load progress between the worker's stage reports. onnxruntime creates a session synchronously
 * (minutes for a big model on its first, optimising load), so the worker cannot report while it
 * works; the main thread moves the bar on by an estimate from the model's size instead, never past
 * the next stage.
 */
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LoadProgress } from './session-host';

/** Rough seconds per gigabyte of model on a small machine, measured for ZoeD_M12_N (issue 3). */
const SECONDS_PER_GB: Record<LoadProgress['stage'], number> = {
  reading: 1,
  optimising: 80,
  'creating-session': 6,
  ready: 0
};

/** Where each stage's estimate may take the bar: up to (not including) the next stage's start. */
const STAGE_CEILING: Record<LoadProgress['stage'], number> = {
  reading: 0.2,
  optimising: 0.88,
  'creating-session': 0.98,
  ready: 1
};

/**
 * The estimated fraction `elapsedMs` into a stage that began at `start.fraction`: approaches the
 * stage's ceiling, reaching about 63 % of the way at the expected duration, never beyond it.
 */
export function estimatedFraction(start: LoadProgress, elapsedMs: number, modelBytes: number): number {
  const ceiling = Math.max(start.fraction, STAGE_CEILING[start.stage]);
  const expectedMs = Math.max(500, (SECONDS_PER_GB[start.stage] * 1000 * modelBytes) / 1e9);
  return start.fraction + (ceiling - start.fraction) * (1 - Math.exp(-elapsedMs / expectedMs));
}

/** Re-emits the latest stage every `intervalMs` with an estimated fraction until stopped. */
export class LoadProgressTicker {
  private timer: NodeJS.Timeout | undefined;

  /** `modelBytes` is asked at each tick: the size may still be being read when loading starts. */
  constructor(
    private readonly modelBytes: () => number,
    private readonly emit: (progress: LoadProgress) => void,
    private readonly intervalMs = 500
  ) {}

  /** A stage report from the worker: passed on at once, then estimated forward. */
  report(progress: LoadProgress): void {
    this.stop();
    this.emit(progress);
    if (progress.stage === 'ready') return;
    const started = Date.now();
    this.timer = setInterval(() => {
      this.emit({ ...progress, fraction: estimatedFraction(progress, Date.now() - started, this.modelBytes()) });
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** The bytes a load reads: the graph file, and its external weights beside it if any. */
export async function modelBytes(modelPath: string, externalFiles: string[]): Promise<number> {
  const files = [modelPath, `${modelPath}.data`, ...externalFiles.map((f) => join(dirname(modelPath), f))];
  const sizes = await Promise.all(files.map((f) => stat(f).then((s) => s.size, () => 0)));
  return sizes.reduce((a, b) => a + b, 0);
}
