/**
 * The depth job queue: photos waiting for depth, one estimated at a time (the engine runs one
 * photo at a time per session anyway), the photo on screen first, each job failing alone, every
 * change reported so a queue panel can show state, progress and the time left.
 */
import type { DepthOptions, DevicePreference } from '../../shared/depth';
import type { DepthJob, JobsChange, JobsSnapshot, JobsSummary } from '../../shared/api/jobs';
import { toErrorValue, ZoeError, type ZoeErrorValue } from '../../shared/errors';

/** One photo to estimate, with the settings read when it was asked for. */
export interface DepthJobRequest {
  photoId: string;
  photoName: string;
  /** Where the photo is; never leaves the main process. */
  photoPath: string;
  /** A camera RAW file is estimated through its embedded JPEG preview. */
  photoKind: 'image' | 'raw';
  modelId: string;
  device: DevicePreference;
  options: DepthOptions;
}

/** A photo that cannot even be queued (an id no open folder has): it becomes a failed job. */
export interface RefusedJobRequest {
  photoId: string;
  photoName: string;
  modelId: string;
  device: DevicePreference;
  options: DepthOptions;
  error: ZoeErrorValue;
}

/** What a finished run reports. */
export interface DepthJobOutcome {
  fromCache: boolean;
  provider: string;
}

/** Runs one job; must reject with CANCELLED (or anything) once `signal` aborts. */
export type DepthJobRunner = (job: Readonly<DepthJobRequest & { jobId: string }>, signal: AbortSignal) => Promise<DepthJobOutcome>;

export interface DepthJobQueueOptions {
  run: DepthJobRunner;
  /** Told of every change (event `jobs.changed`). */
  onChange: (change: JobsChange) => void;
  /** Finished jobs remembered for `list` (oldest forgotten first); default 2,000. */
  maxFinished?: number;
  /** How often a running job's progress is re-estimated and reported, in ms; default 1,000. */
  progressIntervalMs?: number;
}

interface JobRecord {
  view: DepthJob;
  request: DepthJobRequest | null;
  controller: AbortController | null;
}

const FINISHED = new Set<DepthJob['state']>(['done', 'failed', 'cancelled']);

function sameWork(a: DepthJob, b: { modelId: string; device: DevicePreference; options: DepthOptions }): boolean {
  return a.modelId === b.modelId && a.device === b.device && a.options.flip === b.options.flip && a.options.pad === b.options.pad;
}

export class DepthJobQueue {
  /** Every remembered job by id, oldest first. */
  private readonly jobs = new Map<string, JobRecord>();
  private waiting: JobRecord[] = [];
  /** The unfinished job of each photo, so that asking again does not queue it twice. */
  private readonly unfinishedByPhoto = new Map<string, JobRecord>();
  private current: JobRecord | null = null;
  /** The run in progress, also while a cancelled run drains: the next one starts after it. */
  private active: Promise<void> | null = null;
  private runCount = 0;
  private runTotalMs = 0;
  private nextId = 1;
  private ticker: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly maxFinished: number;
  private readonly progressIntervalMs: number;

  constructor(private readonly options: DepthJobQueueOptions) {
    this.maxFinished = options.maxFinished ?? 2000;
    this.progressIntervalMs = options.progressIntervalMs ?? 1000;
  }

  /**
   * Queues photos, in order; `now` puts them ahead of everything waiting. A photo that already has
   * an unfinished job for the same model and options keeps that job (moved ahead with `now`).
   * Returns one job id per request.
   */
  enqueue(requests: readonly (DepthJobRequest | RefusedJobRequest)[], priority: 'now' | 'normal' = 'normal'): string[] {
    if (this.disposed) throw new ZoeError('CANCELLED', 'Zoe Studio is closing; no more photos can be queued.');
    const changed: JobRecord[] = [];
    const ahead: JobRecord[] = [];
    const ids: string[] = [];
    for (const request of requests) {
      if ('error' in request) {
        const record = this.create(request, null);
        Object.assign(record.view, { state: 'failed', error: request.error, finishedAt: Date.now() });
        changed.push(record);
        ids.push(record.view.jobId);
        continue;
      }
      const existing = this.unfinishedByPhoto.get(request.photoId);
      if (existing !== undefined && !FINISHED.has(existing.view.state) && sameWork(existing.view, request)) {
        ids.push(existing.view.jobId);
        if (priority === 'now' && existing.view.state === 'queued') {
          this.waiting = this.waiting.filter((record) => record !== existing);
          ahead.push(existing);
        }
        continue;
      }
      const record = this.create(request, request);
      this.unfinishedByPhoto.set(request.photoId, record);
      changed.push(record);
      ids.push(record.view.jobId);
      if (priority === 'now') ahead.push(record);
      else this.waiting.push(record);
    }
    this.waiting = [...ahead, ...this.waiting];
    this.forgetOldFinished();
    this.report(changed);
    this.pump();
    return ids;
  }

  /** Cancels the given jobs (or all unfinished ones): queued ones are dropped, the running one stopped. */
  cancel(target: { jobIds: readonly string[] } | { all: true }): DepthJob[] {
    const records =
      'all' in target ? [...this.jobs.values()] : target.jobIds.map((id) => this.jobs.get(id)).filter((r): r is JobRecord => r !== undefined);
    const cancelled = records.filter((record) => !FINISHED.has(record.view.state));
    const dropped = new Set(cancelled);
    this.waiting = this.waiting.filter((waiting) => !dropped.has(waiting));
    for (const record of cancelled) {
      record.controller?.abort(new ZoeError('CANCELLED', 'Depth estimation was cancelled.'));
      this.finish(record, { state: 'cancelled' });
    }
    this.report(cancelled);
    return cancelled.map((record) => ({ ...record.view }));
  }

