import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DepthJob } from '../../src/shared/api';
import DepthToolbar from '../../src/renderer/src/features/jobs/DepthToolbar.vue';
import ThumbnailGrid from '../../src/renderer/src/features/library/ThumbnailGrid.vue';
import { useExportStore } from '../../src/renderer/src/stores/export';
import { useJobsStore } from '../../src/renderer/src/stores/jobs';
import { useLibraryStore } from '../../src/renderer/src/stores/library';
import { depthJob, folderListing, jobsSummaryOf } from './fixtures';
import { settle } from './memory-backend';
import { useMemoryBackend, useWindowSizedLayout } from './setup';

const backend = useMemoryBackend();
useWindowSizedLayout();

function press(key: string, options: KeyboardEventInit = {}): void {
  window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...options }));
}

/** A real library store with a folder of `count` photos opened through the contract. */
async function openFolder(count: number): Promise<ReturnType<typeof useLibraryStore>> {
  backend.on('library.openFolder', () => folderListing(count));
  const library = useLibraryStore();
  expect(await library.openFolder(false)).toBe(true);
  return library;
}

function tile(wrapper: ReturnType<typeof mount>, photoId: string): ReturnType<ReturnType<typeof mount>['get']> {
  return wrapper.get(`[data-photo-id="${photoId}"]`);
}

beforeEach(() => {
  backend.reset();
  setActivePinia(createPinia());
  backend.on('library.recentFolders', () => []);
  backend.on('jobs.list', () => ({ jobs: [], summary: jobsSummaryOf([]) }));
  backend.on('thumbnails.get', ({ photoIds }) => photoIds.map((photoId) => ({ photoId, ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'gone' } })));
});

afterEach(() => {
  useJobsStore().dispose();
  useLibraryStore().dispose();
});

describe('library selection', () => {
  it('click picks one, Ctrl/⌘+click toggles, Shift+click takes the range from the last click', async () => {
    const library = await openFolder(20);
    expect([...library.selectedIds]).toEqual(['photo-1']);
    const wrapper = mount(ThumbnailGrid, { attachTo: document.body, props: { tileSize: 200 } });
    await flushPromises();

    await tile(wrapper, 'photo-3').trigger('click');
    expect(library.selection.map((photo) => photo.id)).toEqual(['photo-3']);
    await tile(wrapper, 'photo-5').trigger('click', { ctrlKey: true });
    await tile(wrapper, 'photo-9').trigger('click', { metaKey: true });
    expect(library.selection.map((photo) => photo.id)).toEqual(['photo-3', 'photo-5', 'photo-9']);
    await tile(wrapper, 'photo-5').trigger('click', { ctrlKey: true });
    expect(library.selection.map((photo) => photo.id)).toEqual(['photo-3', 'photo-9']);
    expect(tile(wrapper, 'photo-5').attributes('aria-selected')).toBe('false');
    expect(tile(wrapper, 'photo-9').attributes('aria-selected')).toBe('true');

    // The range runs from the last photo clicked (photo-5) to photo-2, whichever way round.
    await tile(wrapper, 'photo-2').trigger('click', { shiftKey: true });
    expect(library.selection.map((photo) => photo.id)).toEqual(['photo-2', 'photo-3', 'photo-4', 'photo-5']);
    await tile(wrapper, 'photo-7').trigger('click', { shiftKey: true });
    expect(library.selection.map((photo) => photo.id)).toEqual(['photo-5', 'photo-6', 'photo-7']);
    expect(library.selectedId).toBe('photo-7');
  });

  it('Ctrl+A picks every photo, Esc clears, an arrow key picks the photo it moves to', async () => {
    const library = await openFolder(30);
    const wrapper = mount(ThumbnailGrid, { attachTo: document.body, props: { tileSize: 200 } });
    await flushPromises();
    press('a', { ctrlKey: true });
    expect(library.selectedIds.size).toBe(30);
    await flushPromises();
    expect(wrapper.findAll('[aria-selected="true"]').length).toBe(wrapper.findAll('[role="gridcell"]').length);
    press('Escape');
    expect(library.selectedIds.size).toBe(0);
    expect(library.selectedId).toBe('photo-1');
    press('ArrowRight');
    expect([...library.selectedIds]).toEqual(['photo-2']);
  });

  it('photos removed from the folder leave the selection', async () => {
    const library = await openFolder(6);
    library.selectAll();
    library.applyChanges({ folderId: 'folder-1', added: [], removed: ['photo-2', 'photo-4'] });
    expect(library.selection.map((photo) => photo.id)).toEqual(['photo-1', 'photo-3', 'photo-5', 'photo-6']);
  });
});

