/**
 * The job queue's own rules, with runners the tests control: one photo at a time (also while a
 * cancelled run winds down), progress from the mean run time, errors per job, forgetting old jobs.
 */
import { describe, expect, it } from 'vitest';
import type { JobsChange } from '../../../src/shared/api';
import { ZoeError } from '../../../src/shared/errors';
import { DepthJobQueue, type DepthJobOutcome, type DepthJobRequest } from '../../../src/main/jobs/queue';
import { until } from './harness';

function request(photoId: string): DepthJobRequest {
  return { photoId, photoName: `${photoId}.jpg`, photoPath: `/photos/${photoId}.jpg`, photoKind: 'image', modelId: 'm', device: 'cpu', options: { flip: true, pad: true } };
}

/** A run the test finishes by hand. */
interface HeldRun {
  photoId: string;
  signal: AbortSignal;
  finish(outcome?: DepthJobOutcome): void;
  fail(error: Error): void;
}

function heldQueue(options: { maxFinished?: number; progressIntervalMs?: number } = {}) {
  const runs: HeldRun[] = [];
  const changes: JobsChange[] = [];
  let concurrent = 0;
  let mostConcurrent = 0;
  const queue = new DepthJobQueue({
    ...options,
    onChange: (change) => changes.push(change),
    run: (job, signal) =>
      new Promise<DepthJobOutcome>((resolve, reject) => {
        concurrent += 1;
        mostConcurrent = Math.max(mostConcurrent, concurrent);
        const settle = (): void => {
          concurrent -= 1;
        };
        runs.push({
          photoId: job.photoId,
          signal,
          finish: (outcome = { fromCache: false, provider: 'cpu' }) => {
            settle();
            resolve(outcome);
          },
          fail: (error) => {
            settle();
            reject(error);
          }
        });
      })
  });
  return { queue, runs, changes, mostConcurrent: () => mostConcurrent };
}

describe('DepthJobQueue', () => {
  it('runs one photo at a time, and the next only after a cancelled run has wound down', async () => {
    const { queue, runs, mostConcurrent } = heldQueue();
    const [first, second] = queue.enqueue([request('a'), request('b')]);
    await until(() => runs.length === 1, 'the first run');
    queue.cancel({ jobIds: [first ?? ''] });
    expect(runs[0]?.signal.aborted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(runs).toHaveLength(1); // b waits for a's run to end
    runs[0]?.finish(); // the engine finished anyway: the job stays cancelled
    await until(() => runs.length === 2, 'the second run');
    runs[1]?.finish();
    await until(() => queue.list().summary.done === 1, 'b done');
    const states = Object.fromEntries(queue.list().jobs.map((job) => [job.jobId, job.state]));
    expect(states).toEqual({ [first ?? '']: 'cancelled', [second ?? '']: 'done' });
    expect(mostConcurrent()).toBe(1);
  });

  it('estimates a running photo’s progress and the time left from the mean run time', async () => {
    const { queue, runs, changes } = heldQueue({ progressIntervalMs: 10 });
    queue.enqueue([request('a'), request('b'), request('c')]);
    await until(() => runs.length === 1, 'a');
    await new Promise((resolve) => setTimeout(resolve, 120));
    runs[0]?.finish();
    await until(() => runs.length === 2, 'b');
    const afterFirst = queue.list().summary;
    expect(afterFirst.meanRunMs).toBeGreaterThanOrEqual(100);
    expect(afterFirst.timeLeftMs).toBeGreaterThan(afterFirst.meanRunMs ?? 0); // c waits, b runs
    await until(() => changes.some((change) => change.jobs.some((job) => job.photoId === 'b' && job.state === 'running' && job.progress > 0.3)), 'b’s progress');
    const progress = changes.flatMap((change) => change.jobs).filter((job) => job.photoId === 'b' && job.state === 'running').map((job) => job.progress);
    expect([...progress].sort((x, y) => x - y)).toEqual(progress);
    expect(Math.max(...progress)).toBeLessThanOrEqual(0.95);
    runs[1]?.finish({ fromCache: true, provider: 'cpu' }); // a cache hit does not count as a run
    await until(() => runs.length === 3, 'c');
    expect(queue.list().summary.meanRunMs).toBe(afterFirst.meanRunMs);
    runs[2]?.finish();
    await until(() => queue.list().summary.timeLeftMs === 0, 'nothing left');
    await queue.dispose();
  });

  it('reports each failure on its own job, explains unexpected errors, and goes on', async () => {
    const { queue, runs } = heldQueue();
    queue.enqueue([request('broken'), request('odd'), request('fine')]);
    await until(() => runs.length === 1, 'broken');
    runs[0]?.fail(new ZoeError('UNSUPPORTED_IMAGE', 'broken.jpg is a damaged JPEG.'));
    await until(() => runs.length === 2, 'odd');
    runs[1]?.fail(new Error('tensor shape mismatch'));
    await until(() => runs.length === 3, 'fine');
    runs[2]?.finish();
    await until(() => queue.list().summary.done === 1, 'fine done');
    const [broken, odd] = queue.list().jobs;
    expect(broken?.error).toEqual({ code: 'UNSUPPORTED_IMAGE', message: 'broken.jpg is a damaged JPEG.' });
    expect(odd?.error?.code).toBe('INTERNAL');
    expect(odd?.error?.message).toContain('tensor shape mismatch');
  });

  it('forgets the oldest finished jobs beyond its limit, never unfinished ones', async () => {
    const { queue, runs } = heldQueue({ maxFinished: 2 });
    queue.enqueue(['a', 'b', 'c', 'd'].map(request));
    for (let index = 0; index < 3; index += 1) {
      await until(() => runs.length === index + 1, `run ${index}`);
      runs[index]?.finish();
    }
    await until(() => runs.length === 4, 'd running');
    expect(queue.list().jobs.map((job) => [job.photoId, job.state])).toEqual([
      ['b', 'done'],
      ['c', 'done'],
      ['d', 'running']
    ]);
    const closing = queue.dispose();
    expect(queue.list().jobs.at(-1)?.state).toBe('cancelled');
    runs[3]?.finish();
    await closing;
    expect(() => queue.enqueue([request('e')])).toThrow(ZoeError);
  });
});
