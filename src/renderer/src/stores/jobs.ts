/**
 * The depth job queue as the queue panel shows it: every remembered job by id (kept current by
 * `jobs.changed`), the summary with the time left, and the actions: estimate depth for photos,
 * cancel one or all, and put the photo on screen at the head of the queue.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { DepthJob, JobsChange, JobsSummary } from '../../../shared/api';
import type { ZoeErrorValue } from '../../../shared/errors';
import { useZoe } from '../bridge/zoe';
import { useViewerStore } from './viewer';

const UNFINISHED = new Set<DepthJob['state']>(['queued', 'running']);

/** Counts and time left before the first `jobs.list` answer. */
export function emptySummary(): JobsSummary {
  return { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0, meanRunMs: null, timeLeftMs: 0 };
}

/** A duration as the queue panel writes it: “45 s”, “3 min 20 s”, “1 h 05 min”. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export const useJobsStore = defineStore('jobs', () => {
  /** Jobs by id; a `Map` keeps the order in which they were first seen (oldest first). */
  const jobsById = shallowRef<Map<string, DepthJob>>(new Map());
  const summary = shallowRef<JobsSummary>(emptySummary());
  const error = ref<ZoeErrorValue | null>(null);
  /** The queue panel is shown. */
  const panelOpen = ref(false);
  let unsubscribe: (() => void) | null = null;
  let stopFollowing: (() => void) | null = null;
  /** Changes that arrive while `jobs.list` is on its way are applied over its answer. */
  let pendingChanges: JobsChange[] | null = null;

  const jobs = computed(() => [...jobsById.value.values()]);
  /** Queued and running jobs, running first, then in queue order as last reported. */
  const unfinished = computed(() => jobs.value.filter((job) => UNFINISHED.has(job.state)));
  const busy = computed(() => summary.value.queued + summary.value.running > 0);
  /** The latest job of each photo, for badges and the viewer's button. */
  const latestByPhoto = computed(() => {
    const latest = new Map<string, DepthJob>();
    for (const job of jobs.value) latest.set(job.photoId, job);
    return latest;
  });
  /** Share of the current batch finished (0..1): done, failed and cancelled over all remembered. */
  const batchFraction = computed(() => {
    const s = summary.value;
    const total = s.queued + s.running + s.done + s.failed + s.cancelled;
    if (total === 0) return 0;
    const runningShare = unfinished.value.find((job) => job.state === 'running')?.progress ?? 0;
    return Math.min(1, (s.done + s.failed + s.cancelled + runningShare) / total);
  });
  const timeLeftLabel = computed(() => {
    const left = summary.value.timeLeftMs;
    if (!busy.value) return '';
    return left === null ? 'Timing the first photo…' : `${formatDuration(left)} left`;
  });

  function apply(change: JobsChange): void {
    const next = new Map(jobsById.value);
    for (const job of change.jobs) next.set(job.jobId, job);
    jobsById.value = next;
    summary.value = change.summary;
  }

  function listen(): void {
    if (unsubscribe !== null) return;
    unsubscribe = useZoe().on('jobs.changed', (change) => {
      if (pendingChanges !== null) pendingChanges.push(change);
      else apply(change);
    });
  }

  /** Reads every job the main process remembers (the queue may have been started by another window). */
  async function load(): Promise<void> {
    listen();
    pendingChanges = [];
    const result = await useZoe().jobs.list();
    const arrived = pendingChanges;
    pendingChanges = null;
    if (!result.ok) {
      error.value = result.error;
      for (const change of arrived) apply(change);
      return;
    }
    jobsById.value = new Map(result.value.jobs.map((job) => [job.jobId, job]));
    summary.value = result.value.summary;
    for (const change of arrived) apply(change);
  }

  /** Queues depth estimation; `now` puts the photos ahead of everything waiting. */
  async function estimate(photoIds: readonly string[], priority: 'now' | 'normal' = 'normal'): Promise<string[]> {
    if (photoIds.length === 0) return [];
    listen();
    const result = await useZoe().jobs.enqueue({ photoIds: [...photoIds], priority });
    if (!result.ok) {
      error.value = result.error;
      return [];
    }
    error.value = null;
    return result.value.jobIds;
  }

  async function cancel(jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    const result = await useZoe().jobs.cancel({ jobIds: [...jobIds] });
    if (!result.ok) error.value = result.error;
  }

  /** Cancels every queued and running job. */
  async function cancelAll(): Promise<void> {
    const result = await useZoe().jobs.cancel({ all: true });
    if (!result.ok) error.value = result.error;
  }

  /** Puts the queued job of a photo at the head of the queue (the photo on screen). */
  async function prioritise(photoId: string): Promise<void> {
    const result = await useZoe().jobs.prioritise({ photoId });
    if (!result.ok) error.value = result.error;
  }

  /** Finished jobs are forgotten by the panel (the main process forgets old ones by itself). */
  function clearFinished(): void {
    jobsById.value = new Map([...jobsById.value].filter(([, job]) => UNFINISHED.has(job.state)));
  }

  /** The photo the viewer opens jumps the queue when it is waiting in it. */
  function followViewer(): void {
    if (stopFollowing !== null) return;
    const viewer = useViewerStore();
    stopFollowing = watch(
      () => viewer.photoId,
      (photoId) => {
        if (photoId !== null && summary.value.queued > 0) void prioritise(photoId);
      }
    );
  }

  function dispose(): void {
    unsubscribe?.();
    unsubscribe = null;
    stopFollowing?.();
    stopFollowing = null;
  }

  function togglePanel(): void {
    panelOpen.value = !panelOpen.value;
  }

  return {
    jobsById,
    panelOpen,
    togglePanel,
    jobs,
    unfinished,
    summary,
    error,
    busy,
    latestByPhoto,
    batchFraction,
    timeLeftLabel,
    listen,
    load,
    estimate,
    cancel,
    cancelAll,
    prioritise,
    clearFinished,
    followViewer,
    dispose
  };
});
