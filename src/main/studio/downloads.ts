/** Model downloads started from the models screen: one per model, cancellable, progress as events. */
import type { ModelDownloadProgress } from '../../shared/api/models';
import { toErrorValue } from '../../shared/errors';
import type { InstalledModel } from '../depth';
import type { DownloadProgress } from '../models/download';
import type { InstallOptions } from '../models/manager';

interface RunningDownload {
  controller: AbortController;
  progress: ModelDownloadProgress;
  finished: Promise<void>;
}

/** What a download needs from the model manager and the rest of the app. */
export interface DownloadTask {
  id: string;
  install: (options: InstallOptions) => Promise<InstalledModel>;
  /** Runs once the model is in place, before the final `installed` progress is sent. */
  onInstalled: (model: InstalledModel) => Promise<void>;
}

export class ModelDownloads {
  private readonly running = new Map<string, RunningDownload>();

  /** `emit` receives progress at most every `intervalMs`, and each download's outcome. */
  constructor(
    private readonly emit: (progress: ModelDownloadProgress) => void,
    private readonly intervalMs = 200
  ) {}

  /** The download of `id` in progress, or `null`. */
  progressOf(id: string): ModelDownloadProgress | null {
    const running = this.running.get(id);
    return running === undefined ? null : { ...running.progress };
  }

  /** Starts downloading unless a download of the same model is already running. */
  start(task: DownloadTask): ModelDownloadProgress {
    const existing = this.running.get(task.id);
    if (existing !== undefined) return { ...existing.progress };
    const controller = new AbortController();
    const progress: ModelDownloadProgress = { id: task.id, state: 'downloading', fileName: '', receivedBytes: 0, totalBytes: null, bytesPerSecond: 0, resumed: false };
    const entry: RunningDownload = { controller, progress, finished: Promise.resolve() };
    this.running.set(task.id, entry);
    let lastSent = 0;
    let trailing: NodeJS.Timeout | undefined;
    const send = (): void => {
      clearTimeout(trailing);
      trailing = undefined;
      lastSent = performance.now();
      if (this.running.get(task.id) === entry) this.emit({ ...entry.progress });
    };
    const onProgress = (step: DownloadProgress): void => {
      entry.progress = {
        ...entry.progress,
        fileName: step.fileName,
        receivedBytes: step.bytes,
        totalBytes: step.totalBytes,
        bytesPerSecond: step.bytesPerSecond,
        resumed: step.resumed
      };
      const sinceLast = performance.now() - lastSent;
      if (sinceLast >= this.intervalMs || step.bytes === step.totalBytes) send();
      // The latest figures always arrive, even when the transfer then stalls.
      else trailing ??= setTimeout(send, this.intervalMs - sinceLast);
    };
    entry.finished = task.install({ onProgress, signal: controller.signal }).finally(() => clearTimeout(trailing)).then(
      async (model) => {
        this.running.delete(task.id);
        try {
          await task.onInstalled(model);
        } catch (error) {
          console.warn(`[zoe] after installing ${task.id}:`, error);
        }
        const totalBytes = entry.progress.totalBytes ?? entry.progress.receivedBytes;
        this.emit({ ...entry.progress, state: 'installed', receivedBytes: totalBytes, totalBytes });
      },
      (error: unknown) => {
        this.running.delete(task.id);
        const cancelled = controller.signal.aborted;
        this.emit({ ...entry.progress, state: cancelled ? 'cancelled' : 'failed', ...(cancelled ? {} : { error: toErrorValue(error) }) });
      }
    );
    this.emit({ ...progress });
    return { ...progress };
  }

  /** Stops the download of `id` (what was fetched stays, so installing again resumes); false when none ran. */
  cancel(id: string): boolean {
    const running = this.running.get(id);
    if (running === undefined) return false;
    running.controller.abort();
    return true;
  }

  /** Stops every download and waits for them to wind down. */
  async dispose(): Promise<void> {
    const all = [...this.running.values()];
    for (const running of all) running.controller.abort();
    await Promise.all(all.map((running) => running.finished));
  }
}