describe('the selection drives depth and export', () => {
  it('D with three photos picked in the grid estimates those three, the focused one first', async () => {
    backend.on('jobs.enqueue', ({ photoIds }) => ({ jobIds: photoIds.map((id) => `job-${id}`) }));
    const library = await openFolder(10);
    library.select('photo-2');
    library.toggleSelected('photo-8');
    library.toggleSelected('photo-5');
    const wrapper = mount(DepthToolbar, { attachTo: document.body });
    await flushPromises();
    const button = wrapper.get('[data-testid="estimate-depth"]');
    expect(button.text()).toBe('Depth for 3');
    expect(button.attributes('title')).toBe('Estimate depth for the 3 selected photos (D)');
    press('d');
    await settle();
    expect(backend.callsOf('jobs.enqueue').map((call) => call.request)).toEqual([{ photoIds: ['photo-5', 'photo-2', 'photo-8'], priority: 'normal' }]);
    expect(useJobsStore().panelOpen).toBe(true);
  });

  it('the export dialog offers the picked photos first, then the focused photo and the folder', async () => {
    const library = await openFolder(10);
    library.select('photo-4');
    library.selectRange('photo-6');
    const exporter = useExportStore();
    exporter.openFromContext();
    expect(exporter.scope?.photoIds).toEqual(['photo-4', 'photo-5', 'photo-6']);
    expect(exporter.scope?.label).toBe('The 3 selected photos');
    expect(exporter.scope?.previewPhotoId).toBe('photo-6');
    expect(exporter.scopeChoices.map((choice) => choice.photoIds.length)).toEqual([3, 1, 10]);
  });
});

describe('job badges on the tiles', () => {
  it('show queued, running with its progress, done, and failed with the reason in the tooltip', async () => {
    await openFolder(8);
    const jobs = [
      depthJob(1, 'done'),
      depthJob(2, 'running', { progress: 0.42 }),
      depthJob(3, 'queued'),
      depthJob(4, 'failed', { error: { code: 'UNSUPPORTED_IMAGE', message: 'This photo is damaged: the JPEG data ends early.' } })
    ];
    backend.on('jobs.list', () => ({ jobs, summary: jobsSummaryOf(jobs) }));
    await useJobsStore().load();
    const wrapper = mount(ThumbnailGrid, { attachTo: document.body, props: { tileSize: 200 } });
    await flushPromises();
    const badge = (id: string): ReturnType<typeof tile> => tile(wrapper, id).get('.job-badge');
    expect(badge('photo-1').attributes('data-job-state')).toBe('done');
    expect(badge('photo-2').text()).toBe('42%');
    expect(badge('photo-3').attributes('data-job-state')).toBe('queued');
    expect(badge('photo-4').attributes('title')).toContain('the JPEG data ends early');
    expect(tile(wrapper, 'photo-5').find('.job-badge').exists()).toBe(false);

    // A change from the queue moves the badge on: the running photo is done.
    const finished = depthJob(2, 'done');
    backend.emit('jobs.changed', { jobs: [finished], summary: jobsSummaryOf([jobs[0] as DepthJob, finished, jobs[2] as DepthJob, jobs[3] as DepthJob]) });
    await flushPromises();
    expect(badge('photo-2').attributes('data-job-state')).toBe('done');
  });
});
