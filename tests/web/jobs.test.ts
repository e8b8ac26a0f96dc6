import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import DepthToolbar from '../../src/renderer/src/features/jobs/DepthToolbar.vue';
import EstimateDepthButton from '../../src/renderer/src/features/jobs/EstimateDepthButton.vue';
import JobsPanel from '../../src/renderer/src/features/jobs/JobsPanel.vue';
import { formatDuration, useJobsStore } from '../../src/renderer/src/stores/jobs';
import { useLibraryStore } from '../../src/renderer/src/stores/library';
import { useViewerStore } from '../../src/renderer/src/stores/viewer';
import { depthJob, folderListing, jobsSummaryOf } from './fixtures';
import { settle } from './memory-backend';
import { useMemoryBackend } from './setup';

const backend = useMemoryBackend();

function press(key: string, options: KeyboardEventInit = {}): void {
  window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...options }));
}

beforeEach(() => {
  backend.reset();
  setActivePinia(createPinia());
  backend.on('library.recentFolders', () => []);
  backend.on('jobs.list', () => ({ jobs: [], summary: jobsSummaryOf([]) }));
});

// Each test's store stops listening, so that the next test's events reach its own store only.
afterEach(() => useJobsStore().dispose());

describe('formatDuration', () => {
  it('writes seconds, minutes and hours as a photographer reads them', () => {
    expect(formatDuration(400)).toBe('0 s');
    expect(formatDuration(44_600)).toBe('45 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(3_900_000)).toBe('1 h 05 min');
  });
});

describe('jobs store', () => {
  it('reads the queue, then follows jobs.changed, also for changes that arrive while the list is on its way', async () => {
    const store = useJobsStore();
    const listed = [depthJob(1, 'done'), depthJob(2, 'running'), depthJob(3, 'queued')];
    let answer: () => void = () => undefined;
    backend.on('jobs.list', () => new Promise((resolve) => (answer = () => resolve({ jobs: listed, summary: jobsSummaryOf(listed) }))));
    const loading = store.load();
    await settle();
    // Job 2 finished before the list arrived: the list is older than this change.
    const newer = [depthJob(2, 'done', { provider: 'cpu' })];
    backend.emit('jobs.changed', { jobs: newer, summary: jobsSummaryOf([depthJob(1, 'done'), ...newer, depthJob(3, 'queued')]) });
    answer();
    await loading;
    expect(store.jobs.map((each) => [each.jobId, each.state])).toEqual([
      ['job-1', 'done'],
      ['job-2', 'done'],
      ['job-3', 'queued']
    ]);
    expect(store.summary.done).toBe(2);

    backend.emit('jobs.changed', { jobs: [depthJob(3, 'running', { progress: 0.5 })], summary: jobsSummaryOf([depthJob(1, 'done'), depthJob(2, 'done'), depthJob(3, 'running')]) });
    expect(store.unfinished.map((each) => each.jobId)).toEqual(['job-3']);
    expect(store.batchFraction).toBeCloseTo(2.5 / 3, 5);
    expect(store.timeLeftLabel).toBe('2 s left');
    expect(store.latestByPhoto.get('photo-3')?.state).toBe('running');
  });

  it('queues photos, cancels one or all, and keeps the reason a call failed', async () => {
    const store = useJobsStore();
    backend.on('jobs.enqueue', ({ photoIds }) => ({ jobIds: photoIds.map((id) => id.replace('photo', 'job')) }));
    backend.on('jobs.cancel', () => []);
    expect(await store.estimate(['photo-1', 'photo-2'], 'now')).toEqual(['job-1', 'job-2']);
    expect(backend.callsOf('jobs.enqueue')[0]?.request).toEqual({ photoIds: ['photo-1', 'photo-2'], priority: 'now' });
    expect(await store.estimate([])).toEqual([]);
    expect(backend.callsOf('jobs.enqueue')).toHaveLength(1);
    await store.cancel(['job-2']);
    await store.cancelAll();
    expect(backend.callsOf('jobs.cancel').map((call) => call.request)).toEqual([{ jobIds: ['job-2'] }, { all: true }]);

    backend.on('jobs.enqueue', () => {
      throw new Error('the queue is closed');
    });
    expect(await store.estimate(['photo-3'])).toEqual([]);
    expect(store.error).not.toBeNull();
  });

  it('puts the photo the viewer opens at the head of the queue while photos wait', async () => {
    const library = useLibraryStore();
    const viewer = useViewerStore();
    const store = useJobsStore();
    backend.on('library.openFolder', () => folderListing(5));
    backend.on('thumbnails.preview', ({ photoId }) => ({ url: `zoe://preview/${photoId}`, width: 800, height: 600, source: 'resized' as const }));
    backend.on('depth.get', () => null);
    backend.on('jobs.prioritise', ({ photoId }) => depthJob(Number(photoId.split('-')[1]), 'queued'));
    await library.openFolder(false);
    await store.load();
    store.followViewer();

    await viewer.open('photo-2');
    await settle();
    expect(backend.callsOf('jobs.prioritise')).toHaveLength(0); // nothing waits

    const waiting = [depthJob(1, 'running'), depthJob(4, 'queued'), depthJob(5, 'queued')];
    backend.emit('jobs.changed', { jobs: waiting, summary: jobsSummaryOf(waiting) });
    await viewer.open('photo-5');
    await settle();
    expect(backend.callsOf('jobs.prioritise').map((call) => call.request)).toEqual([{ photoId: 'photo-5' }]);
  });
});

describe('JobsPanel', () => {
  it('lists running, waiting and finished photos, with a failed photo’s reason, and cancels one or all', async () => {
    const store = useJobsStore();
    const jobs = [
      depthJob(1, 'done', { fromCache: true }),
      depthJob(2, 'failed', { error: { code: 'UNSUPPORTED_IMAGE', message: '“IMG_0002.jpg” is damaged: the JPEG data ends early.' } }),
      depthJob(3, 'queued'),
      depthJob(4, 'running', { progress: 0.42 })
    ];
    store.listen();
    backend.emit('jobs.changed', { jobs, summary: jobsSummaryOf(jobs) });
    backend.on('jobs.cancel', () => []);
    const panel = mount(JobsPanel);
    const rows = panel.findAll('[data-testid="job-row"]');
    expect(rows.map((row) => row.attributes('data-state'))).toEqual(['running', 'queued', 'failed', 'done']);
    expect(rows[0]?.text()).toContain('Estimating 42 %');
    expect(rows[2]?.find('[data-testid="job-error"]').text()).toContain('the JPEG data ends early');
    expect(rows[3]?.text()).toContain('Done (from cache)');
    expect(panel.find('[data-testid="jobs-summary"]').text()).toMatch(/2 to go\s*1 done\s*1 failed/);
    expect(panel.find('[data-testid="jobs-time-left"]').text()).toBe('4 s left');

    await rows[1]?.find('button.cancel').trigger('click');
    await panel.findAll('button').find((button) => button.text() === 'Cancel all')?.trigger('click');
    await flushPromises();
    expect(backend.callsOf('jobs.cancel').map((call) => call.request)).toEqual([{ jobIds: ['job-3'] }, { all: true }]);

    await rows[2]?.find('button.name').trigger('click');
    expect(panel.emitted('open')).toEqual([['photo-2']]);
    await panel.findAll('button').find((button) => button.text() === 'Clear finished')?.trigger('click');
    expect(panel.findAll('[data-testid="job-row"]').map((row) => row.attributes('data-state'))).toEqual(['running', 'queued']);
  });
});

describe('DepthToolbar and the viewer’s button', () => {
  it('D estimates the selected photo first in the queue; Shift+D the whole folder, the selected photo first', async () => {
    const library = useLibraryStore();
    backend.on('library.openFolder', () => folderListing(4));
    backend.on('jobs.enqueue', ({ photoIds }) => ({ jobIds: photoIds.map((id) => id.replace('photo', 'job')) }));
    await library.openFolder(false);
    library.select('photo-3');
    const toolbar = mount(DepthToolbar);
    await flushPromises();
    press('d');
    press('D', { shiftKey: true });
    await flushPromises();
    expect(backend.callsOf('jobs.enqueue').map((call) => call.request)).toEqual([
      { photoIds: ['photo-3'], priority: 'now' },
      { photoIds: ['photo-3', 'photo-1', 'photo-2', 'photo-4'], priority: 'normal' }
    ]);
    // The folder's batch opens the queue panel; J toggles it.
    expect(useJobsStore().panelOpen).toBe(true);
    press('j');
    expect(useJobsStore().panelOpen).toBe(false);
    expect(toolbar.findAll('button').map((button) => button.attributes('title'))).toEqual([
      'Estimate depth for the selected photo (D)',
      'Estimate depth for every photo in the folder (Shift+D)',
      'Show the depth queue (J)'
    ]);
  });

  it('the viewer’s button estimates the photo on screen, turns depth on, and says where its job stands', async () => {
    const library = useLibraryStore();
    const viewer = useViewerStore();
    const store = useJobsStore();
    backend.on('library.openFolder', () => folderListing(2));
    backend.on('thumbnails.preview', ({ photoId }) => ({ url: `zoe://preview/${photoId}`, width: 800, height: 600, source: 'resized' as const }));
    backend.on('depth.get', () => null);
    backend.on('jobs.enqueue', () => ({ jobIds: ['job-2'] }));
    await library.openFolder(false);
    await viewer.open('photo-2');
    store.listen();
    const button = mount(EstimateDepthButton);
    await button.find('[data-testid="estimate-depth"]').trigger('click');
    await flushPromises();
    expect(viewer.depthVisible).toBe(true);
    expect(backend.callsOf('jobs.enqueue')[0]?.request).toEqual({ photoIds: ['photo-2'], priority: 'now' });

    backend.emit('jobs.changed', { jobs: [depthJob(2, 'running', { progress: 0.3 })], summary: jobsSummaryOf([depthJob(2, 'running')]) });
    await flushPromises();
    expect(button.find('[data-testid="viewer-job-status"]').text()).toBe('Estimating… 30 %');
    expect(button.find('[data-testid="estimate-depth"]').attributes('disabled')).toBeDefined();
    const failure = { code: 'OUT_OF_MEMORY' as const, message: 'The computer ran out of memory while estimating depth.' };
    backend.emit('jobs.changed', { jobs: [depthJob(2, 'failed', { error: failure })], summary: jobsSummaryOf([depthJob(2, 'failed')]) });
    await flushPromises();
    expect(button.find('[data-testid="viewer-job-status"]').text()).toBe(failure.message);
    expect(button.find('[data-testid="estimate-depth"]').attributes('disabled')).toBeUndefined();
  });
});
