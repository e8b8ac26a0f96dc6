/** The depth job queue's part of the contract: estimate depth for photos, follow and cancel it. */
import { z } from 'zod';
import type { DepthOptions, DevicePreference } from '../depth';
import type { ZoeErrorValue } from '../errors';

const photoId = z.string().min(1).max(64);
const jobId = z.string().min(1).max(64);

/**
 * Photos to estimate, in order. `now` puts them at the head of the queue (the photo on screen);
 * `normal` (the default) at its end. The model, device, flip and padding are the settings' at the
 * time of the call.
 */
export const enqueueJobsRequest = z.strictObject({
  photoIds: z.array(photoId).min(1).max(100_000),
  priority: z.enum(['now', 'normal']).optional()
});

/** Cancels some jobs by id, or every queued and running job. */
export const cancelJobsRequest = z.union([z.strictObject({ jobIds: z.array(jobId).min(1).max(100_000) }), z.strictObject({ all: z.literal(true) })]);

/** Moves the queued job of one photo to the head of the queue. */
export const prioritiseJobRequest = z.strictObject({ photoId });

/** The depth of one photo, by id. */
export const photoDepthRequest = z.strictObject({ photoId });

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** One photo's depth estimation. */
export interface DepthJob {
  jobId: string;
  photoId: string;
  /** File name, for display. */
  photoName: string;
  modelId: string;
  device: DevicePreference;
  options: DepthOptions;
  state: JobState;
  /** 0 while queued, 1 when done; while running, the share of the mean run time already spent (at most 0.95). */
  progress: number;
  /** Why the job failed (`UNSUPPORTED_IMAGE` for a photo that cannot be read, `OUT_OF_MEMORY`…). */
  error?: ZoeErrorValue;
  /** The depth came from the cache: the model did not run. */
  fromCache?: boolean;
  /** The execution provider that ran the model. */
  provider?: string;
  /** Times in ms since the epoch. */
  queuedAt: number;
  startedAt?: number;
  finishedAt?: number;
}

/** Counts and the time left, for the queue panel's header. */
export interface JobsSummary {
  queued: number;
  running: number;
  done: number;
  failed: number;
  cancelled: number;
  /** Mean time of the model runs so far (cache hits excluded); null before the first. */
  meanRunMs: number | null;
  /** Queued and running photos × the mean run time, less what the running one has spent; null when unknown. */
  timeLeftMs: number | null;
}

/** What `jobs.list` returns: every job still remembered, oldest first. */
export interface JobsSnapshot {
  jobs: DepthJob[];
  summary: JobsSummary;
}

/** Event `jobs.changed`: the jobs whose state or progress changed, and the new summary. */
export interface JobsChange {
  jobs: DepthJob[];
  summary: JobsSummary;
}

/** What `jobs.enqueue` returns: one job id per photo id, in the same order. */
export interface EnqueuedJobs {
  jobIds: string[];
}

/** Event `depth.ready`: a photo's depth is available; `depth.get` returns it. */
export interface DepthReady {
  photoId: string;
  jobId: string;
  modelId: string;
  fromCache: boolean;
}