  /** Cancels every unfinished job that uses `modelId` (the model is being removed). */
  cancelModel(modelId: string): DepthJob[] {
    const jobIds = [...this.jobs.values()].filter((r) => r.view.modelId === modelId && !FINISHED.has(r.view.state)).map((r) => r.view.jobId);
    return jobIds.length === 0 ? [] : this.cancel({ jobIds });
  }

  /** Moves the queued job of `photoId` to the head of the queue; `null` when it has none queued. */
  prioritise(photoId: string): DepthJob | null {
    const record = this.waiting.find((waiting) => waiting.view.photoId === photoId);
    if (record === undefined) return null;
    this.waiting = [record, ...this.waiting.filter((waiting) => waiting !== record)];
    this.report([record]);
    return { ...record.view };
  }

  /** Every remembered job, oldest first, and the summary. */
  list(): JobsSnapshot {
    return { jobs: [...this.jobs.values()].map((record) => ({ ...record.view })), summary: this.summary() };
  }

  /** Cancels everything and waits for the running photo to stop. */
  async dispose(): Promise<void> {
    this.cancel({ all: true });
    this.disposed = true;
    clearInterval(this.ticker);
    await this.active;
  }

  private create(request: Omit<DepthJobRequest, 'photoPath' | 'photoKind'>, runnable: DepthJobRequest | null): JobRecord {
    const jobId = `job-${this.nextId++}`;
    const view: DepthJob = {
      jobId,
      photoId: request.photoId,
      photoName: request.photoName,
      modelId: request.modelId,
      device: request.device,
      options: { ...request.options },
      state: 'queued',
      progress: 0,
      queuedAt: Date.now()
    };
    const record: JobRecord = { view, request: runnable, controller: null };
    this.jobs.set(jobId, record);
    return record;
  }

  private finish(record: JobRecord, change: Partial<DepthJob> & { state: DepthJob['state'] }): void {
    Object.assign(record.view, change, { finishedAt: Date.now() });
    if (this.unfinishedByPhoto.get(record.view.photoId) === record) this.unfinishedByPhoto.delete(record.view.photoId);
  }

  private pump(): void {
    if (this.active !== null || this.disposed) return;
    const record = this.waiting.shift();
    if (record === undefined || record.request === null) return;
    const controller = new AbortController();
    record.controller = controller;
    this.current = record;
    Object.assign(record.view, { state: 'running', startedAt: Date.now(), progress: 0 });
    this.report([record]);
    this.startTicker();
    const started = performance.now();
    this.active = this.options
      .run({ ...record.request, jobId: record.view.jobId }, controller.signal)
      .then(
        (outcome) => {
          if (record.view.state !== 'running') return;
          if (!outcome.fromCache) {
            this.runCount += 1;
            this.runTotalMs += performance.now() - started;
          }
          this.finish(record, { state: 'done', progress: 1, fromCache: outcome.fromCache, provider: outcome.provider });
          this.report([record]);
        },
        (error: unknown) => {
          if (record.view.state !== 'running') return;
          const state = controller.signal.aborted ? 'cancelled' : 'failed';
          this.finish(record, state === 'failed' ? { state, error: explainedError(error) } : { state });
          this.report([record]);
        }
      )
      .finally(() => {
        record.controller = null;
        this.current = null;
        this.active = null;
        clearInterval(this.ticker);
        this.ticker = undefined;
        this.forgetOldFinished();
        this.pump();
      });
  }

  /** Re-estimates the running job's progress from the mean run time, now and then. */
  private startTicker(): void {
    clearInterval(this.ticker);
    this.ticker = setInterval(() => {
      const record = this.current;
      const mean = this.meanRunMs();
      if (record === null || record.view.state !== 'running' || mean === null || record.view.startedAt === undefined) return;
      const progress = Math.min(0.95, (Date.now() - record.view.startedAt) / mean);
      if (progress - record.view.progress < 0.01) return;
      record.view.progress = progress;
      this.report([record]);
    }, this.progressIntervalMs);
    this.ticker.unref();
  }

  private meanRunMs(): number | null {
    return this.runCount === 0 ? null : this.runTotalMs / this.runCount;
  }

  private summary(): JobsSummary {
    const counts = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
    for (const record of this.jobs.values()) counts[record.view.state] += 1;
    const meanRunMs = this.meanRunMs();
    let timeLeftMs: number | null = null;
    if (counts.queued + counts.running === 0) timeLeftMs = 0;
    else if (meanRunMs !== null) {
      const startedAt = this.current?.view.state === 'running' ? this.current.view.startedAt : undefined;
      const runningLeft = startedAt === undefined ? 0 : Math.max(0, meanRunMs - (Date.now() - startedAt));
      timeLeftMs = counts.queued * meanRunMs + runningLeft;
    }
    return { ...counts, meanRunMs, timeLeftMs };
  }

  private report(records: readonly JobRecord[]): void {
    if (records.length === 0) return;
    this.options.onChange({ jobs: records.map((record) => ({ ...record.view, options: { ...record.view.options } })), summary: this.summary() });
  }

  private forgetOldFinished(): void {
    const finished = [...this.jobs.values()].filter((record) => FINISHED.has(record.view.state));
    for (const record of finished.slice(0, Math.max(0, finished.length - this.maxFinished))) this.jobs.delete(record.view.jobId);
  }
}

/** An error as a job shows it: an unexpected one carries the first line of its detail in the message. */
function explainedError(error: unknown): ZoeErrorValue {
  const value = toErrorValue(error);
  if (value.code !== 'INTERNAL' || value.detail === undefined) return value;
  return { ...value, message: `${value.message} (${value.detail.split('\n')[0] ?? ''})` };
}
