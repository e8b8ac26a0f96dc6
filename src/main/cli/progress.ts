/** Progress bars on the terminal (cli-progress); nothing at all when no one watches a terminal. */
import { Presets, SingleBar } from 'cli-progress';
import type { CliIo } from './io';

/** One bar: `update(done, label)`, `stop()`. */
export interface ProgressBar {
  update(done: number, label: string): void;
  setTotal(total: number): void;
  stop(): void;
}

const SILENT: ProgressBar = { update: () => undefined, setTotal: () => undefined, stop: () => undefined };

/**
 * A bar titled `title` out of `total` steps, e.g. photos, or per mille of a model load. The
 * label after it says what is happening now (the photo's name, the load stage).
 */
export function startProgress(io: CliIo, title: string, total: number, unit: string): ProgressBar {
  if (io.terminal === undefined) return SILENT;
  const bar = new SingleBar(
    {
      stream: io.terminal,
      format: `${title} {bar} {value}/{total} ${unit} | {label}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20
    },
    Presets.shades_classic
  );
  bar.start(total, 0, { label: '' });
  return {
    update: (done, label) => bar.update(done, { label }),
    setTotal: (newTotal) => bar.setTotal(newTotal),
    stop: () => bar.stop()
  };
}
